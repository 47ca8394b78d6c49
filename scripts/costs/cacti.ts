/**
 * Regenerate the `sram` class of a cost table from CACTI 7 (HewlettPackard/cacti, built from its
 * public source with g++; a development tool, never needed by tests or runs).
 *
 *   npx tsx scripts/costs/cacti.ts --cacti /path/to/cacti [--table configs/costs/32nm.json]
 *   (or CACTI_BIN=/path/to/cacti)
 *
 * Every SRAM / register-file / buffer bank the shipped configs build (found by building each
 * configs/arch/*.json with a recording cost table) plus Horowitz's 8 KB / 32 KB / 1 MB points is
 * written as a CACTI input (configs/costs/cacti/<bytes>B-<bits>b.cfg, committed as the record),
 * run at 32nm, and its read/write energy, leakage and area become one `method: "cacti"` point.
 * CACTI refuses arrays below 64 B and some shallow wide ones; those get the register-file model
 * of Accelergy's Aladdin plug-in instead (register-file.ts in this folder), said so in the entry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CostTable, loadCostTable, type CostTableSpec } from '../../sim/costs.ts';
import { loadArch, DEFAULT_COSTS } from '../../sim/arch.ts';
import { CONFIG_DIR } from '../../sim/config.ts';
import { Ledger } from '../../sim/ledger.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { SCHEMES } from '../../models/registry.ts';
import { readCostTableSpec, writeCostTableSpec } from './table-json.ts';
import { registerFilePoints, REGISTER_FILE_SOURCE } from './register-file.ts';

export interface Memory {
  bytes: number;
  bits: number;
}

/** The design choices of every CACTI run, written into each entry's source. */
export const CACTI_CHOICES = {
  technologyUm: 0.032,
  /** ITRS low-operating-power devices for cells and periphery: the mobile/LP process an Eyeriss-class part is made in. */
  cellType: 'itrs-lop',
  peripheralType: 'itrs-lop',
  temperatureK: 360,
  /** Minimise dynamic energy per access (an accelerator at 200 MHz has slack for any organisation CACTI offers). */
  objective: '0:100:0:0:0',
  deviate: '20:100000:100000:100000:100000',
} as const;

/**
 * For the validation only: Horowitz's points are cache reads, so the same CACTI also models them
 * as a cache like the one he measured (8-way, 64 B lines, tags, high-performance devices,
 * optimised for cycle time, a 64-bit output) — the difference between this and the scratchpad
 * entries is the organisation, not the tool.
 */
export const CACHE_CHOICES = { cellType: 'itrs-hp', peripheralType: 'itrs-hp', objective: '0:0:0:100:0', associativity: 8, lineBytes: 64 } as const;

