// Integer-only scale-multiply requantizer (Jacob et al. / gemmlowp; Geng's baseline, int32
// reading): acc times a Q0.31 multiplier m, round to nearest at bit 31, saturate to signed 8 bits.
// The fixed right shift by 31 is wiring.
module requant_int32 (input signed [31:0] acc, input signed [31:0] m, output signed [7:0] y);
  wire signed [63:0] p = acc * m;
  wire signed [33:0] k = {p[63], p[63:31]} + {33'b0, p[30]};
  assign y = (k > 34'sd127) ? 8'sd127 : (k < -34'sd128) ? -8'sd128 : k[7:0];
endmodule
