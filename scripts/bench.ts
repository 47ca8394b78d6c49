/**
 * `npm run bench`: speed figures as JSON lines (a benchmark, not a timed test).
 * Each line: { bench, value, unit, ... }. Machine facts first.
 */
import { cpus, totalmem } from 'node:os';
import { Scheduler } from '../sim/scheduler.ts';
import { simulate } from '../sim/simulate.ts';
import { loadArch } from '../sim/arch.ts';
import { loadNetwork } from '../sim/workload.ts';
import { benchSweep, defaultBenchMode } from './bench-sweep.ts';
import type { Mode } from '../sim/scheme.ts';

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

line({ bench: 'machine', cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version });

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

// Sweep speed: `npm run bench -- --mode opcount|arch` (default arch when the scheme has it).
{
  const i = process.argv.indexOf('--mode');
  await benchSweep(i > 0 ? (process.argv[i + 1] as Mode) : defaultBenchMode());
}

line({ bench: 'peak-rss', value: Math.round(process.memoryUsage().rss / 2 ** 20), unit: 'MiB' });
