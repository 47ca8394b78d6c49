/**
 * `npm run bench:cli`: what users wait for — the real CLI spawned as they run it (bin/quantsim.js,
 * the built dist/ when it is up to date), several runs each, min and median wall time and the peak
 * RSS. Writes out/bench-cli.json with the load average at the start and the end. A benchmark, not
 * a timed test. Cold = QUANTSIM_CACHE=off (offline steps recomputed); warm = the disk cache filled
 * by a run just before. SCALE-Sim v2 on the same layer when SCALESIM_DIR names a checkout of it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const ALL_ARCH = 'eyeriss-int8,eyeriss,eyeriss-fp16,eyeriss-fp32,dnateq,dnateq-equal-area,drq,lightnn1,lightnn2,geng,settle';

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  target?: string;
  runs?: number;
  /** Run once before measuring (fills the disk cache for warm figures). */
  warm?: boolean;
}

const cases: Case[] = [
  { name: 'quantsim --help', args: ['--help'], target: '< 0.3 s' },
  { name: 'quantsim run --help', args: ['run', '--help'], target: '< 0.3 s' },
  { name: 'run eyeriss-int8 resnet50', args: ['run', '--arch', 'eyeriss-int8', '--network', 'resnet50'], target: '< 0.4 s' },
  { name: 'run drq resnet50 --trace synth (warm)', args: ['run', '--arch', 'drq', '--network', 'resnet50', '--trace', 'synth'], warm: true },
  { name: 'run dnateq resnet50 --trace synth (warm)', args: ['run', '--arch', 'dnateq', '--network', 'resnet50', '--trace', 'synth'], warm: true },
  { name: 'compare resnet50 --trace synth, all arch-mode configs (warm)', args: ['compare', '--network', 'resnet50', '--trace', 'synth', '--schemes', ALL_ARCH], target: '< 1.5 s', warm: true },
  { name: 'compare resnet50 --trace synth, all arch-mode configs (cold)', args: ['compare', '--network', 'resnet50', '--trace', 'synth', '--schemes', ALL_ARCH], env: { QUANTSIM_CACHE: 'off' }, target: '< 10 s', runs: 2 },
  { name: 'npm start (warm)', args: ['compare', '--network', 'alexnet', '--trace', 'synth', '--html', join(tmpdir(), 'quantsim-bench-report.html')], target: '< 3 s', warm: true },
  { name: 'npm start (cold)', args: ['compare', '--network', 'alexnet', '--trace', 'synth', '--html', join(tmpdir(), 'quantsim-bench-report.html')], env: { QUANTSIM_CACHE: 'off' }, target: '< 12 s', runs: 2 },
  { name: 'one AlexNet layer (conv2, eyeriss-int8)', args: ['run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--layer', 'conv2'] },
];

const cacheDir = mkdtempSync(join(tmpdir(), 'quantsim-bench-cli-cache-'));
function once(c: Case): { ms: number; rssMiB: number } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(root, 'bin/quantsim.js'), ...c.args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, QUANTSIM_CACHE_DIR: cacheDir, ...c.env },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}\n${r.stderr}`);
  const kb = Number(/(\d+)\s*$/.exec(r.stderr.trim())?.[1] ?? NaN);
  return { ms, rssMiB: kb / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load0 = loadavg();
const results = [];
for (const c of cases) {
  if (c.warm) once(c);
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < (c.runs ?? runs); i++) {
    const r = once(c);
    times.push(r.ms);
    rss = Math.max(rss, r.rssMiB);
  }
  const row = { bench: c.name, minS: Number((Math.min(...times) / 1000).toFixed(3)), medianS: Number((median(times) / 1000).toFixed(3)), runs: times.length, peakRssMiB: Math.round(rss), ...(c.target ? { target: c.target } : {}) };
  results.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

// SCALE-Sim v2 on the same AlexNet layer, when a checkout is given (it is a development tool).
const scalesim = process.env.SCALESIM_DIR;
let scalesimRow: Record<string, unknown> = { bench: 'SCALE-Sim v2, same layer', skipped: 'set SCALESIM_DIR to a scale-sim-v2 checkout to measure it' };
if (scalesim && existsSync(join(scalesim, 'scalesim', 'scale.py'))) {
  const work = mkdtempSync(join(tmpdir(), 'quantsim-bench-scalesim-'));
  const topo = join(work, 'conv2.csv');
  writeFileSync(topo, 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv2, 31, 31, 5, 5, 48, 256, 1,\n');
  const cfg = join(scalesim, 'configs', 'scale.cfg');
  const t = performance.now();
  // Debian's python3 (with python3-numpy/-pandas/-tqdm), not whichever python3 is first on PATH.
  const python = process.env.SCALESIM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const r = spawnSync(python, [join(scalesim, 'scalesim', 'scale.py'), '-c', cfg, '-t', topo, '-p', work], { cwd: scalesim, encoding: 'utf8', env: { ...process.env, PYTHONPATH: scalesim } });
  const s = (performance.now() - t) / 1000;
  const ours = results.find((x) => x.bench.startsWith('one AlexNet layer'))!;
  scalesimRow = r.status === 0 ? { bench: 'SCALE-Sim v2, same layer', seconds: Number(s.toFixed(1)), quantsimCliS: ours.minS, ratio: Math.round(s / ours.minS) } : { bench: 'SCALE-Sim v2, same layer', error: r.stderr.slice(-300) };
}
process.stdout.write(`${JSON.stringify(scalesimRow)}\n`);

const out = { date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAvgStart: load0.map((x) => Number(x.toFixed(2))), loadAvgEnd: loadavg().map((x) => Number(x.toFixed(2))), results, scalesim: scalesimRow };
mkdirSync(join(root, 'out'), { recursive: true });
writeFileSync(join(root, 'out', 'bench-cli.json'), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`wrote out/bench-cli.json (load average ${out.loadAvgStart.join(' ')} → ${out.loadAvgEnd.join(' ')})\n`);
