/**
 * Results that add up: a layer result per layer, network totals as their sums, and the
 * formats users read (table, JSON, CSV).
 */
import type { Breakdown } from './ledger.ts';
import { breakdownEnergyPj, LEAKAGE_OP } from './ledger.ts';
import type { AreaRow } from './component.ts';
import type { Mode } from './scheme.ts';
import { formatHardware, hardwareTableRows, type HardwareSummary } from './hardware.ts';

export interface LayerResult {
  name: string;
  kind: string;
  cycles: number;
  macs: number;
  utilization: number;
  energyPj: number;
  stalls?: Record<string, number>;
  details?: Record<string, unknown>;
  breakdown: Breakdown;
}

export interface Totals {
  cycles: number;
  timeUs: number;
  energyPj: number;
  dynamicEnergyPj: number;
  leakageEnergyPj: number;
  areaUm2: number;
  macs: number;
  utilization: number;
}

export interface Report {
  arch: string;
  scheme: string;
  archFile: string;
  network: string;
  mode: Mode;
  seed: number;
  clockMHz: number;
  costs: { file: string; sha256: string; name: string };
  /** DRAM technology of the config (its energy per bit is cost class dram_<technology>). */
  dramTechnology: string;
  /** Fraction 0..1 of the total energy that rests on cost entries with method "estimate". */
  estimateShare: number;
  trace: { source: 'none' | 'synthetic' | 'real'; generator?: string; seed?: number; dir?: string };
  /** The quantsim version that made the report. */
  quantsim: string;
  /** What was simulated, as the design built it (sim/hardware.ts). */
  hardware: HardwareSummary;
  /** Inputs per layer (N) of this run; totals are per batch, `perInput` divides them by it. */
  batch: number;
  perInput: { cycles: number; timeUs: number; energyPj: number };
  totals: Totals;
  /** Energy per top-level part (dram, glb, noc, array, …), summed over layers. */
  energyByPartPj: Record<string, number>;
  /** Energy per access at each level and its ratio to one MAC, when the scheme reports it. */
  energyPerAccess?: { unit: string; pj: Record<string, number>; relativeToMac: Record<string, number> };
  area: Record<string, AreaRow>;
  /** Network-level results a scheme adds (Accelerator.summary), printed under the run table. */
  summary?: { data: Readonly<Record<string, unknown>>; lines: readonly string[] };
  layers: LayerResult[];
}

export function leakagePj(b: Breakdown): number {
  let s = 0;
  for (const byOp of Object.values(b)) s += byOp[LEAKAGE_OP]?.energyPj ?? 0;
  return s;
}

/** Energy per top-level part: the second segment of a component path (`chip/glb/…` → `glb`). */
export function energyByPart(b: Breakdown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [path, byOp] of Object.entries(b)) {
    const part = path.split('/')[1] ?? path;
    out[part] = (out[part] ?? 0) + breakdownEnergyPj({ [path]: byOp });
  }
  return out;
}

/** Numbers for people: 3 significant digits, exponent form for very large or small magnitudes. */
export const fmt = (x: number, digits = 3) => (Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(digits - 1) : Number(x.toPrecision(digits)).toString());

/** A plain-text table with right-aligned numeric columns. */
/** Terminal tables fit this many columns unless a command is given `--wide`. */
export const TABLE_COLUMNS = 120;
/** A text column is cut no shorter than this (its cells end in "…"). */
const MIN_TEXT_COLUMN = 16;

/**
 * A plain-text table. Numbers print with 4 significant digits. When the table is wider than
 * `maxWidth`, the widest text columns (not numbers) are cut, their cells ending in "…", down to
 * MIN_TEXT_COLUMN characters; `maxWidth: Infinity` prints everything (`--wide`).
 */
