// INT8 MAC: signed 8x8 multiply and 32-bit accumulate into a register, one MAC per clock.
// Synchronous clear starts each dot product (and gives the register a defined value).
module mac_int8 (input clk, input clr, input signed [7:0] a, input signed [7:0] b, output reg signed [31:0] acc);
  wire signed [15:0] p = a * b;
  always @(posedge clk) acc <= clr ? {{16{p[15]}}, p} : acc + {{16{p[15]}}, p};
endmodule
