/**
 * Issue #17, one test per row of its table ("Nothing a user owns is ever destroyed, and no wrong
 * number is ever stored"); the queue rows (5, 6, 7) are in test/sim/queue.test.ts. Each failed on
 * the code before the fix. In-process where possible (a CLI start costs seconds on a loaded box);
 * UserError messages are what the CLI prints after "quantsim: ". docs/hardening.md lists the guarantees.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../../sim/errors.ts';
import { clearInputs } from '../../sim/inputs.ts';
import { emit, writeOutputFile } from '../../sim/output.ts';
import { loadArch } from '../../sim/arch.ts';
import { loadCostTable } from '../../sim/costs.ts';
import { simulate } from '../../sim/simulate.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { readResults } from '../../sim/jsonl.ts';
import { evaluatePoint } from '../../sim/sweep-eval.ts';
import { expandSweep, loadSweepSpec, mergeResults, sweep } from '../../sim/sweep.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';
import { loadTrace, writeTrace } from '../../traces/format.ts';
import { synthCommand } from '../../sim/cli/trace.ts';
import { quantizeCommand } from '../../sim/cli/quantize.ts';
import { OUTPUT_MARKER } from '../../sim/output-folder.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-hardening-'));
const tinyArch = join(fixtures, 'tiny-arch.json');
const twoLayer = join(fixtures, 'two-layer.json');
const tinySweep = join(fixtures, 'tiny-sweep.json');
const tinyCosts = JSON.parse(readFileSync(join(fixtures, 'tiny-costs.json'), 'utf8'));

async function throwsUser(fn: () => unknown, pattern: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.ok(isUserError(e), `a UserError expected, got ${(e as Error)?.stack}`);
    assert.not.match(e.message, /\n/, 'one line');
    assert.match(e.message, pattern);
    return;
  }
  assert.unreachable(`no error (expected ${pattern})`);
}
const put = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const tinyReport = () => `${JSON.stringify(simulate(loadArch(tinyArch), loadNetwork(twoLayer), { mode: 'opcount' }).totals)}\n`;
/** Every file of a folder with its bytes, for "unchanged" checks. */
const snapshot = (d: string) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f)).toString('base64')]));
const synth = (out: string, extra: { force?: boolean; seed?: number } = {}) =>
  synthCommand.handler({ network: twoLayer, seed: extra.seed ?? 1, out, dtype: 'float32', ...(extra.force ? { force: true } : {}) });

test.before.each(() => clearInputs());

test('#1 --out a FIFO (device-like node): written in place when read, refused with one line when not; it stays a FIFO', async () => {
  const fifo = join(dir, 'fifo');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0);
  await throwsUser(() => emit(tinyReport(), fifo), /fifo: is a FIFO that nobody reads; not writing to it/);
  assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
  // A reader holds it open (non-blocking, so nothing waits for a writer).
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const text = tinyReport();
    emit(text, fifo);
    const buf = Buffer.alloc(65536);
    assert.is(buf.subarray(0, readSync(fd, buf, 0, buf.length, null)).toString('utf8'), text);
  } finally {
    closeSync(fd);
  }
  assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO after the write');
});

test('#2 trace synth --out a folder with other files (and --out .): refused, nothing deleted; --force adds beside them', async () => {
  const d = join(dir, 'mine');
  mkdirSync(d);
  writeFileSync(join(d, 'manifest.json'), '{"mine": true}\n');
  writeFileSync(join(d, 'notes.txt'), 'precious\n');
  const before = snapshot(d);
  await throwsUser(() => synth(d), /mine: holds 2 file\(s\) quantsim did not write \(e\.g\. "manifest\.json"\).*--force/);
  const cwd = process.cwd();
  process.chdir(d);
  try {
    await throwsUser(() => synth('.'), /holds 2 file\(s\) quantsim did not write/);
  } finally {
    process.chdir(cwd);
  }
  assert.equal(snapshot(d), before, 'nothing touched');
  await synth(d, { force: true });
  assert.is(readFileSync(join(d, 'notes.txt'), 'utf8'), 'precious\n', 'the user file is left');
  assert.ok(existsSync(join(d, 'conv.weights.npy')));
  // A folder quantsim wrote is replaced as a whole; a file added to it since is never deleted.
  const q = join(dir, 'ours');
  await synth(q);
  await synth(q, { seed: 2 });
  assert.ok(existsSync(join(q, OUTPUT_MARKER)));
  writeFileSync(join(q, 'added.txt'), 'x');
  await throwsUser(() => synth(q), /holds 1 file\(s\) quantsim did not write \(e\.g\. "added\.txt"\)/);
  assert.ok(existsSync(join(q, 'added.txt')));
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.old')), []);
});

