// LightNN-2 shift-add MAC (Ding et al.): the weight is +-(2^-m1 [+ 2^-m2]); two term shifters,
// a 16-bit term adder and the 32-bit accumulator (add or subtract by the weight's sign). A
// one-term weight (en2 = 0) gates the second shifter's operand to zero (operand isolation,
// shift-add-unit.ts), so that path stays quiet.
module shift_add_k2 (input clk, input clr, input signed [7:0] a, input [2:0] m1, input [2:0] m2,
                     input en2, input neg, output reg signed [31:0] acc);
  wire signed [7:0] a2 = a & {8{en2}};
  wire signed [14:0] t1 = {a, 7'b0} >>> m1;
  wire signed [14:0] t2 = {a2, 7'b0} >>> m2;
  wire signed [15:0] t = {t1[14], t1} + {t2[14], t2};
  wire signed [31:0] te = {{16{t[15]}}, t};
  wire signed [31:0] base = clr ? 32'sd0 : acc;  // clr starts a new dot product
  always @(posedge clk) acc <= neg ? base - te : base + te;
endmodule