/** The CACTI 7 input for one scratchpad ("ram": no tags), one read/write port, one bank (or, `cache`, the validation's cache). */
export function cactiConfig(m: Memory, kind: 'ram' | 'cache' = 'ram'): string {
  const c = kind === 'ram' ? CACTI_CHOICES : { ...CACTI_CHOICES, ...CACHE_CHOICES };
  const blockBytes = Math.max(1, Math.ceil(m.bits / 8));
  return [
    `-size (bytes) ${m.bytes}`,
    `-block size (bytes) ${kind === 'ram' ? blockBytes : CACHE_CHOICES.lineBytes}`,
    `-associativity ${kind === 'ram' ? 1 : CACHE_CHOICES.associativity}`,
    '-read-write port 1',
    '-exclusive read port 0',
    '-exclusive write port 0',
    '-single ended read ports 0',
    '-UCA bank count 1',
    `-technology (u) ${c.technologyUm}`,
    '-page size (bits) 8192',
    '-burst length 8',
    '-internal prefetch width 8',
    `-Data array cell type - "${c.cellType}"`,
    `-Data array peripheral type - "${c.peripheralType}"`,
    `-Tag array cell type - "${c.cellType}"`,
    `-Tag array peripheral type - "${c.peripheralType}"`,
    `-output/input bus width ${blockBytes * 8}`,
    `-operating temperature (K) ${c.temperatureK}`,
    `-cache type "${kind}"`,
    '-tag size (b) "default"',
    '-access mode (normal, sequential, fast) - "normal"',
    `-design objective (weight delay, dynamic power, leakage power, cycle time, area) ${c.objective}`,
    `-deviate (delay, dynamic power, leakage power, cycle time, area) ${c.deviate}`,
    '-NUCAdesign objective (weight delay, dynamic power, leakage power, cycle time, area) 100:100:0:0:100',
    '-NUCAdeviate (delay, dynamic power, leakage power, cycle time, area) 10:10000:10000:10000:10000',
    '-Optimize ED or ED^2 (ED, ED^2, NONE): "NONE"',
    '-Cache model (NUCA, UCA)  - "UCA"',
    '-NUCA bank count 0',
    '-Wire signaling (fullswing, lowswing, default) - "default"',
    '-Wire inside mat - "semi-global"',
    '-Wire outside mat - "semi-global"',
    '-Interconnect projection - "conservative"',
    '-Core count 8',
    '-Cache level (L2/L3) - "L2"',
    '-Add ECC - "false"',
    '-Print level (DETAILED, CONCISE) - "DETAILED"',
    '-Print input parameters - "false"',
    '-Force cache config - "false"',
    '-Ndwl 1',
    '-Ndbl 1',
    '-Nspd 0',
    '-Ndcm 1',
    '-Ndsam1 0',
    '-Ndsam2 0',
    '-Array Power Gating - "false"',
    '-WL Power Gating - "false"',
    '-CL Power Gating - "false"',
    '-Bitline floating - "false"',
    '-Interconnect Power Gating - "false"',
    '-Power Gating Performance Loss 0.01',
    // CACTI 7 always runs its off-chip IO model as well and crashes without these (the shipped cache.cfg's values; unused here).
    '-dram_type "DDR3"',
    '-io state "WRITE"',
    '-addr_timing 1.0',
    '-mem_density 4 Gb',
    '-bus_freq 800 MHz',
    '-duty_cycle 1.0',
    '-activity_dq 1.0',
    '-activity_ca 0.5',
    '-num_dq 72',
    '-num_dqs 18',
    '-num_ca 25',
    '-num_clk  2',
    '-num_mem_dq 2',
    '-mem_data_width 8',
    '-rtt_value 10000',
    '-ron_value 34',
    '-tflight_value',
    '-num_bobs 1',
    '-capacity 80',
    '-num_channels_per_bob 1',
    '-first metric "Cost"',
    '-second metric "Bandwidth"',
    '-third metric "Energy"',
    '-DIMM model "ALL"',
    '-mirror_in_bob "F"',
    '',
  ].join('\n');
}

export type CactiResult =
  | { ok: true; version: string; readPj: number; writePj: number; leakageUw: number; areaUm2: number; accessNs: number }
  | { ok: false; reason: string };

function field(text: string, label: string): number | undefined {
  const re = new RegExp(`${label.replace(/[()^.*+?[\]\\]/g, '\\$&')}\\s*:?\\s*([0-9.eE+-]+)`);
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Read the figures of one run from CACTI 7's DETAILED report (or the reason it refused). */
export function parseCactiOutput(text: string): CactiResult {
  const refused = /Cache size must\s*>=\s*\d+|ERROR:[^\n]*/.exec(text);
  const version = /CACTI \(version ([^)]*)\)/.exec(text)?.[1];
  const readNj = field(text, 'Total dynamic read energy per access (nJ)');
  const writeNj = field(text, 'Total dynamic write energy per access (nJ)');
  const leakMw = field(text, 'Total leakage power of a bank (mW)');
  const gateMw = field(text, 'Total gate leakage power of a bank (mW)');
  const size = /Cache height x width \(mm\):\s*([0-9.eE+-]+)\s*x\s*([0-9.eE+-]+)/.exec(text);
  const accessNs = field(text, 'Access time (ns)');
  if (refused || version === undefined || readNj === undefined || writeNj === undefined || leakMw === undefined || !size || accessNs === undefined) {
    return { ok: false, reason: refused ? refused[0].trim() : 'no result in the output' };
  }
  return {
    ok: true,
    version,
    readPj: readNj * 1000,
    writePj: writeNj * 1000,
    // Subthreshold and gate leakage of the bank, mW → µW.
    leakageUw: (leakMw + (gateMw ?? 0)) * 1000,
    areaUm2: Number(size[1]) * Number(size[2]) * 1e6,
    accessNs,
  };
}

