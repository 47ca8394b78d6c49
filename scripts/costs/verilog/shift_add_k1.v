// LightNN-1 shift-add MAC (Ding et al.): the weight is +-2^-m, so the product is the 8-bit
// activation shifted right by m (0..7, no bits dropped) and added to or subtracted from a 32-bit
// accumulator register.
module shift_add_k1 (input clk, input clr, input signed [7:0] a, input [2:0] m, input neg, output reg signed [31:0] acc);
  wire signed [14:0] t = {a, 7'b0} >>> m;
  wire signed [31:0] te = {{17{t[14]}}, t};
  wire signed [31:0] base = clr ? 32'sd0 : acc;  // clr starts a new dot product
  always @(posedge clk) acc <= neg ? base - te : base + te;
endmodule
