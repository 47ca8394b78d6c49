// Round and clip: a 32-bit value already shifted right, plus the rounding bit (the last bit
// shifted out, i.e. the add of 2^(s-1) before the shift), saturated to signed 8 bits.
module round_clip32 (input signed [31:0] x, input r, output signed [7:0] y);
  wire signed [32:0] t = {x[31], x} + {32'b0, r};
  assign y = (t > 33'sd127) ? 8'sd127 : (t < -33'sd128) ? -8'sd128 : t[7:0];
endmodule
