/**
 * Speed of the systolic array against SCALE-Sim v2 on the same layer (part of `npm run bench`):
 * AlexNet CONV3 of SCALE-Sim's own topology on its shipped scale.cfg (32×32, output stationary,
 * 64 KiB SRAMs, no memory stalls), read through quantsim's SCALE-Sim importers. quantsim runs in
 * process (best of 5); SCALE-Sim, when `SCALESIM_DIR` names a SCALE-Sim v2 checkout, runs once as
 * `SCALESIM_PYTHON` (default python3) -m scalesim.scale in a temporary folder. Both figures and
 * their ratio are one JSON line, with the load average (the machine is shared).
 *
 *   SCALESIM_DIR=/path/to/scale-sim-v2 SCALESIM_PYTHON=/usr/bin/python3 npx tsx scripts/bench-systolic.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import '../models/registry.ts';
import { loadArch } from '../sim/arch.ts';
import { loadNetwork } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';

/** SCALE-Sim v2's example configuration (configs/scale.cfg values): 32×32, os, 64 KiB SRAMs, CALC. */
const CFG = join(import.meta.dirname, '..', 'test', 'fixtures', 'scalesim', 'scale-32x32-os.cfg');
const RUN_NAME = 'scale_example_run_32x32_os';
const TOPOLOGY = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv3,13,13,3,3,256,384,1,\n';

type Line = (o: Record<string, unknown>) => void;

export function benchSystolic(line: Line): void {
  const dir = mkdtempSync(join(tmpdir(), 'quantsim-bench-systolic-'));
  try {
    const cfg = CFG;
    const topo = join(dir, 'conv3.csv');
    writeFileSync(topo, TOPOLOGY);
    const arch = loadArch(cfg);
    const net = loadNetwork(topo);
    let cycles = 0;
    let bestMs = Infinity;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      cycles = simulate(arch, net, { mode: 'arch' }).totals.cycles;
      bestMs = Math.min(bestMs, performance.now() - t);
    }
    const out: Record<string, unknown> = { bench: 'systolic-vs-scalesim', layer: 'alexnet Conv3 (SCALE-Sim topology), 32×32 os', quantsimMs: Number(bestMs.toFixed(3)), quantsimCycles: cycles };
    const scalesim = process.env.SCALESIM_DIR;
    if (scalesim) {
      const t = performance.now();
      const r = spawnSync(process.env.SCALESIM_PYTHON ?? 'python3', ['-m', 'scalesim.scale', '-c', cfg, '-t', topo, '-p', join(dir, 'runs')], { cwd: dir, env: { ...process.env, PYTHONPATH: scalesim }, encoding: 'utf8' });
      const seconds = (performance.now() - t) / 1000;
      if (r.status !== 0) {
        out.scalesimError = (r.stderr || r.stdout || String(r.error)).trim().split('\n').pop();
      } else {
        const report = readFileSync(join(dir, 'runs', RUN_NAME, 'COMPUTE_REPORT.csv'), 'utf8').split('\n')[1]!.split(',');
        out.scalesimSeconds = Number(seconds.toFixed(2));
        out.scalesimCycles = Number(report[1]);
        out.speedup = Math.round((seconds * 1000) / bestMs);
      }
    } else {
      out.scalesim = 'not run (set SCALESIM_DIR to a SCALE-Sim v2 checkout)';
    }
    out.loadAvg1m = Number(loadavg()[0]!.toFixed(1));
    line(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchSystolic((o) => process.stdout.write(`${JSON.stringify(o)}\n`));
