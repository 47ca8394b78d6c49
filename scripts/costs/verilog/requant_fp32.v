// Scale-multiply requantizer, FP32 reading of Geng's baseline: the int32 accumulator converted
// to FP32, multiplied by the layer's FP32 scale, converted back to a saturated signed 8-bit
// integer. Round to nearest even at each of the three steps (IEEE default). The scale is a
// positive normal number; products stay normal (no NaN, infinity or subnormal logic).
module requant_fp32 (input signed [31:0] acc, input [31:0] scale, output reg signed [7:0] y);
  // int32 -> fp32
  wire sa = acc[31];
  wire [31:0] mag = sa ? -acc : acc;
  reg [5:0] lz;
  reg found;
  integer i;
  always @* begin
    lz = 6'd0;
    found = 1'b0;
    for (i = 31; i >= 0; i = i - 1)
      if (!found) begin
        if (mag[i]) found = 1'b1;
        else lz = lz + 6'd1;
      end
  end
  wire [31:0] norm = mag << lz[4:0];
  wire up1 = norm[7] & ((|norm[6:0]) | norm[8]);
  wire [24:0] m1r = {1'b0, norm[31:8]} + {24'b0, up1};
  wire [23:0] ma = m1r[24] ? 24'h800000 : m1r[23:0];
  wire [8:0] ea = 9'd158 - {3'b0, lz} + {8'b0, m1r[24]};  // 127 + 31 - lz
  // fp32 x fp32
  wire [23:0] ms = {1'b1, scale[22:0]};
  wire [47:0] prod = ma * ms;
  wire hi = prod[47];
  wire [23:0] mp = hi ? prod[47:24] : prod[46:23];
  wire g2 = hi ? prod[23] : prod[22];
  wire st2 = hi ? (|prod[22:0]) : (|prod[21:0]);
  wire up2 = g2 & (st2 | mp[0]);
  wire [24:0] m2r = {1'b0, mp} + {24'b0, up2};
  wire [23:0] m2 = m2r[24] ? 24'h800000 : m2r[23:0];
  wire signed [10:0] e2 = $signed({2'b0, ea}) + $signed({3'b0, scale[30:23]}) - 11'sd127 + $signed({10'b0, hi}) + $signed({10'b0, m2r[24]});
  // fp32 -> int8: value = m2 * 2^(e2 - 150)
  wire signed [10:0] E = e2 - 11'sd127;
  wire [4:0] sh = 5'd23 - E[4:0];  // 17..24 when E is in -1..6
  wire [23:0] q = m2 >> sh;
  wire g3 = m2[sh - 5'd1];
  wire [23:0] below = m2 & ((24'd1 << (sh - 5'd1)) - 24'd1);
  wire up3 = g3 & ((|below) | q[0]);
  wire [8:0] r = q[8:0] + {8'b0, up3};
  always @* begin
    if (mag == 32'd0 || E < -11'sd1) y = 8'sd0;
    else if (E >= 11'sd7) y = sa ? -8'sd128 : 8'sd127;
    else if (!sa) y = (r > 9'd127) ? 8'sd127 : r[7:0];
    else y = (r > 9'd128) ? -8'sd128 : -r[7:0];
  end
endmodule
