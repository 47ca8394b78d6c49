/**
 * `npm run bench`: speed figures as JSON lines (a benchmark, not a timed test).
 * Each line: { bench, value, unit, ... }. Machine facts first.
 */
import { cpus, totalmem, loadavg } from 'node:os';
import { Scheduler } from '../sim/scheduler.ts';
import { simulate } from '../sim/simulate.ts';
import { loadArch } from '../sim/arch.ts';
import { loadNetwork, makeNetwork, macs, type Layer } from '../sim/workload.ts';
import { clearMappingCache } from '../models/eyeriss/accelerator.ts';
import { benchSweep, defaultBenchMode } from './bench-sweep.ts';
import { benchSystolic } from './bench-systolic.ts';
import type { Mode } from '../sim/scheme.ts';
import { DEFAULT_SCHEMES } from '../sim/cli/compare.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';

// Cold figures are cold: the on-disk cache of offline steps (sim/disk-cache.ts) is off.
process.env.QUANTSIM_CACHE = 'off';

const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

function best(fn: () => void, repeats = 5): number {
  let bestMs = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  return bestMs;
}

line({ bench: 'machine', cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvg1m: Number(loadavg()[0]!.toFixed(1)) });

// Scheduler throughput: a self-rescheduling event chain plus a standing population of 1,000
// pending events, so the heap is exercised at realistic depth.
{
  const events = 2_000_000;
  const ms = best(() => {
    const s = new Scheduler();
    let left = events;
    const tick = (now: number) => {
      if (--left > 0) s.schedule(now + 1 + (left % 7), tick, left % 3);
    };
    for (let i = 0; i < 1000; i++) s.schedule(i, tick);
    s.run();
  }, 3);
  line({ bench: 'scheduler', value: Math.round((events / ms) * 1000), unit: 'events/s', ms: Number(ms.toFixed(1)) });
}

for (const [arch, net, mode] of [
  ['eyeriss-int8', 'alexnet', 'opcount'],
  ['eyeriss', 'alexnet', 'opcount'],
] as const) {
  const a = loadArch(arch);
  const n = loadNetwork(net);
  const ms = best(() => simulate(a, n, { mode }));
  line({ bench: 'simulate', arch, network: net, mode, value: Number(ms.toFixed(2)), unit: 'ms' });
}

// Eyeriss-like array, architectural mode: cold (mapping search included) and warm (mappings
// cached per process, as in sweeps and repeated ResNet blocks). Targets: AlexNet < 50 ms,
// ResNet-50 < 200 ms.
for (const [arch, net] of [
  ['eyeriss', 'alexnet'],
  ['eyeriss-int8', 'alexnet'],
  ['eyeriss-int8', 'resnet50'],
] as const) {
  const a = loadArch(arch);
  const n = loadNetwork(net);
  const cold = best(() => {
    clearMappingCache();
    simulate(a, n, { mode: 'arch' });
  }, 3);
  const warm = best(() => simulate(a, n, { mode: 'arch' }));
  const op = best(() => simulate(a, n, { mode: 'opcount' }));
  line({ bench: 'simulate', arch, network: n.name, mode: 'arch', value: Number(warm.toFixed(2)), unit: 'ms', coldMs: Number(cold.toFixed(2)), opcountMs: Number(op.toFixed(2)) });
}

