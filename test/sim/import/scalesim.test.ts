import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadNetwork, macs, parameterCount } from '../../../sim/workload.ts';
import { UserError } from '../../../sim/errors.ts';

const fixtures = relative(process.cwd(), join(import.meta.dirname, '../../fixtures/import'));
const dir = mkdtempSync(join(tmpdir(), 'quantsim-scalesim-'));
const HEADER = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,';
const put = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const fails = (text: string, pattern: RegExp) => {
  try {
    loadNetwork(put('topo.csv', text));
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`no error for ${JSON.stringify(text)}`);
};

test('published quirks: spaces, tabs, trailing commas, blank lines, # comments, no final newline', () => {
  const n = loadNetwork(join(fixtures, 'quirks.csv'));
  assert.is(n.name, 'quirks');
  assert.equal(n.layers.map((l) => l.name), ['Conv1', 'Conv2', 'Conv3', 'Conv4', 'FC']);
  const [c1, c2, c3, , fc] = n.layers;
  // SCALE-Sim: ofmap = ceil((ifmap - filter + stride) / stride), no padding.
  assert.is(c1!.P, 55);
  assert.is(c1!.H, 227, 'the rows the overhanging last window reads');
  assert.is(macs(c1!), 55 * 55 * 11 * 11 * 3 * 96);
  assert.is([c2!.P, c2!.H, c2!.padH].join(), '23,27,0');
  assert.is(c3!.C, 256);
  assert.is(fc!.kind, 'fc');
  assert.is(parameterCount(n), n.layers.reduce((s, l) => s + l.M * l.C * l.R * l.S, 0), 'no biases');
});

test('extra columns after Strides and all-empty lines are ignored; CRLF accepted', () => {
  const n = loadNetwork(join(fixtures, 'extra-columns.csv'));
  assert.equal(n.layers.map((l) => [l.name, l.P, l.strideH]), [['Conv1', 110, 2], ['CB2a_1', 56, 1]], 'Conv1: 110 as in the file\'s own Eh column');
});

test('a UTF-8 BOM and old-Mac CR line ends (spreadsheet exports) read like the plain file', () => {
  const rows = [HEADER, 'c1, 8, 8, 3, 3, 3, 4, 1,', 'c2, 6, 6, 3, 3, 4, 4, 1,'];
  const plain = loadNetwork(put('plain.csv', `${rows.join('\n')}\n`));
  const exported = loadNetwork(put('plain.csv', `\uFEFF${rows.join('\r')}\r`));
  assert.equal(exported.layers, plain.layers);
  assert.equal(plain.layers.map((l) => [l.name, l.P]), [['c1', 6], ['c2', 4]]);
});

test('GEMM topologies (Layer, M, N, K) become fc layers with P = M rows', () => {
  const n = loadNetwork(join(fixtures, 'gemm.csv'));
  const q = n.layers[0]!;
  assert.is([q.kind, q.P, q.C, q.M].join(), 'fc,1024,64,1024');
  assert.is(macs(q), 1024 * 1024 * 64);
});

test('errors name the file, line and column', () => {
  assert.throws(() => loadNetwork(join(fixtures, 'bad-value.csv')), /bad-value\.csv: line 4: Filter Height: must be an integer >= 1, got "x"/);
  fails(`${HEADER}\nc1, 8, 8, 3, 3, 3, 0, 1,\n`, /topo\.csv: line 2: Num Filter: must be an integer >= 1, got "0"/);
  fails(`${HEADER}\nc1, 8, 8, 3, 3, 3\n`, /line 2: Num Filter: missing \(8 columns expected\)/);
  fails(`${HEADER}\n\nc1, 8, 8, 9, 3, 3, 4, 1,\n`, /line 3: Filter Height: 9 is larger than IFMAP Height 8/);
  fails(`${HEADER}\nc1, 8, 8, 3, 3, 3, 4, 1,\nc1, 8, 8, 3, 3, 3, 4, 1,\n`, /line 3: Layer name: duplicate layer name "c1" \(first on line 2\)/);
  fails(`${HEADER}\n, 8, 8, 3, 3, 3, 4, 1,\n`, /line 2: Layer name: must not be empty/);
  fails('name,height,width\nc1,8,8\n', /line 1: expected the SCALE-Sim header/);
  fails('Lay\u0001er, M\nq,1,1\n', /got "Lay\\u0001er, M"$/);
  fails(`${HEADER}\n`, /no layers after the header/);
  fails('\n\n', /empty topology/);
  assert.throws(() => loadNetwork(join(dir, 'absent.csv')), /absent\.csv: cannot read file: ENOENT/);
});

test.run();
