// 2:1 multiplexer of 8-bit words.
module mux2_8 (input [7:0] d0, input [7:0] d1, input s, output [7:0] y);
  assign y = s ? d1 : d0;
endmodule
