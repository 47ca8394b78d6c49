// Signed 8x8 -> 16-bit multiplier (INT8 weight x INT8 activation), combinational.
module mul_int8 (input signed [7:0] a, input signed [7:0] b, output signed [15:0] p);
  assign p = a * b;
endmodule