// Reference (per-cycle, PE granularity) vs arch (event replay) on the same small layer, and a
// naive loop over every MAC of it (what a per-MAC simulator would at least cost).
{
  const spec = { name: 'small', kind: 'conv' as const, C: 8, M: 16, H: 28, R: 3, padding: 1 };
  const n = makeNetwork({ name: 'small', bias: false, layers: [spec] });
  const a = loadArch('eyeriss-int8');
  const arch = best(() => simulate(a, n, { mode: 'arch' }));
  const ref = best(() => simulate(a, n, { mode: 'reference' }), 3);
  const naive = best(() => naiveMacLoop(n.layers[0]!), 3);
  const rArch = simulate(a, n, { mode: 'arch' }).totals.cycles;
  const rRef = simulate(a, n, { mode: 'reference' }).totals.cycles;
  line({ bench: 'reference-vs-arch', layer: 'conv C8 M16 28×28 R3', macs: macs(n.layers[0]!), archMs: Number(arch.toFixed(3)), referenceMs: Number(ref.toFixed(2)), naiveMacLoopMs: Number(naive.toFixed(2)), speedRatio: Number((ref / arch).toFixed(1)), archCycles: rArch, referenceCycles: rRef, cycleErrorPct: Number(((100 * Math.abs(rArch - rRef)) / rRef).toFixed(3)) });
}
{
  const alex = loadNetwork('alexnet');
  const conv3 = alex.layers.find((l) => l.name === 'conv3')!;
  const a = loadArch('eyeriss-int8');
  const arch = best(() => simulate(a, alex, { mode: 'arch', layers: ['conv3'] }));
  const naive = best(() => naiveMacLoop(conv3), 1);
  line({ bench: 'naive-mac-loop', layer: 'alexnet conv3', macs: macs(conv3), naiveMs: Number(naive.toFixed(1)), archMs: Number(arch.toFixed(3)), speedRatio: Number((naive / arch).toFixed(0)) });
}

// Every scheme on AlexNet and on ResNet-50 (arch mode, OLAccel included), on one
// seeded synthetic input. Cold = first run in the process: mapping search, DNA-TEQ's parameter
// search and LightNN's weight rounding included (all offline steps, cached per process). Warm =
// the simulation itself, as in sweeps and repeated comparisons. Target: ResNet-50, all schemes
// together < 1 s.
for (const name of ['alexnet', 'resnet50']) {
  const net = loadNetwork(name);
  const t0 = performance.now();
  const trace = generateSyntheticTrace(net, { seed: 1, batch: 1 });
  const traceMs = performance.now() - t0;
  let coldTotal = 0;
  let warmTotal = 0;
  const per: Record<string, { coldMs: number; warmMs: number }> = {};
  for (const scheme of [...DEFAULT_SCHEMES, 'olaccel']) {
    const a = loadArch(scheme);
    const mode: Mode = 'arch';
    const c = performance.now();
    simulate(a, net, { mode, trace });
    const coldMs = performance.now() - c;
    const warmMs = best(() => simulate(a, net, { mode, trace }), 3);
    per[scheme] = { coldMs: Math.round(coldMs), warmMs: Number(warmMs.toFixed(1)) };
    coldTotal += coldMs;
    warmTotal += warmMs;
  }
  const target = name === 'resnet50' ? { target: '< 1000 ms' } : {};
  line({ bench: `${name}-all-schemes`, value: Number(warmTotal.toFixed(1)), unit: 'ms', ...target, coldMs: Math.round(coldTotal), syntheticTraceMs: Math.round(traceMs), per });
}

// Sweep speed: `npm run bench -- --mode opcount|arch` (default arch when the scheme has it).
{
  const i = process.argv.indexOf('--mode');
  await benchSweep(i > 0 ? (process.argv[i + 1] as Mode) : defaultBenchMode());
}

/** Every MAC of a conv layer as one loop iteration (accumulating a checksum so it is not optimised away). */
function naiveMacLoop(l: Layer): number {
  let acc = 0;
  const cg = l.C / l.groups;
  for (let n = 0; n < l.N; n++)
    for (let m = 0; m < l.M; m++)
      for (let p = 0; p < l.P; p++)
        for (let q = 0; q < l.Q; q++)
          for (let c = 0; c < cg; c++)
            for (let r = 0; r < l.R; r++) for (let s = 0; s < l.S; s++) acc += (m ^ c ^ (p * l.strideH + r) ^ (q * l.strideW + s)) & 7;
  return acc;
}

benchSystolic(line);

line({ bench: 'peak-rss', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' });
