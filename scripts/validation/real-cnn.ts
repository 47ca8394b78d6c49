/**
 * `validate --only real-cnn`: the data-dependent designs on the real nsfwjs CNN traces
 * (MobileNetV2, mid MobileNetV2, InceptionV3 on the six sample photos; recorded first when
 * `.cache` has none) next to the same designs on a seeded synthetic trace of the same network
 * and batch, so the effect of synthetic data is measured, not assumed. INFO rows: no published
 * figure exists for these networks. Op-count mode, batch as in the network config (1).
 * Run alone: `npx tsx scripts/validation/real-cnn.ts [mobilenet-v2 …]` (prints the table).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import seedrandom from 'seedrandom';
import { loadArch } from '../../sim/arch.ts';
import { simulate } from '../../sim/simulate.ts';
import { loadNetwork, type Network } from '../../sim/workload.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Report } from '../../sim/report.ts';
import { SCHEMES } from '../../models/registry.ts';
import { dnateqTensorQuantizer } from '../../models/dnateq/tensor-quantizer.ts';
import { validateNetwork } from '../../models/dnateq/validation.ts';
import { loadTrace, MANIFEST } from '../../traces/format.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';
import { NSFWJS_NETWORKS, realTraceDir } from '../../traces/real/defaults.ts';
import { infoRow, type ValidationRow } from './row.ts';
import { formatValidation } from './format.ts';

/** Every figure of one trace. */
export interface DesignFigures {
  dnateqBits: number;
  /** 1 − n̄/8 (the paper's compression) and 1 − stored bits / 8 with the sign bit. */
  dnateqCompressionExponentBits: number;
  dnateqCompressionStoredBits: number;
  /** 1 − stored bits / 32. */
  dnateqCompressionVsFp32: number;
  /** Energy saving vs INT8: the paper's view (operations) and the whole system (op-count mode). */
  dnateqOperationsEnergySaving: number;
  dnateqSystemEnergySaving: number;
  /** Layers whose distribution fit starts from the weights (the rest from the activations). */
  dnateqStartsWithWeights: number;
  layers: number;
  drqSensitiveFraction: number;
  drqSpeedupVsInt8: number;
  drqSpeedupVsEyeriss16: number;
  drqEnergySavingVsInt8: number;
  drqEnergySavingVsEyeriss16: number;
  /** Energy ÷ eyeriss-int8. */
  lightnn1Energy: number;
  lightnn2Energy: number;
  settleEnergy: number;
  gengEnergy: number;
}

/** Region-weighted fraction of DRQ's sensitive regions over the layers that report one. */
function sensitiveFraction(r: Report): number {
  let regions = 0;
  let sensitive = 0;
  for (const l of r.layers) {
    const d = l.details;
    if (d?.sensitiveFraction === undefined || d.regions === undefined) continue;
    regions += d.regions as number;
    sensitive += (d.regions as number) * (d.sensitiveFraction as number);
  }
  return regions ? sensitive / regions : 0;
}

export function designFigures(network: Network, trace: Trace): DesignFigures {
  const run = (arch: string, withTrace = true) => simulate(loadArch(arch), network, { mode: 'opcount', seed: 1, ...(withTrace ? { trace } : {}) });
  const int8 = run('eyeriss-int8', false);
  const e16 = run('eyeriss', false);
  const drq = run('drq');
  const v = validateNetwork(network, trace);
  const q = SCHEMES['dnateq']!.quantize!(trace, { arch: loadArch('dnateq').config, network }, seedrandom('quantsim:1'));
  const ratio = (r: Report) => r.totals.energyPj / int8.totals.energyPj;
  return {
    dnateqBits: v.averageBits,
    dnateqCompressionExponentBits: v.compressionExponentBits,
    dnateqCompressionStoredBits: v.compressionStoredBits,
    dnateqCompressionVsFp32: 1 - v.storedBitsPerElement / 32,
    dnateqOperationsEnergySaving: v.operationsEnergySaving,
    dnateqSystemEnergySaving: v.systemEnergySaving,
    dnateqStartsWithWeights: q.layers.filter((l) => l.params['startsWith'] === 'weights').length,
    layers: q.layers.length,
    drqSensitiveFraction: sensitiveFraction(drq),
    drqSpeedupVsInt8: int8.totals.cycles / drq.totals.cycles,
    drqSpeedupVsEyeriss16: e16.totals.cycles / drq.totals.cycles,
    drqEnergySavingVsInt8: 1 - drq.totals.energyPj / int8.totals.energyPj,
    drqEnergySavingVsEyeriss16: 1 - drq.totals.energyPj / e16.totals.energyPj,
    lightnn1Energy: ratio(run('lightnn1')),
    lightnn2Energy: ratio(run('lightnn2')),
    settleEnergy: ratio(run('settle')),
    gengEnergy: ratio(run('geng')),
  };
}