/** Every (bank bytes, word bits) an SRAM lookup of a shipped arch config asks for. */
export function memoriesOfShippedConfigs(): Memory[] {
  const seen = new Map<string, Memory>();
  const base = loadCostTable(DEFAULT_COSTS);
  const recording = Object.create(base) as CostTable;
  recording.energyPj = (cls, action, args = {}) => {
    if (cls === 'sram') seen.set(`${args.bytes}/${args.bits}`, { bytes: Number(args.bytes), bits: Number(args.bits) });
    return base.energyPj(cls, action, args);
  };
  for (const f of readdirSync(join(CONFIG_DIR, 'arch')).filter((n) => n.endsWith('.json')).sort()) {
    const arch = loadArch(join(CONFIG_DIR, 'arch', f));
    const ctx = { costs: recording, ledger: new Ledger(), scheduler: new Scheduler(), clockMHz: arch.config.clockMHz, rng: () => 0.5 };
    SCHEMES[arch.config.scheme]!.build(ctx, arch.config);
  }
  return [...seen.values()];
}

/** Horowitz's (ISSCC 2014) cache points, costed too so the validation can set CACTI beside them. */
export const HOROWITZ_SRAMS: readonly Memory[] = [
  { bytes: 8192, bits: 64 },
  { bytes: 32768, bits: 64 },
  { bytes: 1048576, bits: 64 },
];

const round = (x: number) => Number(x.toPrecision(4));

export interface CactiProvenance {
  version: string;
  commit: string;
}

/** The `sram` point of one CACTI result (a 4-bit word is CACTI's 1-byte block scaled by the bits rule). */
export function cactiPoint(m: Memory, r: Extract<CactiResult, { ok: true }>, p: CactiProvenance, kind: 'ram' | 'cache' = 'ram') {
  const c = kind === 'ram' ? CACTI_CHOICES : { ...CACTI_CHOICES, ...CACHE_CHOICES };
  const blockBits = Math.max(1, Math.ceil(m.bits / 8)) * 8;
  const k = m.bits / blockBits;
  const scaled = k === 1 ? '' : `; CACTI's narrowest block is 1 byte, so its ${blockBits}-bit access energy × ${m.bits}/${blockBits} (the class's bits-linear rule)`;
  return {
    args: { bytes: m.bytes, bits: m.bits },
    node: '32nm',
    energy: { read: `${round(r.readPj * k)} pJ`, write: `${round(r.writePj * k)} pJ` },
    area: `${round(r.areaUm2)} um^2`,
    leakage: `${round(r.leakageUw)} uW`,
    source:
      `CACTI ${r.version} (HewlettPackard/cacti ${p.commit.slice(0, 12)}), ${c.technologyUm * 1000}nm, ${c.cellType} cells and periphery, ${c.temperatureK} K, ` +
      (kind === 'ram'
        ? `"ram" ${m.bytes} B × ${blockBits}-bit block, 1 RW port, 1 bank, objective dynamic energy (${c.objective}); `
        : `"cache" ${m.bytes} B, ${CACHE_CHOICES.associativity}-way, ${CACHE_CHOICES.lineBytes} B lines, ${m.bits}-bit output, objective cycle time (${c.objective}); `) +
      `input configs/costs/cacti/${cfgName(m, kind)}${scaled}`,
    method: 'cacti' as const,
  };
}

