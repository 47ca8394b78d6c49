/**
 * The synthesized datapath blocks: Verilog module (scripts/costs/verilog/<module>.v), ports, the
 * operand stream each is simulated on, a reference model its gate-level outputs must match, and
 * the cost-table entry it produces. Values are signed numbers; ports carry them as bit patterns.
 */
import type { LayerStream } from './stimulus.ts';

export interface Port {
  name: string;
  bits: number;
}

/** Where a block's figure goes in the cost table. */
export interface TableEntry {
  cls: string;
  args: Record<string, number | string>;
  action: string;
}

export interface Horowitz {
  what: string;
  energyPj: number;
  areaUm2: number;
}

const H8: Horowitz = { what: '8-bit multiply', energyPj: 0.2, areaUm2: 282 };
const H32: Horowitz = { what: '32-bit multiply', energyPj: 3.1, areaUm2: 3495 };

export interface Block {
  /** Key of this run (a module may be simulated on more than one stream). */
  key: string;
  module: string;
  inputs: Port[];
  outputs: Port[];
  clocked: boolean;
  /** One row of input values per operation. */
  stimulus: (layers: LayerStream[]) => number[][] | bigint[][];
  /** The outputs the block must produce for that stream (after each clock edge if clocked). */
  reference: (rows: (number | bigint)[][]) => bigint[][];
  stimulusText: string;
  entry: TableEntry;
  /** Multiply-class blocks: the Horowitz (ISSCC 2014, 45nm) figure they are cross-checked against. */
  horowitz?: Horowitz;
}

const S = (v: number | bigint, bits: number) => BigInt.asUintN(bits, BigInt(v));
const sat8 = (v: bigint) => (v > 127n ? 127n : v < -128n ? -128n : v);
const perOp = (f: (r: bigint[]) => bigint[]) => (rows: (number | bigint)[][]) => rows.map((r) => f(r.map((x) => BigInt(x))));
const flat = <T>(layers: LayerStream[], f: (l: LayerStream, i: number) => T): T[] => layers.flatMap((l) => l.w.map((_, i) => f(l, i)));

/** Exponent-sum proxy of DNA-TEQ's counter index: 4 bits from |w| + |a|. */
const bankOf = (l: LayerStream, i: number) => ((Math.abs(l.w[i]!) + Math.abs(l.a[i]!)) >> 4) & 15;
const word16 = (vals: number[]) => vals.reduce((acc, v, k) => acc | (S(v, 8) << BigInt(8 * k)), 0n);

/**
 * The 16 bank outputs an update selects from: only the addressed bank is read, so only its word
 * changes (to `value`); the other banks' outputs hold what they last read. Rows of
 * [packed words, bank] per operation.
 */
function bankReads(ls: LayerStream[], value: (l: LayerStream, i: number) => number): [bigint, number][] {
  const held = new Array<number>(16).fill(0);
  return flat(ls, (l, i) => {
    const b = bankOf(l, i);
    held[b] = value(l, i);
    return [word16(held), b];
  });
}

/** acc <= (clr ? 0 : acc) + term, 32-bit wrap; the register is sampled after each clock. */
function macReference(rows: (number | bigint)[][], term: (r: bigint[]) => bigint): bigint[][] {
  let acc = 0n;
  return rows.map((raw) => {
    const r = raw.map((x) => BigInt(x));
    acc = BigInt.asIntN(32, (r[0] === 1n ? 0n : acc) + term(r));
    return [S(acc, 32)];
  });
}

const signed = (v: bigint, bits: number) => BigInt.asIntN(bits, v);
const clrAt = (l: LayerStream, i: number) => (i % l.fanIn === 0 ? 1 : 0);

/** Float32 helpers for the FP32 requantizer reference (round to nearest even throughout). */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fp32Requant(acc: bigint, scaleBits: bigint): bigint {
  u32[0] = Number(scaleBits);
  const scale = f32[0]!;
  const v = Math.fround(Math.fround(Number(acc)) * scale);
  const r = v - Math.floor(v) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
  return sat8(BigInt(r));
}