export function textTable(header: string[], rows: (string | number)[][], options: { maxWidth?: number } = {}): string {
  const maxWidth = options.maxWidth ?? TABLE_COLUMNS;
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c, 4) : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const text = header.map((_, i) => rows.some((r) => typeof r[i] === 'string' && r[i] !== '' && !/^[-+\d.,e×%µ ]+$/.test(r[i] as string)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (text[i] && widths[i]! > MIN_TEXT_COLUMN && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest] = Math.max(MIN_TEXT_COLUMN, widths[widest]! - (total() - maxWidth));
  }
  const cut = (c: string, w: number) => {
    const chars = [...c];
    return chars.length > w ? `${chars.slice(0, w - 1).join('')}…` : c;
  };
  const pad = (c: string, w: number, left: boolean) => {
    const n = w - [...c].length;
    return n <= 0 ? c : left ? c + ' '.repeat(n) : ' '.repeat(n) + c;
  };
  // Still too wide (numbers are never cut): the columns wrap into bands under each other, each band
  // repeating the first (key) column.
  const bands: number[][] = [];
  for (let i = 1; i < widths.length; i++) {
    const band = bands.at(-1);
    const used = band ? band.reduce((a, j) => a + widths[j]! + 2, widths[0]!) : Infinity;
    if (band && used + 2 + widths[i]! <= maxWidth) band.push(i);
    else bands.push([i]);
  }
  if (!bands.length) bands.push([]);
  const table = (cols: number[]) => {
    const line = (r: string[]) => cols.map((i) => pad(cut(r[i] ?? '', widths[i]!), widths[i]!, i === 0 || text[i]!)).join('  ').trimEnd();
    return [line(cells[0]!), cols.map((i) => '-'.repeat(widths[i]!)).join('  '), ...cells.slice(1).map(line)].join('\n');
  };
  return bands.map((b) => table([0, ...b])).join('\n\n');
}

