// Signed 32x32 -> 64-bit multiplier: the scale multiplier of the integer-only requantizer.
module mul_int32 (input signed [31:0] a, input signed [31:0] b, output signed [63:0] p);
  assign p = a * b;
endmodule