/** Signed b×b multiplier on weight × activation pairs quantized to b bits. */
function multiplierBlock(bits: number, pair: (l: LayerStream, i: number) => number[], horowitz: Horowitz): Block {
  return {
    key: `mul_int${bits}`,
    module: `mul_int${bits}`,
    inputs: [{ name: 'a', bits }, { name: 'b', bits }],
    outputs: [{ name: 'p', bits: 2 * bits }],
    clocked: false,
    stimulus: (ls) => flat(ls, pair),
    reference: perOp(([a, b]) => [S(signed(a!, bits) * signed(b!, bits), 2 * bits)]),
    stimulusText: `int${bits} weight × int${bits} activation pairs`,
    entry: { cls: 'int_multiplier_synth', args: { bits }, action: 'multiply' },
    horowitz,
  };
}

export const BLOCKS: Block[] = [
  multiplierBlock(8, (l, i) => [l.w[i]!, l.a[i]!], H8),
  multiplierBlock(4, (l, i) => [l.w4[i]!, l.a4[i]!], { what: "8-bit multiply scaled by the table's bits² rule to 4 bits", energyPj: 0.05, areaUm2: 70.5 }),
  {
    key: 'mul_int32',
    module: 'mul_int32',
    inputs: [{ name: 'a', bits: 32 }, { name: 'b', bits: 32 }],
    outputs: [{ name: 'p', bits: 64 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [BigInt(l.acc[i]!), l.scaleQ31]),
    reference: perOp(([a, b]) => [S(signed(a!, 32) * signed(b!, 32), 64)]),
    stimulusText: 'int32 accumulators × the per-layer Q0.31 requantizer multiplier',
    entry: { cls: 'int_multiplier_synth', args: { bits: 32 }, action: 'multiply' },
    horowitz: H32,
  },
  {
    key: 'mac_int8',
    module: 'mac_int8',
    inputs: [{ name: 'clr', bits: 1 }, { name: 'a', bits: 8 }, { name: 'b', bits: 8 }],
    outputs: [{ name: 'acc', bits: 32 }],
    clocked: true,
    stimulus: (ls) => flat(ls, (l, i) => [clrAt(l, i), l.w[i]!, l.a[i]!]),
    reference: (rows) => macReference(rows, (r) => signed(r[1]!, 8) * signed(r[2]!, 8)),
    stimulusText: 'int8 weight × int8 activation pairs, accumulator cleared every C·R·S MACs (one output)',
    entry: { cls: 'int_mac_synth', args: { bits: 8, accumulatorBits: 32 }, action: 'mac' },
    horowitz: { what: '8-bit multiply + 32-bit add', energyPj: 0.3, areaUm2: 419 },
  },
  {
    key: 'mux16_8',
    module: 'mux16_8',
    inputs: [{ name: 'd', bits: 128 }, { name: 's', bits: 4 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => bankReads(ls, (l, i) => l.a[i]!).map(([d, b]) => [d, BigInt(b)]),
    reference: perOp(([d, s]) => [(d! >> (8n * s!)) & 255n]),
    stimulusText: 'select = 4-bit exponent-sum proxy ((|w|+|a|) >> 4); the selected bank word becomes a new int8 activation, the other 15 hold (only the addressed bank is read)',
    entry: { cls: 'mux', args: { bits: 8, inputs: 16 }, action: 'select' },
  },
  {
    key: 'mux2_8',
    module: 'mux2_8',
    inputs: [{ name: 'd0', bits: 8 }, { name: 'd1', bits: 8 }, { name: 's', bits: 1 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.a[i]!, l.w[i]!, l.w[i]! & 1]),
    reference: perOp(([d0, d1, s]) => [s ? S(d1!, 8) : S(d0!, 8)]),
    stimulusText: 'int8 activation and weight as the two words; select = weight LSB',
    entry: { cls: 'mux', args: { bits: 8, inputs: 2 }, action: 'select' },
  },
  {
    key: 'incdec8',
    module: 'incdec8',
    inputs: [{ name: 'x', bits: 8 }, { name: 'down', bits: 1 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.w[i]!, l.w[i]! * l.a[i]! < 0 ? 1 : 0]),
    reference: perOp(([x, d]) => [S(x! + (d ? -1n : 1n), 8)]),
    stimulusText: 'count = int8 weight (a signed 8-bit count), down = sign of w·a (DNA-TEQ counts ± by the product sign)',
    entry: { cls: 'incrementer', args: { bits: 8 }, action: 'increment' },
  },
  {
    key: 'counter8',
    module: 'counter8',
    inputs: [{ name: 'clr', bits: 1 }],
    outputs: [{ name: 'q', bits: 8 }],
    clocked: true,
    stimulus: (ls) => flat(ls, (l, i) => [i === 0 && l === ls[0] ? 1 : 0]),
    reference: (rows) => {
      let q = 0n;
      return rows.map((r) => [(q = r[0] ? 0n : (q + 1n) & 255n)]);
    },
    stimulusText: 'free-running count (no operand data)',
    entry: { cls: 'counter', args: { bits: 8 }, action: 'increment' },
  },
  {
    key: 'shifter32',
    module: 'shifter32',
    inputs: [{ name: 'x', bits: 32 }, { name: 's', bits: 5 }],
    outputs: [{ name: 'y', bits: 32 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.acc[i]!, l.shift]),
    reference: perOp(([x, s]) => [S(signed(x!, 32) >> s!, 32)]),
    stimulusText: 'int32 accumulators (conv outputs / (s_w·s_a)), shift = the layer’s power-of-two shift',
    entry: { cls: 'shifter', args: { bits: 32, shift: 32 }, action: 'shift' },
  },
  {
    key: 'shifter15',
    module: 'shifter15',
    inputs: [{ name: 'a', bits: 8 }, { name: 'm', bits: 3 }],
    outputs: [{ name: 'y', bits: 15 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.a[i]!, l.lightnn[0]!.terms[i]!.m1]),
    reference: perOp(([a, m]) => [S((signed(a!, 8) << 7n) >> m!, 15)]),
    stimulusText: 'int8 activations, shift m of LightNN-1-quantized weights',
    entry: { cls: 'shifter', args: { bits: 15, shift: 8 }, action: 'shift' },
  },
  {
    key: 'round_clip32',
    module: 'round_clip32',
    inputs: [{ name: 'x', bits: 32 }, { name: 'r', bits: 1 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.acc[i]! >> l.shift, l.shift > 0 ? (l.acc[i]! >> (l.shift - 1)) & 1 : 0]),
    reference: perOp(([x, r]) => [S(sat8(signed(x!, 32) + r!), 8)]),
    stimulusText: 'int32 accumulators after the layer’s shift, with the last bit shifted out as the rounding bit',
    entry: { cls: 'round_clip', args: { bits: 32, outputBits: 8 }, action: 'round_clip' },
  },
  {
    key: 'requant_shift_round',
    module: 'requant_shift_round',
    inputs: [{ name: 'acc', bits: 32 }, { name: 's', bits: 5 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.acc[i]!, l.shift]),
    reference: perOp(([acc, s]) => [S(sat8((signed(acc!, 32) + (s ? 1n << (s - 1n) : 0n)) >> s!), 8)]),
    stimulusText: 'int32 accumulators, per-layer shift',
    entry: { cls: 'requantizer', args: { kind: 'shift_round' }, action: 'requantize' },
  },
  {
    key: 'requant_int32',
    module: 'requant_int32',
    inputs: [{ name: 'acc', bits: 32 }, { name: 'm', bits: 32 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [BigInt(l.acc[i]!), l.scaleQ31]),
    reference: perOp(([acc, m]) => {
      const p = signed(acc!, 32) * signed(m!, 32);
      return [S(sat8((p >> 31n) + ((p >> 30n) & 1n)), 8)];
    }),
    stimulusText: 'int32 accumulators, per-layer Q0.31 multiplier 127/max|acc|',
    entry: { cls: 'requantizer', args: { kind: 'scale_multiply_int32' }, action: 'requantize' },
    horowitz: H32,
  },
  {
    key: 'requant_fp32',
    module: 'requant_fp32',
    inputs: [{ name: 'acc', bits: 32 }, { name: 'scale', bits: 32 }],
    outputs: [{ name: 'y', bits: 8 }],
    clocked: false,
    stimulus: (ls) => flat(ls, (l, i) => [l.acc[i]!, l.scaleFp32Bits]),
    reference: perOp(([acc, sc]) => [S(fp32Requant(signed(acc!, 32), sc!), 8)]),
    stimulusText: 'int32 accumulators, per-layer FP32 scale 127/max|acc|',
    entry: { cls: 'requantizer', args: { kind: 'scale_multiply_fp32' }, action: 'requantize' },
    horowitz: { what: 'FP32 multiply', energyPj: 3.7, areaUm2: 7700 },
  },
  ...shiftAddBlocks(),
  {
    key: 'ac_update',
    module: 'ac_update',
    inputs: [{ name: 'd', bits: 128 }, { name: 'bank', bits: 4 }, { name: 'down', bits: 1 }],
    outputs: [{ name: 'y', bits: 8 }, { name: 'we', bits: 16 }],
    clocked: false,
    stimulus: (ls) => {
      const reads = bankReads(ls, (l, i) => l.w[i]!);
      const down = flat(ls, (l, i) => (l.w[i]! * l.a[i]! < 0 ? 1n : 0n));
      return reads.map(([d, b], k) => [d, BigInt(b), down[k]!]);
    },
    reference: perOp(([d, b, down]) => [S(((d! >> (8n * b!)) & 255n) + (down ? -1n : 1n), 8), 1n << b!]),
    stimulusText: 'bank = exponent-sum proxy; the addressed bank outputs a new count (an int8 weight), the other 15 hold; down = sign of w·a',
    entry: { cls: 'ac_update_path', args: { bits: 8, banks: 16 }, action: 'update' },
  },
];

function shiftAddBlocks(): Block[] {
  const k1: Block = {
    key: 'shift_add_k1',
    module: 'shift_add_k1',
    inputs: [{ name: 'clr', bits: 1 }, { name: 'a', bits: 8 }, { name: 'm', bits: 3 }, { name: 'neg', bits: 1 }],
    outputs: [{ name: 'acc', bits: 32 }],
    clocked: true,
    stimulus: (ls) => flat(ls, (l, i) => {
      const t = l.lightnn[0]!.terms[i]!;
      return [clrAt(l, i), l.a[i]!, t.m1, t.neg ? 1 : 0];
    }),
    reference: (rows) => macReference(rows, (r) => {
      const t = (signed(r[1]!, 8) << 7n) >> r[2]!;
      return r[3] ? -t : t;
    }),
    stimulusText: 'int8 activations × LightNN-1-quantized weights (shift m, sign), accumulator cleared every C·R·S MACs',
    entry: { cls: 'shift_add_unit', args: { K: 1, activationBits: 8, accumulatorBits: 32 }, action: 'mac' },
  };
  const k2 = (twoTerm: boolean): Block => ({
    key: twoTerm ? 'shift_add_k2' : 'shift_add_k2_one_term',
    module: 'shift_add_k2',
    inputs: [{ name: 'clr', bits: 1 }, { name: 'a', bits: 8 }, { name: 'm1', bits: 3 }, { name: 'm2', bits: 3 }, { name: 'en2', bits: 1 }, { name: 'neg', bits: 1 }],
    outputs: [{ name: 'acc', bits: 32 }],
    clocked: true,
    stimulus: (ls) => ls.flatMap((l) => {
      const terms = l.lightnn[1]!.terms;
      const rows: number[][] = [];
      l.a.forEach((a, i) => {
        const t = terms[i]!;
        if (t.zero || t.en2 !== twoTerm) return;
        rows.push([rows.length % l.fanIn === 0 ? 1 : 0, a, t.m1, t.m2, t.en2 ? 1 : 0, t.neg ? 1 : 0]);
      });
      return rows;
    }),
    reference: (rows) => macReference(rows, (r) => {
      const t1 = (signed(r[1]!, 8) << 7n) >> r[2]!;
      const t2 = r[4] ? (signed(r[1]!, 8) << 7n) >> r[3]! : 0n;
      return r[5] ? -(t1 + t2) : t1 + t2;
    }),
    stimulusText: `int8 activations × LightNN-2-quantized weights with ${twoTerm ? 'two terms' : 'one term (second shifter gated)'} (zero weights are skipped and not simulated)`,
    entry: { cls: 'shift_add_unit', args: { K: 2, activationBits: 8, accumulatorBits: 32 }, action: twoTerm ? 'mac' : 'mac_one_term' },
  });
  return [k1, k2(true), k2(false)];
}
