// 8-bit binary counter with its register: one increment per clock (synchronous clear).
module counter8 (input clk, input clr, output reg [7:0] q);
  always @(posedge clk) q <= clr ? 8'd0 : q + 8'd1;
endmodule
