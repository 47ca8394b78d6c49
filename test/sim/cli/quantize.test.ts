import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork } from '../../../sim/workload.ts';
import { generateSyntheticTrace } from '../../../traces/synthetic.ts';
import { loadTrace, writeTrace } from '../../../traces/format.ts';
import { encodeNpy } from '../../../traces/npy.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-quantize-'));
const fixtures = join(root, 'test', 'fixtures');
const small = join(fixtures, 'dnateq-small.json');
const smallArch = join(fixtures, 'dnateq-small-arch.json');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function userError(r: ReturnType<typeof cli>, pattern: RegExp) {
  assert.is(r.code, 2, `exit code ${r.code}: ${r.stderr}`);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

// A float trace folder of the small network, and one with a NaN written behind the writer's back.
const net = loadNetwork(small);
const traceDir = join(dir, 'float');
writeTrace(traceDir, generateSyntheticTrace(net, { seed: 4 }));
const nanDir = join(dir, 'nan');
writeTrace(nanDir, generateSyntheticTrace(net, { seed: 4 }));
{
  const w = loadTrace(nanDir).layers.get('conv2')!.weights!;
  const data = Float32Array.from(w.data);
  data[5] = NaN;
  writeFileSync(join(nanDir, 'conv2.weights.npy'), encodeNpy(w.shape, data, 'float32'));
}

test('quantize writes int8 codes with the float shapes and per-layer n, b, α, β; the table lists them', () => {
  const out = join(dir, 'q');
  const r = cli('quantize', '--scheme', 'dnateq', '--network', small, '--trace', traceDir, '--arch', smallArch, '--out', out);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /layer\s+n\s+b\s+α_w\s+β_w\s+α_a\s+β_a\s+RMAE_w\s+RMAE_a\s+RSS_w\s+RSS_a/);
  const codes = loadTrace(out);
  const float = loadTrace(traceDir);
  const params = JSON.parse(readFileSync(join(out, 'quantization.json'), 'utf8'));
  for (const name of ['conv1', 'conv2', 'fc']) {
    const c = codes.layers.get(name)!;
    assert.equal(c.weights!.shape, float.layers.get(name)!.weights!.shape);
    assert.is(c.weights!.dtype, 'int8');
    const p = params.layers[name];
    assert.ok(p.bits >= 3 && p.bits <= 7);
    assert.ok(p.base > 1);
    const E = 2 ** (p.bits - 1) - 1;
    for (const v of c.weights!.data) assert.ok(Math.abs(v) <= 2 * E + 1);
  }
  assert.type(params.tauA, 'number');
});

test('--format json prints exactly the parameters --out wrote (same trace and seed)', () => {
  const a = cli('quantize', '--scheme', 'dnateq', '--network', small, '--trace', traceDir, '--arch', smallArch, '--format', 'json');
  assert.is(a.code, 0, a.stderr);
  assert.is(a.stdout, readFileSync(join(dir, 'q', 'quantization.json'), 'utf8'));
});

test('bad input exits 2 with one line: NaN in a trace, n outside 3…7', () => {
  userError(cli('quantize', '--scheme', 'dnateq', '--network', small, '--trace', nanDir, '--arch', smallArch), /conv2.*weights: NaN/);
  const bad = join(dir, 'bad-arch.json');
  writeFileSync(bad, JSON.stringify({ extends: smallArch, name: 'bad', dnateq: { bits: 8 } }));
  userError(cli('quantize', '--scheme', 'dnateq', '--network', small, '--trace', traceDir, '--arch', bad), /\/dnateq\/bits.*3\.\.7/);
});

test.run();
