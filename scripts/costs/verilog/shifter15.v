// LightNN term shifter: an 8-bit activation shifted right by m = 0..7 with no bits dropped,
// i.e. {a, 7'b0} >>> m on 15 bits (shift-add-unit.ts: bits = a + 7, shift = 8 positions).
module shifter15 (input signed [7:0] a, input [2:0] m, output signed [14:0] y);
  wire signed [14:0] w = {a, 7'b0};
  assign y = w >>> m;
endmodule
