/**
 * The cost-table classes a synthesis run produces, and their splice into configs/costs/32nm.json
 * text: only these classes' lines are rewritten (in the file's one-point-per-line style), so the
 * rest of the hand-kept table, and merges of it, are untouched.
 */
import { BLOCKS, type Horowitz } from './blocks.ts';
import type { BlockResult } from './synth-run.ts';

export interface RunRecord {
  tools: { yosys: string; iverilog: string };
  liberty: string;
  slewNs: number;
  outputLoadFf: number;
  wireLoad: string;
  voltageV: number;
  trace: string;
  results: BlockResult[];
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

interface ClassOut {
  description: string;
  scaling?: Record<string, string>;
  fallback?: Record<string, string>;
  /** Published points kept beside the synthesized ones. */
  keep?: Json[];
}

/** Class descriptions and rules; every block's entry names one of these. */
const CLASSES: Record<string, ClassOut> = {
  int_multiplier_synth: { description: 'signed integer multiplier synthesized onto Nangate 45nm (cross-check of Horowitz\'s int_multiplier; no model charges it); ∝ bits²', scaling: { bits: 'quadratic' } },
  int_mac_synth: { description: 'INT8 multiply + 32-bit accumulate into a register, synthesized (cross-check of int_multiplier + int_adder; no model charges it)' },
  mux: { description: 'n:1 multiplexer of w bits, synthesized; energy and area ∝ w·log2(n) between and beyond the points', scaling: { bits: 'linear', inputs: 'log2' } },
  incrementer: { description: '±1 of a w-bit count (no register: DNA-TEQ keeps counts in SRAM), synthesized; ∝ bits', scaling: { bits: 'linear' }, fallback: { decrement: 'increment' } },
  counter: {
    description: 'binary counter with its register; ∝ bits',
    scaling: { bits: 'linear' },
    fallback: { decrement: 'increment' },
    keep: [{ args: { bits: 32 }, node: '40nm', energy: { increment: '0.206 pJ' }, source: 'Aladdin (Shao et al., ISCA 2014) 40nm power model, 32-bit counter', method: 'published' }],
  },
  shifter: { description: 'barrel shifter of w bits by up to s positions, synthesized; energy and area ∝ w·log2(s) between and beyond the points', scaling: { bits: 'linear', shift: 'log2' } },
  round_clip: { description: 'round (add the last bit shifted out) and saturate a w-bit value to outputBits, synthesized; ∝ bits', scaling: { bits: 'linear' } },
  requantizer: { description: 'whole requantizers, synthesized: Geng et al.\'s shift-round and the two readings of the scale-multiply baseline (int32 Q0.31 multiply; FP32 multiply with int↔float conversions); the models charge their parts, these are the validation figures' },
  shift_add_unit: { description: 'LightNN shift-add MAC with its 32-bit accumulator register, synthesized (cross-check of the parts ShiftAddUnit charges)' },
  ac_update_path: { description: 'DNA-TEQ array-counter update path: 16:1 bank select, ±1, one-hot bank write enable, synthesized (cross-check of the incrementer + 2 mux selects ArrayCounter charges)' },
};

const sig = (x: number) => Number(x.toPrecision(4));

function crossCheck(r: BlockResult, h: Horowitz | undefined): string {
  return h ? `; vs Horowitz (ISSCC 2014, 45nm) ${h.what} (${h.energyPj} pJ, ${h.areaUm2} µm²): energy ×${sig(r.energyPj / h.energyPj)}, area ×${sig(r.areaUm2 / h.areaUm2)} (not adjusted)` : '';
}

function sourceText(rec: RunRecord, r: BlockResult, stimulus: string, h: Horowitz | undefined): string {
  const cross = crossCheck(r, h);
  return (
    `${rec.tools.yosys} (synth -flatten; dfflibmap; abc -liberty) onto the ${rec.liberty}; area = sum of ${r.cells} cell areas; ` +
    `energy = ${rec.tools.iverilog} gate-level simulation with Liberty cell delays on ${stimulus} from the ${rec.trace}: per net toggles × (½CV² of sink pins + ${rec.wireLoad} wire load + ${rec.outputLoadFf} fF per output, plus the cells' Liberty internal energy at ${rec.slewNs} ns slew), ${rec.voltageV} V; ` +
    `${r.ops} operations, zero-delay (glitch-free) energy ${sig(r.zeroDelayEnergyPj)} pJ${cross}; scripts/costs/synth.ts, scripts/costs/verilog/${r.module}.v`
  );
}

/** The classes of a run, each with its synthesized points (45nm: the table scales them to 32nm). */
export function synthesizedClasses(rec: RunRecord): Record<string, { description: string; scaling?: Record<string, string>; fallback?: Record<string, string>; points: Json[] }> {
  const out: Record<string, { description: string; scaling?: Record<string, string>; fallback?: Record<string, string>; points: Json[] }> = {};
  const pointByArgs = new Map<string, { args: Record<string, number | string>; node: string; energy: Record<string, string>; area?: string; source: string; method: string }>();
  for (const r of rec.results) {
    const b = BLOCKS.find((x) => x.key === r.key);
    if (!b) throw new Error(`run record has block ${r.key}, which blocks.ts does not define`);
    const c = CLASSES[b.entry.cls];
    if (!c) throw new Error(`block ${b.key}: class ${b.entry.cls} has no description in table-entries.ts`);
    out[b.entry.cls] ??= { description: c.description, ...(c.scaling ? { scaling: c.scaling } : {}), ...(c.fallback ? { fallback: c.fallback } : {}), points: [...(c.keep ?? [])] };
    const id = `${b.entry.cls}:${JSON.stringify(b.entry.args)}`;
    let p = pointByArgs.get(id);
    if (!p) {
      p = { args: b.entry.args, node: '45nm', energy: {}, source: sourceText(rec, r, b.stimulusText, b.horowitz), method: 'synthesized' };
      pointByArgs.set(id, p);
      out[b.entry.cls]!.points.push(p as unknown as Json);
    } else {
      // A second stream of the same module: only what differs.
      p.source = `${p.source}. ${b.entry.action}: the same netlist on ${b.stimulusText}, ${r.ops} operations, zero-delay energy ${sig(r.zeroDelayEnergyPj)} pJ${crossCheck(r, b.horowitz)}`;
    }
    p.energy[b.entry.action] = `${sig(r.energyPj)} pJ`;
    // Area is the module's; a second stream of the same module (shift_add_k2 one-term) keeps it.
    p.area ??= `${sig(r.areaUm2)} um^2`;
  }
  // Order the keys as the table writes them: args, node, energy, area, source, method.
  for (const c of Object.values(out)) {
    c.points = c.points.map((p) => {
      const o = p as Record<string, Json>;
      const { args, node, energy, area, source, method } = o;
      return { ...(args ? { args } : {}), node: node!, ...(energy ? { energy } : {}), ...(area ? { area } : {}), source: source!, method: method! };
    });
  }
  return out;
}

/** `{ "a": 1, "b": [2, 3] }` on one line, as the table writes its points. */
export function inline(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const e = Object.entries(v);
    return e.length ? `{ ${e.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(v);
}

export function classLines(name: string, c: { description: string; scaling?: Record<string, string>; fallback?: Record<string, string>; points: Json[] }): string[] {
  const lines = [`    ${JSON.stringify(name)}: {`, `      "description": ${JSON.stringify(c.description)},`];
  if (c.scaling) lines.push(`      "scaling": ${inline(c.scaling)},`);
  if (c.fallback) lines.push(`      "fallback": ${inline(c.fallback)},`);
  lines.push('      "points": [', ...c.points.map((p, i) => `        ${inline(p)}${i < c.points.length - 1 ? ',' : ''}`), '      ]', '    }');
  return lines;
}

/**
 * Replace each class's block in the table text (from `    "name": {` to its closing `    }`),
 * or insert new classes after the `mux` class. The result must still be valid JSON.
 */
export function replaceClasses(text: string, classes: Record<string, Parameters<typeof classLines>[1]>): string {
  const lines = text.split('\n');
  const blockOf = (name: string): [number, number] | undefined => {
    const start = lines.indexOf(`    ${JSON.stringify(name)}: {`);
    if (start < 0) return undefined;
    let end = start + 1;
    while (end < lines.length && !/^ {4}\},?$/.test(lines[end]!)) end++;
    if (end >= lines.length) throw new Error(`class ${name}: no closing line`);
    return [start, end];
  };
  for (const [name, c] of Object.entries(classes)) {
    const body = classLines(name, c);
    const at = blockOf(name);
    if (at) {
      const comma = lines[at[1]]!.endsWith(',') ? ',' : '';
      body[body.length - 1] += comma;
      lines.splice(at[0], at[1] - at[0] + 1, ...body);
    } else {
      const anchor = blockOf('mux') ?? blockOf(Object.keys(classes)[0]!);
      if (!anchor) throw new Error('no "mux" class to insert new classes after');
      // The new class takes the anchor's place in the comma chain: after it, before what followed.
      if (lines[anchor[1]]!.endsWith(',')) body[body.length - 1] += ',';
      else lines[anchor[1]] += ',';
      lines.splice(anchor[1] + 1, 0, ...body);
    }
  }
  const out = lines.join('\n');
  JSON.parse(out);
  return out;
}
