import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadNetwork, macs } from '../../../sim/workload.ts';
import { UserError } from '../../../sim/errors.ts';

const fixtures = relative(process.cwd(), join(import.meta.dirname, '../../fixtures/import'));
const dir = mkdtempSync(join(tmpdir(), 'quantsim-timeloop-'));
const fails = (text: string, pattern: RegExp) => {
  const f = join(dir, 'problem.yaml');
  writeFileSync(f, text);
  try {
    loadNetwork(f);
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`no error for ${JSON.stringify(text)}`);
};

test('v0.3 problem.instance with M, densities ignored: one conv layer named after the file', () => {
  const n = loadNetwork(join(fixtures, 'cnn-layer-v03.yaml'));
  assert.is(n.layers.length, 1);
  const l = n.layers[0]!;
  assert.is([n.name, l.kind, l.N, l.C, l.M, l.P, l.Q, l.R, l.S, l.H].join(), 'cnn-layer-v03,conv,4,256,384,13,13,3,3,15');
  assert.is(macs(l), 4 * 384 * 13 * 13 * 256 * 9);
});

test('v0.2: dimensions directly under problem, output channels as K', () => {
  const l = loadNetwork(join(fixtures, 'cnn-layer-v02.prob.yaml')).layers[0]!;
  assert.is([l.N, l.C, l.M, l.P, l.Q].join(), '16,256,512,56,56');
  const s = loadNetwork(join(fixtures, 'shape-string.yaml')).layers[0]!;
  assert.is([s.M, s.P, s.R, s.strideH, s.strideW].join(), '64,112,7,2,2');
});

test('v0.4 with H, W, Hpad, Wpad: padding checked against P and Q', () => {
  const l = loadNetwork(join(fixtures, 'conv2d-v04.yaml')).layers[0]!;
  assert.is([l.H, l.P, l.padH, l.strideH].join(), '224,112,1,2');
  fails('problem:\n  instance:\n    C: 3\n    M: 8\n    W: 10\n    P: 9\n    R: 3\n    Q: 8\n', /problem\.yaml: line 6: P: P = 9 does not match H 10, R 3/);
});

test('Wstride pairs with P, Hstride with Q (Timeloop projects P onto the input width)', () => {
  fails('problem:\n  instance:\n    C: 1\n    M: 1\n    P: 4\n    Q: 4\n    R: 3\n    S: 3\n    Wstride: 0\n', /line 9: Wstride: must be an integer >= 1, got 0/);
  const f = join(dir, 'aniso.yaml');
  writeFileSync(f, 'problem:\n  instance: { C: 2, M: 4, P: 5, Q: 7, R: 3, S: 1, Wstride: 2, Hstride: 1 }\n');
  const l = loadNetwork(f).layers[0]!;
  assert.is([l.strideH, l.strideW, l.H, l.W].join(), '2,1,11,7');
});

test('groups G multiply per-group C and M; G = C = M is depthwise', () => {
  const f = join(dir, 'dw.yaml');
  writeFileSync(f, 'problem:\n  instance: { C: 1, M: 1, G: 32, P: 8, Q: 8, R: 3, S: 3 }\n');
  const l = loadNetwork(f).layers[0]!;
  assert.is([l.kind, l.C, l.M, l.groups].join(), 'depthwise,32,32,32');
  assert.is(macs(l), 32 * 64 * 9);
});

test('GEMM (gemm-ABZ: M, N, K) becomes an fc with P = M', () => {
  const l = loadNetwork(join(fixtures, 'gemm-abz.yaml')).layers[0]!;
  assert.is([l.kind, l.P, l.C, l.M].join(), 'fc,512,1024,256');
});

test('aliases stand for their anchored values; an alias bomb is refused at once, not expanded', () => {
  const f = join(dir, 'aliased.yaml');
  writeFileSync(f, 'problem:\n  instance: &layer\n    C: &c 64\n    M: *c\n    P: 8\n    Q: 8\n    R: 3\n    S: 3\n');
  assert.is([...'CMPQRS'].map((k) => loadNetwork(f).layers[0]![k as 'C']).join(), '64,64,8,8,3,3');
  writeFileSync(f, 'base: &base\n  C: 3\n  M: 8\n  P: 4\nproblem:\n  instance: *base\n');
  assert.is(loadNetwork(f).layers[0]!.M, 8);
  // Nine levels of nine aliases: 9^9 leaves if anything expanded it.
  const levels = [...'abcdefghi'].map((n, k, all) => `${n}: &${n} [${Array(9).fill(k === 0 ? '"lol"' : `*${all[k - 1]}`).join(', ')}]`).join('\n');
  const t = performance.now();
  fails(`${levels}\nproblem:\n  instance: *i\n`, /problem\.yaml: line 11: "instance" must be a mapping/);
  fails(`${levels}\nproblem:\n  instance:\n    C: *i\n    M: 8\n`, /line 12: C: must be an integer >= 1, got "a sequence"/);
  assert.ok(performance.now() - t < 1000);
});

test('errors name the file, line and key', () => {
  assert.throws(() => loadNetwork(join(fixtures, 'placeholder.yaml')), /placeholder\.yaml: line 6: N: must be an integer >= 1, got "BATCH_SIZE"/);
  fails('problem:\n  instance:\n    C: [1\n', /problem\.yaml: line \d+: malformed YAML/);
  fails('shape: cnn-layer\nC: 3\n', /line 1: expected a Timeloop problem/);
  fails('problem:\n  instance: 3\n', /line 2: "instance" must be a mapping/);
  fails('problem:\n  instance:\n    C: 3\n    M: 4\n    K: 4\n', /line 5: K: give the output channels as "M" or "K"/);
  fails('problem:\n  instance:\n    C: 3\n    M: 4\n    I: 8\n', /line 5: I: unknown dimension "I" of size 8/);
  fails('problem:\n  instance:\n    C: 3\n    M: 4\n    Wpad: -1\n', /line 5: Wpad: must be an integer >= 0/);
});

test.run();
