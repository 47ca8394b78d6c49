// Signed 4x4 -> 8-bit multiplier (INT4 weight x INT4 activation), combinational.
module mul_int4 (input signed [3:0] a, input signed [3:0] b, output signed [7:0] p);
  assign p = a * b;
endmodule
