// DNA-TEQ array-counter update path (arXiv 2306.16430, Sec. IV-B): the addressed bank's 8-bit
// count is selected out of 16 banks, incremented or decremented, and written back with a
// one-hot bank write enable (the "bank select out").
module ac_update (input [127:0] d, input [3:0] bank, input down, output [7:0] y, output [15:0] we);
  wire [7:0] x = d[bank*8 +: 8];
  assign y = down ? x - 8'd1 : x + 8'd1;
  assign we = 16'd1 << bank;
endmodule
