// 32-bit arithmetic right barrel shifter by 0..31 (the requantizer's shift by a per-layer amount).
module shifter32 (input signed [31:0] x, input [4:0] s, output signed [31:0] y);
  assign y = x >>> s;
endmodule