const QUANTITIES: [keyof DesignFigures, string][] = [
  ['dnateqBits', 'DNA-TEQ average bitwidth'],
  ['dnateqCompressionExponentBits', 'DNA-TEQ compression vs INT8 (1 − n̄/8)'],
  ['dnateqCompressionStoredBits', 'DNA-TEQ compression vs INT8 (stored bits, sign included)'],
  ['dnateqCompressionVsFp32', 'DNA-TEQ compression vs FP32 (stored bits)'],
  ['dnateqOperationsEnergySaving', 'DNA-TEQ energy saving vs INT8, view operations'],
  ['dnateqSystemEnergySaving', 'DNA-TEQ energy saving vs INT8, view system'],
  ['dnateqStartsWithWeights', 'DNA-TEQ layers whose fit starts from the weights'],
  ['drqSensitiveFraction', 'DRQ sensitive region fraction'],
  ['drqSpeedupVsInt8', 'DRQ speedup vs eyeriss-int8'],
  ['drqSpeedupVsEyeriss16', 'DRQ speedup vs eyeriss (16-bit)'],
  ['drqEnergySavingVsInt8', 'DRQ energy saving vs eyeriss-int8'],
  ['drqEnergySavingVsEyeriss16', 'DRQ energy saving vs eyeriss (16-bit)'],
  ['lightnn1Energy', 'LightNN-1 energy / eyeriss-int8'],
  ['lightnn2Energy', 'LightNN-2 energy / eyeriss-int8'],
  ['settleEnergy', 'Settle INT8 energy / eyeriss-int8'],
  ['gengEnergy', 'Geng fixed-point energy / eyeriss-int8'],
];

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

/** The rows of one network: real trace figures, the synthetic ones and the end-to-end class agreement in the note. */
export async function realCnnNetworkRows(name: string): Promise<ValidationRow[]> {
  const dir = realTraceDir(name);
  if (!existsSync(join(dir, MANIFEST))) await (await import('../../traces/real/cnn-trace.ts')).generateCnnTrace(name, { out: dir });
  const network = loadNetwork(name);
  const real = loadTrace(dir, network);
  const batch = real.layers.values().next().value!.activations!.shape[0]!;
  const synth = generateSyntheticTrace(network, { seed: 1, batch });
  const r = designFigures(network, real);
  const s = designFigures(network, synth);
  const topic = `real-cnn ${name}`;
  const rows = QUANTITIES.map(([key, quantity]) =>
    infoRow(topic, quantity, r[key], 'no published figure (real trace)', `synthetic trace (seed 1, batch ${batch}): ${fmt(s[key])}${key === 'dnateqStartsWithWeights' ? ` of ${r.layers} layers` : ''}; real − synthetic ${fmt(r[key] - s[key])}`),
  );
  // The end-to-end accuracy proxy: DNA-TEQ's per-layer choices run through the whole network on the photos.
  const { endToEndCheck } = await import('../../traces/real/output-check.ts');
  const check = await endToEndCheck(real);
  const v = validateNetwork(network, real);
  const a = check.agreement(dnateqTensorQuantizer(v.choices)) as import('../../traces/real/cnn-end-to-end.ts').ClassAgreement;
  rows.push(infoRow(topic, 'DNA-TEQ end to end: top-1 class unchanged (of photos)', a.top1Agree, 'no published figure (real trace)', `${check.describe(a)}; per-layer proxy choices (τ_a ${v.tauA}), ${batch} photos`));
  // DNA-TEQ's τ search with the network's output as its proxy (as `quantize --proxy end-to-end`).
  const e2e = validateNetwork(network, real, undefined, undefined, 1, (layers) => check.proxy(dnateqTensorQuantizer(new Map(layers.map((l) => [l.search.layer, l.chosen])))));
  const b = check.agreement(dnateqTensorQuantizer(e2e.choices));
  rows.push(infoRow(topic, 'DNA-TEQ average bitwidth, end-to-end proxy', e2e.averageBits, 'no published figure (real trace)', `τ_a ${e2e.tauA}; compression vs INT8 ${(100 * e2e.compressionExponentBits).toFixed(1)}% (1 − n̄/8); ${check.describe(b)}`));
  return rows;
}

export async function realCnnRows(networks: readonly string[] = NSFWJS_NETWORKS): Promise<ValidationRow[]> {
  const rows: ValidationRow[] = [];
  for (const n of networks) rows.push(...(await realCnnNetworkRows(n)));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  const rows = await realCnnRows(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
  process.stdout.write(formatValidation(rows));
  for (const r of rows) if (r.note) process.stdout.write(`- ${r.topic} / ${r.quantity}: ${r.note}\n`);
  process.stdout.write(`(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
