// 8-bit counter increment/decrement: the +-1 of a count update. The count itself lives in the
// array counter's SRAM (DNA-TEQ), so this block has no register.
module incdec8 (input [7:0] x, input down, output [7:0] y);
  assign y = down ? x - 8'd1 : x + 8'd1;
endmodule