export function cfgName(m: Memory, kind: 'ram' | 'cache' = 'ram'): string {
  return `${kind === 'cache' ? 'cache-' : ''}${m.bytes}B-${m.bits}b.cfg`;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function main(): void {
  const bin = arg('cacti') ?? process.env.CACTI_BIN;
  if (!bin) throw new Error('give the CACTI binary: --cacti PATH or CACTI_BIN=PATH');
  const table = arg('table') ?? DEFAULT_COSTS;
  const cfgDir = join(dirname(resolve(table)), 'cacti');
  const binDir = dirname(resolve(bin));
  let commit = arg('cacti-commit') ?? '';
  if (!commit) {
    try {
      commit = execFileSync('git', ['-C', binDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      throw new Error(`${binDir} is not a git checkout: give --cacti-commit HASH`);
    }
  }
  const memories = [...memoriesOfShippedConfigs(), ...HOROWITZ_SRAMS].sort((a, b) => a.bytes - b.bytes || a.bits - b.bits);
  mkdirSync(cfgDir, { recursive: true });
  const runCacti = (m: Memory, kind: 'ram' | 'cache'): CactiResult => {
    const cfg = join(cfgDir, cfgName(m, kind));
    writeFileSync(cfg, cactiConfig(m, kind));
    // CACTI appends a CSV summary to <cfg>.out; the table entry is the record, so none is kept.
    rmSync(`${cfg}.out`, { force: true });
    // CACTI reads its data files relative to the working directory: run it where it was built.
    const run = spawnSync(resolve(bin), ['-infile', cfg], { cwd: binDir, encoding: 'utf8', maxBuffer: 64 << 20 });
    rmSync(`${cfg}.out`, { force: true });
    const r = parseCactiOutput(`${run.stdout ?? ''}\n${run.stderr ?? ''}`);
    process.stderr.write(`${basename(cfg)}: ${r.ok ? `read ${round(r.readPj)} pJ, write ${round(r.writePj)} pJ, ${round(r.leakageUw)} uW, ${round(r.areaUm2)} um^2` : `CACTI refuses (${r.reason})`}\n`);
    return r;
  };
  const points: object[] = [];
  let version = '';
  for (const m of memories) {
    const r = runCacti(m, 'ram');
    if (r.ok) {
      version ||= r.version;
      points.push(cactiPoint(m, r, { version: r.version, commit }));
    } else {
      points.push(...registerFilePoints(m, `CACTI 7 (HewlettPackard/cacti ${commit.slice(0, 12)}) refuses configs/costs/cacti/${cfgName(m)}: "${r.reason}"`));
    }
  }
  const cachePoints = HOROWITZ_SRAMS.map((m) => {
    const r = runCacti(m, 'cache');
    if (!r.ok) throw new Error(`CACTI refuses the validation cache ${cfgName(m, 'cache')}: ${r.reason}`);
    return { ...cactiPoint(m, r, { version: r.version, commit }, 'cache'), area: undefined, leakage: undefined };
  });
  const spec = readCostTableSpec(table);
  spec.classes.sram = {
    description:
      `SRAM / register-file bank access, one point per bank size and word width the shipped configs use (scripts/costs/cacti.ts: CACTI ${version}, ` +
      `${CACTI_CHOICES.cellType}, 32nm; below CACTI's smallest array the register-file model of ${REGISTER_FILE_SOURCE}). ` +
      'Other sizes scale from the nearest point: read energy ∝ sqrt(capacity) and ∝ word width; area and leakage ∝ capacity.',
    scaling: { bytes: 'sqrt', bits: 'linear' },
    areaScaling: { bytes: 'linear', bits: 'none' },
    leakageScaling: { bytes: 'linear', bits: 'none' },
    fallback: { write: 'read', fill: 'write', update: 'write' },
    points: points as CostTableSpec['classes'][string]['points'],
  };
  spec.classes.sram_cacti_cache = {
    description: "CACTI 7 run on Horowitz's cache points as a cache (8-way, 64 B lines, itrs-hp, cycle-time objective): the validation's bridge between the scratchpad entries and Horowitz; no model looks this class up",
    scaling: { bytes: 'sqrt', bits: 'linear' },
    points: cachePoints as CostTableSpec['classes'][string]['points'],
  };
  writeCostTableSpec(table, spec);
  process.stderr.write(`wrote ${points.length} sram and ${cachePoints.length} sram_cacti_cache points to ${table}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
