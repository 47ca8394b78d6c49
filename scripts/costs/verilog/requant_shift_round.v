// Geng et al.'s requantizer: clip(round(acc * 2^-s)) for a per-layer shift s. The rounding add
// of 2^(s-1) before the shift is done in its exact, cheaper form: arithmetic shift right by s,
// then add the last bit shifted out ((acc + 2^(s-1)) >> s == (acc >> s) + acc[s-1]); saturate
// to signed 8 bits. No multiplier.
module requant_shift_round (input signed [31:0] acc, input [4:0] s, output signed [7:0] y);
  wire signed [31:0] u = acc >>> s;
  wire r = (s == 5'd0) ? 1'b0 : acc[s - 5'd1];
  wire signed [32:0] t = {u[31], u} + {32'b0, r};
  assign y = (t > 33'sd127) ? 8'sd127 : (t < -33'sd128) ? -8'sd128 : t[7:0];
endmodule
