/**
 * `npm run bench:cli`: what users wait for — the real CLI spawned as they run it (bin/quantsim.js,
 * the built dist/ when it is up to date), several runs each, min and median wall time and the peak
 * RSS. Writes out/bench-cli.json with the load average at the start and the end. A benchmark, not
 * a timed test. Cold = QUANTSIM_CACHE=off (offline steps recomputed); warm = the disk cache filled
 * by a run just before. One layer like for like with SCALE-Sim v2: quantsim's systolic array from
 * the CLI on SCALE-Sim's example config (scale.cfg, 32×32 os; the same file is committed as
 * test/fixtures/scalesim/scale-32x32-os.cfg) and a one-layer SCALE-Sim topology CSV, for every
 * AlexNet layer of SCALE-Sim's alexnet.csv and the conv2 this benchmark used before (quantsim's
 * AlexNet conv2: padded 31×31, 48 channels per group); SCALE-Sim v2 itself on the same files when
 * SCALESIM_DIR names a checkout (SCALESIM_LAYERS=Conv3,… picks layers), else skipped and said so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceFingerprint } from '../bin/fingerprint.mjs';

const root = join(import.meta.dirname, '..');
/** The 1-minute load average now. */
const la = () => Number(loadavg()[0]!.toFixed(2));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const ALL_ARCH = 'eyeriss-int8,eyeriss,eyeriss-fp16,eyeriss-fp32,dnateq,dnateq-equal-area,drq,lightnn1,lightnn2,geng,settle';

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  target?: string;
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
  { name: 'compare resnet50 --trace synth, all arch-mode configs (cold)', args: ['compare', '--network', 'resnet50', '--trace', 'synth', '--schemes', ALL_ARCH], env: { QUANTSIM_CACHE: 'off' }, target: '< 10 s' },
  { name: 'npm start (warm)', args: ['compare', '--network', 'alexnet', '--trace', 'synth', '--html', join(tmpdir(), 'quantsim-bench-report.html')], target: '< 3 s', warm: true },
  { name: 'npm start (cold)', args: ['compare', '--network', 'alexnet', '--trace', 'synth', '--html', join(tmpdir(), 'quantsim-bench-report.html')], env: { QUANTSIM_CACHE: 'off' }, target: '< 12 s' },
];

// What users run is the build: make it first when the sources changed since (bin/quantsim.js would
// otherwise fall back to the TypeScript through tsx, and every figure would be tsx's start-up).
const stamp = join(root, 'dist', 'BUILD.json');
if (!existsSync(stamp) || JSON.parse(readFileSync(stamp, 'utf8')).sources !== sourceFingerprint(root)) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('build failed');
}

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
  const loadAvg = la();
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const r = once(c);
    times.push(r.ms);
    rss = Math.max(rss, r.rssMiB);
  }
  const row = { bench: c.name, minS: Number((Math.min(...times) / 1000).toFixed(3)), medianS: Number((median(times) / 1000).toFixed(3)), runs: times.length, peakRssMiB: Math.round(rss), loadAvg, ...(c.target ? { target: c.target } : {}) };
  results.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

// One layer like for like: quantsim's systolic array and SCALE-Sim v2 on the same .cfg and topology CSV.
const HEADER = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,';
/** SCALE-Sim's topologies/conv_nets/alexnet.csv, row by row, and this benchmark's earlier conv2. */
const LAYERS: Record<string, string> = {
  Conv1: 'Conv1, 224, 224, 11, 11, 3, 96, 4,',
  Conv2: 'Conv2, 27, 27, 5, 5, 96, 256, 1,',
  Conv3: 'Conv3, 13, 13, 3, 3, 256, 384, 1,',
  Conv4: 'Conv4, 13, 13, 3, 3, 384, 384, 1,',
  Conv5: 'Conv5, 13, 13, 3, 3, 384, 256, 1,',
  'conv2-grouped': 'conv2, 31, 31, 5, 5, 48, 256, 1,',
};
const cfg = join(root, 'test', 'fixtures', 'scalesim', 'scale-32x32-os.cfg');
const scalesim = process.env.SCALESIM_DIR;
const haveScaleSim = scalesim !== undefined && existsSync(join(scalesim, 'scalesim', 'scale.py'));
const work = mkdtempSync(join(tmpdir(), 'quantsim-bench-scalesim-'));
const layerRows = [];
for (const name of (process.env.SCALESIM_LAYERS ?? Object.keys(LAYERS).join(',')).split(',')) {
  const topo = join(work, `${name}.csv`);
  writeFileSync(topo, `${HEADER}\n${LAYERS[name]}\n`);
  const c: Case = { name: `one layer: systolic ${name} (scale.cfg)`, args: ['run', '--arch', cfg, '--network', topo, '--format', 'json'] };
  const loadBefore = la();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(once(c).ms / 1000);
  const cycles = (JSON.parse(spawnSync(process.execPath, [join(root, 'bin/quantsim.js'), ...c.args], { cwd: root, encoding: 'utf8' }).stdout) as { totals: { cycles: number } }).totals.cycles;
  const row: Record<string, unknown> = { bench: c.name, layer: LAYERS[name], quantsimMinS: Number(Math.min(...times).toFixed(3)), quantsimMedianS: Number(median(times).toFixed(3)), quantsimCycles: cycles, loadAvg: loadBefore };
  if (haveScaleSim) {
    const out = join(work, `out-${name}`);
    const l0 = la();
    const t = performance.now();
    // Debian's python3 (with python3-numpy/-pandas/-tqdm), not whichever python3 is first on PATH.
    const python = process.env.SCALESIM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
    const r = spawnSync(python, [join(scalesim, 'scalesim', 'scale.py'), '-c', cfg, '-t', topo, '-p', out], { cwd: scalesim, encoding: 'utf8', env: { ...process.env, PYTHONPATH: scalesim } });
    const sec = (performance.now() - t) / 1000;
    if (r.status === 0) {
      const report = readFileSync(join(out, 'scale_example_run_32x32_os', 'COMPUTE_REPORT.csv'), 'utf8').trim().split('\n')[1]!;
      Object.assign(row, { scalesimS: Number(sec.toFixed(1)), scalesimCycles: Number(report.split(',')[1]), scalesimLoadAvg: [l0, la()], ratio: Math.round(sec / Number(row.quantsimMinS)) });
    } else Object.assign(row, { scalesimError: r.stderr.slice(-300) });
  } else row.scalesim = 'skipped: set SCALESIM_DIR to a scale-sim-v2 checkout to measure it';
  layerRows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

const out = { date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, runs, loadAvgStart: load0.map((x) => Number(x.toFixed(2))), loadAvgEnd: loadavg().map((x) => Number(x.toFixed(2))), results, oneLayer: layerRows };
mkdirSync(join(root, 'out'), { recursive: true });
writeFileSync(join(root, 'out', 'bench-cli.json'), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`wrote out/bench-cli.json (load average ${out.loadAvgStart.join(' ')} → ${out.loadAvgEnd.join(' ')})\n`);