/** Prose wrapped at word boundaries to `maxWidth` columns (Infinity: unchanged). */
export function wrapText(text: string, maxWidth = TABLE_COLUMNS): string {
  if (!Number.isFinite(maxWidth)) return text;
  return text
    .split('\n')
    .map((para) => {
      const out: string[] = [];
      let line = '';
      for (const word of para.split(' ')) {
        if (line && [...line].length + 1 + [...word].length > maxWidth) {
          out.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      out.push(line);
      return out.join('\n');
    })
    .join('\n');
}

interface LoopLike {
  dim: string;
  bound: number;
  level: string;
  spatial: boolean;
  note?: string;
}

/**
 * `--detail`: per layer, the per-tensor accesses and reuse by level and the mapping's loop nest,
 * for designs that report them in their layer details (`tensors`, `loopNest`).
 */
export function formatLayerDetail(r: Report): string {
  const out: string[] = [];
  for (const l of r.layers) {
    const tensors = l.details?.tensors as Record<string, Record<string, { reads?: number; writes?: number; fills?: number; macsPerAccess: number }>> | undefined;
    const loops = l.details?.loopNest as LoopLike[] | undefined;
    if (!tensors && !loops) continue;
    out.push(`layer ${l.name}`);
    if (tensors) {
      const rows = Object.entries(tensors).flatMap(([tensor, levels]) => Object.entries(levels).map(([level, a]) => [tensor, level, a.reads ?? '', a.writes ?? '', a.fills ?? '', a.macsPerAccess]));
      out.push(textTable(['tensor', 'level', 'reads', 'writes', 'fills', 'MACs/access'], rows));
    }
    if (loops) {
      out.push('loop nest (outer → inner; parallel-for = spatial):');
      out.push(loops.map((x, i) => `${'  '.repeat(i + 1)}${x.spatial ? 'parallel-for' : 'for'} ${x.dim} in [0, ${x.bound})  @${x.level}${x.note ? `  (${x.note})` : ''}`).join('\n'));
    }
    out.push('');
  }
  return out.join('\n');
}

export function formatRunTable(r: Report): string {
  const parts = Object.keys(r.energyByPartPj);
  const header = ['layer', 'MACs', 'cycles', 'util', 'energy µJ', ...parts.map((p) => `${p} µJ`)];
  const rows = r.layers.map((l) => {
    const byPart = energyByPart(l.breakdown);
    return [l.name, l.macs, l.cycles, l.utilization, l.energyPj / 1e6, ...parts.map((p) => (byPart[p] ?? 0) / 1e6)];
  });
  const t = r.totals;
  rows.push(['TOTAL', t.macs, t.cycles, t.utilization, t.energyPj / 1e6, ...parts.map((p) => r.energyByPartPj[p]! / 1e6)]);
  const head = [
    `${r.arch} (${r.scheme}) on ${r.network} — mode ${r.mode}, seed ${r.seed}, trace ${r.trace.source}`,
    `costs: ${r.costs.file} (sha256 ${r.costs.sha256.slice(0, 12)}) · DRAM ${r.dramTechnology} · ${fmt(100 * r.estimateShare)}% of energy rests on estimates`,
    ...(r.batch > 1 ? [`batch ${r.batch}: totals are per batch; per input ${fmt(r.perInput.cycles, 4)} cycles, ${fmt(r.perInput.energyPj / 1e6, 4)} µJ`] : []),
    `time ${fmt(t.timeUs / 1000, 4)} ms at ${r.clockMHz} MHz · energy ${fmt(t.energyPj / 1e6, 4)} µJ (leakage ${fmt(t.leakageEnergyPj / 1e6, 4)} µJ) · area ${fmt(t.areaUm2 / 1e6, 4)} mm² · ${fmt(t.energyPj / Math.max(t.macs, 1), 4)} pJ/MAC`,
  ];
  let levels = '';
  if (r.energyPerAccess) {
    const e = r.energyPerAccess;
    const names = Object.keys(e.pj);
    levels = `\nenergy per access (${e.unit}), relative to one MAC\n\n${textTable(['', ...names], [
      ['pJ', ...names.map((n) => e.pj[n]!)],
      ['× MAC', ...names.map((n) => e.relativeToMac[n]!)],
    ])}\n`;
  }
  const summary = r.summary?.lines.length ? `\n${r.summary.lines.join('\n')}\n` : '';
  return `${head.join('\n')}\n${formatHardware(r.hardware)}\n\n${textTable(header, rows)}\n${levels}${summary}`;
}

/** One CSV row per layer × component × operation. */
export function formatRunCsv(r: Report): string {
  const lines = ['layer,component,op,count,energyPj'];
  for (const l of r.layers) {
    for (const [path, byOp] of Object.entries(l.breakdown)) {
      for (const [op, t] of Object.entries(byOp)) lines.push([csvCell(l.name), csvCell(path), op, t.count, t.energyPj].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

export function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CompareRow {
  scheme: string;
  report: Report;
}

export function formatCompareTable(rows: CompareRow[], baseline: string): string {
  const base = rows.find((r) => r.scheme === baseline)!.report.totals;
  const header = ['scheme', 'cycles', 'energy µJ', 'leak µJ', 'area mm²', 'pJ/MAC', 'speedup', 'energy ×', 'area ×', 'estimate %'];
  const body = rows.map(({ scheme, report: { totals: t, estimateShare } }) => [
    scheme,
    t.cycles,
    t.energyPj / 1e6,
    t.leakageEnergyPj / 1e6,
    t.areaUm2 / 1e6,
    t.energyPj / Math.max(t.macs, 1),
    base.cycles / t.cycles,
    t.energyPj / base.energyPj,
    t.areaUm2 / base.areaUm2,
    100 * estimateShare,
  ]);
  const r0 = rows[0]!.report;
  const drams = [...new Set(rows.map((r) => r.report.dramTechnology))];
  const dram = drams.length === 1 ? drams[0]! : rows.map((r) => `${r.scheme} ${r.report.dramTechnology}`).join(', ');
  const hw = hardwareTableRows(rows.map((r) => ({ name: r.scheme, hardware: r.report.hardware })));
  // Schemes' own network-level lines (e.g. DNA-TEQ's second evaluation view), one block each.
  const summaries = rows.filter((r) => r.report.summary?.lines.length).map((r) => `${r.scheme}:\n${r.report.summary!.lines.map((l) => `  ${l}`).join('\n')}\n`);
  const spreads = rows.flatMap(({ scheme, report }) => {
    const s = perInputSpeedup(report, base);
    return s && scheme !== baseline ? [`${scheme}: speedup per ${s.inputsPerRun === 1 ? 'input' : `batch of ${s.inputsPerRun} inputs`} (${s.inputs} runs) min / mean / max ${fmt(s.min)} / ${fmt(s.mean)} / ${fmt(s.max)}`] : [];
  });
  const perInput = spreads.length > 0 ? `\n${spreads.join('\n')}\n` : '';
  return `${r0.network} — mode ${r0.mode}, seed ${r0.seed}, trace ${r0.trace.source}, baseline ${baseline}, DRAM ${dram}\n\n${textTable(header, body)}\n${perInput}\nhardware\n\n${textTable(hw.header, hw.rows)}\n\n${formatEnergyByPart(rows)}${summaries.length ? `\n${summaries.join('\n')}` : ''}`;
}

/**
 * Speedup over the baseline of each input the scheme simulated on its own (its summary's
 * `perInput.perInputCycles`; the baseline's cycles do not depend on the input), min / mean / max.
 */
export function perInputSpeedup(report: Report, base: Totals): { inputs: number; inputsPerRun: number; min: number; mean: number; max: number } | undefined {
  const per = report.summary?.data.perInput as { perInputCycles?: number[]; inputsPerRun?: number } | undefined;
  const cycles = per?.perInputCycles;
  if (!cycles || cycles.length === 0) return undefined;
  const sp = cycles.map((c) => base.cycles / c);
  return { inputs: sp.length, inputsPerRun: per?.inputsPerRun ?? 1, min: Math.min(...sp), mean: sp.reduce((a, b) => a + b, 0) / sp.length, max: Math.max(...sp) };
}

/** Energy per top-level part (µJ) of each compared design, one row per design. */
export function formatEnergyByPart(rows: CompareRow[]): string {
  const parts = [...new Set(rows.flatMap((r) => Object.keys(r.report.energyByPartPj)))];
  const body = rows.map(({ scheme, report }) => [scheme, ...parts.map((p) => (report.energyByPartPj[p] ?? 0) / 1e6)]);
  const areaOf = (r: Report) => {
    const out: Record<string, number> = {};
    for (const [path, a] of Object.entries(r.area)) {
      const block = path.split('/').slice(1).join('/') || path;
      out[block] = (out[block] ?? 0) + a.areaUm2;
    }
    return out;
  };
  const areas = rows.map((r) => areaOf(r.report));
  const blocks = [...new Set(areas.flatMap((a) => Object.keys(a)))];
  const areaBody = blocks.map((b) => [b, ...areas.map((a) => (a[b] ?? 0) / 1e6)]);
  return `energy by part (µJ)\n\n${textTable(['scheme', ...parts], body)}\n\narea by block (mm²)\n\n${textTable(['block', ...rows.map((r) => r.scheme)], areaBody)}\n`;
}

/**
 * Where a layer's difference to the baseline comes from: cycles split into compute (the rest) and
 * the replay's stalls by cause, and energy by top-level part; each as scheme − baseline.
 */
export interface LayerAttribution {
  cycles: { total: number; compute: number; nocStall: number; dramStall: number; glbStall: number };
  energyPj: Record<string, number>;
}

function cycleParts(l: LayerResult): LayerAttribution['cycles'] {
  const s = l.stalls ?? {};
  const noc = s.noc ?? 0;
  const dram = s.dram ?? 0;
  const glb = s.glb ?? 0;
  return { total: l.cycles, compute: l.cycles - noc - dram - glb, nocStall: noc, dramStall: dram, glbStall: glb };
}

export function layerAttribution(l: LayerResult, b: LayerResult): LayerAttribution {
  const c = cycleParts(l);
  const cb = cycleParts(b);
  const e = energyByPart(l.breakdown);
  const eb = energyByPart(b.breakdown);
  const energyPj: Record<string, number> = {};
  for (const part of new Set([...Object.keys(eb), ...Object.keys(e)])) energyPj[part] = (e[part] ?? 0) - (eb[part] ?? 0);
  return {
    cycles: { total: c.total - cb.total, compute: c.compute - cb.compute, nocStall: c.nocStall - cb.nocStall, dramStall: c.dramStall - cb.dramStall, glbStall: c.glbStall - cb.glbStall },
    energyPj,
  };
}

/** Per layer of one scheme against the baseline: speedup, energy ratio and their attribution (layers matched by name). */
export function layerRatios(report: Report, base: Report): { name: string; speedup: number; energyRatio: number; attribution: LayerAttribution }[] {
  const byName = new Map(base.layers.map((l) => [l.name, l]));
  return report.layers.flatMap((l) => {
    const b = byName.get(l.name);
    return b ? [{ name: l.name, speedup: b.cycles / l.cycles, energyRatio: l.energyPj / b.energyPj, attribution: layerAttribution(l, b) }] : [];
  });
}

/** For each scheme but the baseline, per layer: Δcycles by compute and stall cause, Δenergy by part (µJ). */
export function formatCompareAttribution(rows: CompareRow[], baseline: string): string {
  const base = rows.find((r) => r.scheme === baseline)!.report;
  return rows
    .filter((r) => r.scheme !== baseline)
    .map(({ scheme, report }) => {
      const ratios = layerRatios(report, base);
      const parts = [...new Set(ratios.flatMap((r) => Object.keys(r.attribution.energyPj)))];
      const header = ['layer', 'Δcycles', 'Δcompute', 'ΔNoC stall', 'ΔDRAM stall', 'ΔGLB stall', ...parts.map((p) => `Δ${p} µJ`)];
      const body = ratios.map(({ name, attribution: { cycles: c, energyPj } }) => [name, c.total, c.compute, c.nocStall, c.dramStall, c.glbStall, ...parts.map((p) => (energyPj[p] ?? 0) / 1e6)]);
      const sum = (f: (r: (typeof ratios)[number]) => number) => ratios.reduce((a, r) => a + f(r), 0);
      body.push([
        'NETWORK',
        sum((r) => r.attribution.cycles.total),
        sum((r) => r.attribution.cycles.compute),
        sum((r) => r.attribution.cycles.nocStall),
        sum((r) => r.attribution.cycles.dramStall),
        sum((r) => r.attribution.cycles.glbStall),
        ...parts.map((p) => sum((r) => r.attribution.energyPj[p] ?? 0) / 1e6),
      ]);
      return `where ${scheme} differs from ${baseline} (${scheme} − ${baseline}; compute = cycles − stalls)\n\n${textTable(header, body)}\n`;
    })
    .join('\n');
}

/** Per-layer speedup and energy reduction of every scheme against the baseline, then the network. */
export function formatCompareLayers(rows: CompareRow[], baseline: string): string {
  const base = rows.find((r) => r.scheme === baseline)!.report;
  const others = rows.filter((r) => r.scheme !== baseline);
  const header = ['layer', ...others.flatMap((r) => [`${r.scheme} speedup`, `${r.scheme} energy red.`])];
  const ratios = others.map((r) => layerRatios(r.report, base));
  const body = base.layers.map((l, i) => [l.name, ...ratios.flatMap((rs) => [rs[i]!.speedup, `${(100 * (1 - rs[i]!.energyRatio)).toFixed(1)}%`])]);
  body.push([
    'NETWORK',
    ...others.flatMap(({ report: { totals: t } }) => [base.totals.cycles / t.cycles, `${(100 * (1 - t.energyPj / base.totals.energyPj)).toFixed(1)}%`]),
  ]);
  return `per layer vs ${baseline}\n\n${textTable(header, body)}\n`;
}