test('#3 quantize --trace T --out T: refused with one line before the search, the input trace untouched', async () => {
  const small = join(fixtures, 'dnateq-small.json');
  const t = join(dir, 'float-trace');
  writeTrace(t, generateSyntheticTrace(loadNetwork(small), { seed: 4 }));
  writeFileSync(join(t, 'readme.txt'), 'mine');
  const before = snapshot(t);
  const args = { scheme: 'dnateq', network: small, arch: join(fixtures, 'dnateq-small-arch.json'), trace: t, seed: 1, format: 'table' as const, proxy: 'layers' as const };
  await throwsUser(() => quantizeCommand.handler({ ...args, out: t, force: true }), /float-trace: is an input of this command .*not writing over it/);
  await throwsUser(() => quantizeCommand.handler({ ...args, out: join(t, 'codes'), force: false }), /codes: is inside an input of this command/);
  assert.equal(snapshot(t), before);
});

test('#4 a tensor symlinked to /dev/zero (or outside the folder, or a FIFO): one line at once, nothing read', async () => {
  const t = join(dir, 'link-trace');
  writeTrace(t, generateSyntheticTrace(loadNetwork(twoLayer), { seed: 1 }));
  const victim = join(t, 'conv.weights.npy');
  const bytes = readFileSync(victim);
  rmSync(victim);
  symlinkSync('/dev/zero', victim);
  await throwsUser(() => loadTrace(t), /conv\.weights\.npy: layer "conv" weights: resolves outside the trace folder \(to \/dev\/zero\)/);
  rmSync(victim);
  writeFileSync(join(dir, 'outside.npy'), bytes);
  symlinkSync(join(dir, 'outside.npy'), victim);
  await throwsUser(() => loadTrace(t), /resolves outside the trace folder/);
  rmSync(victim);
  spawnSync('mkfifo', [victim]);
  await throwsUser(() => loadTrace(t), /conv\.weights\.npy: layer "conv" weights: is a FIFO, not an \.npy file/);
  // A symlink inside the folder is fine; a header promising more than the file holds is refused before reading.
  rmSync(victim);
  writeFileSync(join(t, 'real.npy'), bytes);
  symlinkSync('real.npy', victim);
  assert.ok(loadTrace(t).layers.get('conv')!.weights);
  writeFileSync(join(t, 'real.npy'), bytes.subarray(0, bytes.length - 4));
  await throwsUser(() => loadTrace(t), /truncated \.npy data: shape \(2, 2, 1, 1\) of <f4 needs 16 bytes, file has 12/);
});

const good = join(dir, 'good.jsonl');
const goodReady = sweep(tinySweep, { out: good, workers: 0 });

