/**
 * Collect SCALE-Sim v2 run reports into the agreement fixture test/fixtures/scalesim/reference.json.
 * SCALE-Sim is a development-only tool: this script only reads the reports of runs made with it
 * (one output folder per topology × array × dataflow, named TOPOLOGY_ROWSxCOLS_DF, each with
 * COMPUTE_REPORT.csv and DETAILED_ACCESS_REPORT.csv) and the topology files they ran.
 *
 *   npx tsx scripts/scalesim-fixture.ts --scalesim DIR --runs DIR [--times FILE] --out FILE
 *
 * `--scalesim` is a SCALE-Sim v2 checkout (for its commit and its topologies/), `--times` an
 * optional "NAME SECONDS s load: …" log of the runs' wall times.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../sim/output.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scalesim = arg('scalesim');
const runsDir = arg('runs');
const out = arg('out');
if (!scalesim || !runsDir || !out) {
  process.stderr.write('usage: scalesim-fixture.ts --scalesim DIR --runs DIR [--times FILE] --out FILE\n');
  process.exit(2);
}

const TOPOLOGIES: Record<string, { file: string; kind: 'conv' | 'gemm' }> = {
  alexnet: { file: 'conv_nets/alexnet.csv', kind: 'conv' },
  Resnet18: { file: 'conv_nets/Resnet18.csv', kind: 'conv' },
  test_mnk_input: { file: 'GEMM_mnk/test_mnk_input.csv', kind: 'gemm' },
  NCF: { file: 'GEMM_mnk/NCF.csv', kind: 'gemm' },
};

const csvRows = (file: string) =>
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((c) => c.trim()));

const times = new Map<string, { seconds: number; load: string }>();
const timesFile = arg('times');
if (timesFile) {
  for (const line of readFileSync(timesFile, 'utf8').split('\n')) {
    const m = /^(\S+) ([\d.]+) s load: (.*)$/.exec(line);
    if (m) times.set(m[1]!, { seconds: Number(m[2]), load: m[3]! });
  }
}

const commit = execFileSync('git', ['-C', scalesim, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const runs = [];
for (const name of readdirSync(runsDir).sort()) {
  const m = /^(.+)_(\d+)x(\d+)_(ws|os|is)$/.exec(name);
  const topo = m && TOPOLOGIES[m[1]!];
  if (!m || !topo || !existsSync(join(runsDir, name, 'COMPUTE_REPORT.csv'))) continue;
  const shapes = csvRows(join(scalesim, 'topologies', topo.file)).map((c) => c.filter((x) => x !== ''));
  const compute = csvRows(join(runsDir, name, 'COMPUTE_REPORT.csv'));
  const detail = csvRows(join(runsDir, name, 'DETAILED_ACCESS_REPORT.csv'));
  const layers = compute.map((c, i) => {
    const s = shapes[i]!;
    const d = detail[i]!;
    const shape =
      topo.kind === 'gemm'
        ? { M: Number(s[1]), N: Number(s[2]), K: Number(s[3]) }
        : { H: Number(s[1]), W: Number(s[2]), R: Number(s[3]), S: Number(s[4]), C: Number(s[5]), M: Number(s[6]), stride: Number(s[7]) };
    return {
      name: s[0],
      shape,
      cycles: Number(c[1]),
      stallCycles: Number(c[2]),
      overallUtilPercent: Number(c[3]),
      mappingEfficiencyPercent: Number(c[4]),
      computeUtilPercent: Number(c[5]),
      ifmapSramReads: Number(d[3]),
      filterSramReads: Number(d[6]),
      ofmapSramWrites: Number(d[9]),
    };
  });
  runs.push({ topology: m[1], kind: topo.kind, rows: Number(m[2]), cols: Number(m[3]), dataflow: m[4], ...(times.has(name) ? { wallSeconds: times.get(name) } : {}), layers });
}
const fixture = {
  source: 'SCALE-Sim v2 (github.com/scalesim-project/scale-sim-v2), run on its shipped topologies with 64 KiB SRAMs and InterfaceBandwidth CALC (no memory stalls); collected by scripts/scalesim-fixture.ts',
  scalesimCommit: commit,
  runs,
};
writeFileAtomic(out, `${JSON.stringify(fixture, null, 1)}\n`);
process.stdout.write(`${runs.length} runs, ${runs.reduce((s, r) => s + r.layers.length, 0)} layers → ${out}\n`);
