/**
 * Sweep throughput (part of `npm run bench`, or alone: `tsx scripts/bench-sweep.ts [--mode arch|opcount]
 * [--points N]`): a 10,000-point Latin-hypercube sweep of the INT8 Eyeriss-like baseline on
 * AlexNet with all cores, then the same batches on 1 and on 2 worker threads (pools warmed first,
 * so the ratio is the steady-state speedup). Prints JSON lines like bench.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchRunner, batches, expandSweep, sweep, type SweepSpec } from '../sim/sweep.ts';
import { SCHEMES } from '../models/registry.ts';
import type { Mode } from '../sim/scheme.ts';

const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Architectural mode when the scheme has it (the 10,000-point target is for arch mode), else op-count. */
export function defaultBenchMode(): Mode {
  return SCHEMES.eyeriss?.modes.includes('arch') ? 'arch' : 'opcount';
}

export function benchSpec(mode: Mode, points: number): SweepSpec {
  return {
    name: 'bench-alexnet',
    schemes: ['eyeriss-int8'],
    networks: ['alexnet'],
    mode,
    design: { method: 'lhs', samples: points },
    axes: [
      { path: '/array/rows', name: 'rows', range: { from: 4, to: 32, integer: true } },
      { path: '/array/cols', name: 'cols', range: { from: 4, to: 32, integer: true } },
      { path: '/globalBuffer/kib', name: 'glbKiB', range: { from: 32, to: 1024, scale: 'log' } },
      { path: '/dram/bytesPerCycle', name: 'dramBytesPerCycle', range: { from: 2, to: 32, scale: 'log' } },
      { path: '/costs/sram/energyScale', name: 'sramScale', range: { from: 0.5, to: 2 } },
    ],
  };
}

export async function benchSweep(mode: Mode = defaultBenchMode(), points = 10_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quantsim-bench-'));
  try {
    const spec = benchSpec(mode, points);
    let t = performance.now();
    const { points: expanded } = expandSweep(spec);
    line({ bench: 'sweep-expand', mode, points: expanded.length, value: Number(((performance.now() - t) / 1000).toFixed(2)), unit: 's' });
    const workers = availableParallelism();
    t = performance.now();
    const cpu = process.cpuUsage();
    const s = await sweep(spec, { out: join(dir, 'bench.jsonl'), workers });
    const wallS = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    // CPU seconds of all threads: on a loaded shared machine, wall time says more about the neighbours.
    const cpuS = Number(((used.user + used.system) / 1e6).toFixed(1));
    line({ bench: 'sweep', network: 'alexnet', mode, points: s.points, workers, value: Number(wallS.toFixed(1)), unit: 's', cpuS, pointsPerS: Math.round(s.points / wallS), target: mode === 'arch' ? '< 60 s' : 'arch-mode target; op-count shown' });

    // 1 vs 2 workers on the same batches, pools warmed (thread start and module load excluded).
    const sample = expanded.slice(0, Math.min(expanded.length, 4000));
    const rate: Record<number, number> = {};
    for (const n of [1, 2]) {
      const runner = batchRunner(n);
      await Promise.all(Array.from({ length: n * 2 }, (_, i) => runner.run(sample.slice(i, i + 1))));
      const queue = batches(sample, 16);
      t = performance.now();
      await Promise.all(
        Array.from({ length: n * 2 }, async () => {
          for (let b = queue.shift(); b; b = queue.shift()) await runner.run(b);
        }),
      );
      rate[n] = sample.length / ((performance.now() - t) / 1000);
      await runner.close();
      line({ bench: 'sweep-workers', mode, workers: n, points: sample.length, value: Math.round(rate[n]!), unit: 'points/s', loadavg1m: Number(loadavg()[0]!.toFixed(1)) });
    }
    line({ bench: 'sweep-speedup-2v1', mode, value: Number((rate[2]! / rate[1]!).toFixed(2)), unit: '×', target: '>= 1.7' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  await benchSweep((arg('mode') as Mode | undefined) ?? defaultBenchMode(), Number(arg('points') ?? 10_000));
}