test('#8 sweep merge: a missing shard or a torn last line is one line, not a silent merge', async () => {
  await goodReady;
  await throwsUser(() => mergeResults([good, join(dir, 'misspelled.jsonl')]), /misspelled\.jsonl: no such results file/);
  const torn = put('torn.jsonl', readFileSync(good, 'utf8') + '{"key":"abc","arch');
  await throwsUser(() => mergeResults([good, torn]), /torn\.jsonl: line 25 is incomplete \(a torn write/);
});

test('#9 tiny clocks and bandwidths, huge energies, huge node factors: refused up front with file and JSON path', async () => {
  const arch = JSON.parse(readFileSync(tinyArch, 'utf8'));
  arch.costs = join(fixtures, 'tiny-costs.json');
  const variant = (name: string, edit: (a: typeof arch) => void) => {
    const a = JSON.parse(JSON.stringify(arch));
    edit(a);
    return put(name, JSON.stringify(a));
  };
  await throwsUser(() => loadArch(variant('clk.json', (a) => (a.clockMHz = 1e-300))), /clk\.json: \/clockMHz: must be a number in 0\.001\.\.100000, got 1e-300/);
  await throwsUser(() => loadArch(variant('bw.json', (a) => (a.dram.bytesPerCycle = 1e-300))), /bw\.json: \/dram\/bytesPerCycle: must be a number in 0\.001\.\./);
  const costs = (name: string, edit: (c: typeof tinyCosts) => void) => {
    const c = JSON.parse(JSON.stringify(tinyCosts));
    edit(c);
    return put(name, JSON.stringify(c));
  };
  await throwsUser(() => loadCostTable(costs('huge.json', (c) => (c.classes.int_adder.points[0].energy.add = '1e308 pJ'))), /huge\.json: \/classes\/int_adder\/points\/0\/energy\/add: quantity "1e308 pJ" is above 1000000000 pJ/);
  await throwsUser(() => loadCostTable(costs('node.json', (c) => (c.nodeScaling[Object.keys(c.nodeScaling)[0]!].energy = 1e300))), /node\.json: \/nodeScaling\/[^/]+\/energy: must be a number in 0\.001\.\.1000/);
  // What no bound sees (here an energy scale past the axis check) is caught before it is stored: an error line, never null or Infinity.
  const { spec, baseDir, file } = loadSweepSpec(tinySweep);
  const p = expandSweep(spec, baseDir, file).points[0]!;
  const line = evaluatePoint({ ...p, energyScale: { sram: 1e308, int_multiplier: 1e308 } });
  assert.is(line.totals, undefined);
  assert.match(line.error!, /tiny-(arch|costs)\.json.*would be (Infinity|NaN)/);
});

test('#10 gatedLeakageFraction 2 (a physical fraction out of [0, 1]) is refused with the path', async () => {
  const bad = put('gated.json', JSON.stringify({ ...tinyCosts, parameters: { gatedLeakageFraction: { value: 2, source: 'x' } } }));
  await throwsUser(() => loadCostTable(bad), /gated\.json: \/parameters\/gatedLeakageFraction\/value: must be a number in 0\.\.1, got 2/);
});

test('#11 a cost-axis energyScale 1e308: refused up front naming the spec and axis, not a crash', async () => {
  const spec = JSON.parse(readFileSync(tinySweep, 'utf8'));
  spec.schemes = [tinyArch];
  spec.networks = [twoLayer];
  spec.axes[2].values = [1, 1e308];
  const f = put('scale.json', JSON.stringify(spec));
  await throwsUser(() => sweep(f, { out: join(dir, 'scale.jsonl'), workers: 0 }), /scale\.json: \/axes\/2: a cost scale must be a number in 0\.\.1e6, got 1e\+308/);
});

test('#12 a folder where a file is expected (sweep --out, merge --out, pareto/report input, run --out): one line', async () => {
  await goodReady;
  const d = join(dir, 'a-folder');
  mkdirSync(d);
  await throwsUser(() => sweep(tinySweep, { out: d, workers: 0 }), /a-folder: is a folder, not a results file/);
  await throwsUser(() => writeOutputFile(d, readFileSync(good)), /a-folder: is a folder; give a file name/);
  await throwsUser(() => mergeResults([d]), /a-folder: is a folder, not a results file/);
  await throwsUser(() => readResults(d), /a-folder: is a folder, not a results file/);
  await throwsUser(() => emit('x', d), /a-folder: is a folder; give a file name/);
});

test('#13 a SCALE-Sim CSV that is one 10 MB line: the message quotes 80 characters of it', async () => {
  const f = put('one-line.csv', `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1,227,227,11,11,3,96,${'4'.repeat(10_000_000)}\n`);
  await throwsUser(() => loadNetwork(f), /one-line\.csv: line 2: Strides: must be an integer >= 1, got "4{80}"… \(10,000,000 characters\)$/);
});

test('#14 a conv with S = 13 on the Eyeriss array names the arch file, /pe/ifmapSpadEntries and the layer', async () => {
  const net = put('s13.json', JSON.stringify({ name: 's13', bias: false, layers: [{ name: 'wide', kind: 'conv', C: 1, M: 1, H: 16, W: 16, R: 1, S: 13 }] }));
  await throwsUser(() => simulate(loadArch('eyeriss-int8'), loadNetwork(net)), /configs\/arch\/eyeriss-int8\.json: \/pe\/ifmapSpadEntries: layer "wide": filter width S=13 exceeds the ifmap spad \(12 entries\)/);
});

test('#15 missing extends/costs name the referencing file and path; quoted CSV cells; --queue http://x fails before progress', async () => {
  await throwsUser(() => loadArch(put('ext.json', JSON.stringify({ extends: 'nope.json', name: 'x' }))), /ext\.json: \/extends: extends \S*nope\.json, which does not exist/);
  const arch = JSON.parse(readFileSync(tinyArch, 'utf8'));
  await throwsUser(() => loadArch(put('mc.json', JSON.stringify({ ...arch, costs: 'missing-costs.json' }))), /mc\.json: \/costs: names cost table \S*missing-costs\.json, which does not exist/);
  const csv = put('quoted.csv', 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"Conv,1",227,227,11,11,3,96,4,\n');
  assert.equal(loadNetwork(csv).layers.map((l) => l.name), ['Conv,1']);
  // Through the real CLI: the one line, exit 2, and nothing printed before it.
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'sweep', '--spec', tinySweep, '--out', join(dir, 'q.jsonl'), '--queue', 'http://x'], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.is(r.stderr, 'quantsim: --queue must be a redis:// URL, got "http://x"\n');
});

test('#16 --out a symlink: the final (sorted) file lands in the link target; the link stays a link', async () => {
  await goodReady;
  const target = join(dir, 'target.jsonl');
  const link = join(dir, 'link.jsonl');
  writeFileSync(target, '');
  symlinkSync(target, link);
  await sweep(tinySweep, { out: link, workers: 2, batchSize: 1 });
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.is(readFileSync(target, 'utf8'), readFileSync(good, 'utf8'), 'the target holds the sorted lines');
  const runLink = join(dir, 'run-link.txt');
  symlinkSync(join(dir, 'run-target.txt'), runLink);
  emit('report\n', runLink);
  assert.ok(lstatSync(runLink).isSymbolicLink());
  assert.is(readFileSync(join(dir, 'run-target.txt'), 'utf8'), 'report\n');
  assert.ok(statSync(runLink).isFile());
});

test.run();
