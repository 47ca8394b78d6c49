// 16:1 multiplexer of 8-bit words (DNA-TEQ's bank select of a 16-bank array counter).
module mux16_8 (input [127:0] d, input [3:0] s, output [7:0] y);
  assign y = d[s*8 +: 8];
endmodule
