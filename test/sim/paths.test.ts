// Hostile names and paths in user input (issue #10): nothing written outside the chosen output
// folder, no prototype pollution through config pointers, no eval of user input anywhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { makeNetwork, type LayerSpec } from '../../sim/workload.ts';
import { withValueAt } from '../../sim/config.ts';
import { expandSweep } from '../../sim/sweep.ts';
import { UserError } from '../../sim/errors.ts';
import { generateSyntheticTrace } from '../../traces/synthetic.ts';
import { loadTrace, writeTrace } from '../../traces/format.ts';

const root = join(import.meta.dirname, '..', '..');

/** Every file under `d`, relative to it. */
const files = (d: string) =>
  readdirSync(d, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(d, join(e.parentPath, e.name)));

test('layer names with path syntax cannot place trace files outside the output folder', () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'quantsim-paths-'));
  const names = ['../../escape', '/etc/evil', '..', 'a/b\\c', '.hidden', 'CON', 'same', 'SAME'];
  const net = makeNetwork({ name: 'hostile', layers: names.map((name) => ({ name, kind: 'fc', C: 4, M: 2 }) as LayerSpec) });
  const out = join(sandbox, 'deep', 'out');
  mkdirSync(join(sandbox, 'deep'));
  writeTrace(out, generateSyntheticTrace(net, { seed: 1 }));
  const written = files(sandbox);
  assert.ok(written.length >= names.length * 2 + 1);
  for (const f of written) assert.ok(f.startsWith(join('deep', 'out')) && !f.split(sep).includes('..'), f);
  // The names survive in the manifest and load back; case-only twins get distinct files.
  const back = loadTrace(out, net);
  assert.equal([...back.layers.keys()].sort(), [...names].sort());
  assert.is(new Set(files(out).map((f) => f.toLowerCase())).size, files(out).length);
});

test('config pointers cannot reach Object.prototype (sweep axes, variants)', () => {
  for (const p of ['/__proto__/polluted', '/constructor/prototype/polluted', '/array/__proto__/polluted']) {
    assert.throws(() => withValueAt({ array: { rows: 1 } }, p, 'yes'), (e: unknown) => e instanceof UserError && /may not use __proto__/.test((e as Error).message));
  }
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  const spec = { name: 'pp', schemes: ['eyeriss-int8'], networks: ['alexnet'], mode: 'opcount', axes: [{ path: '/__proto__/polluted', values: [1] }] };
  assert.throws(() => expandSweep(spec as never, root, 'pp.json'), (e: unknown) => e instanceof UserError);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  // An inherited name is not a container to descend into: "/toString/x" makes a plain object.
  const v = withValueAt({ a: 1 } as Record<string, unknown>, '/toString/x', 2);
  assert.equal(v.toString, { x: 2 });
  assert.is(typeof Object.prototype.toString, 'function');
});

test('no eval or Function constructor in the sources', () => {
  const offenders: string[] = [];
  for (const d of ['sim', 'models', 'traces', 'scripts']) {
    for (const f of files(join(root, d)).filter((x) => x.endsWith('.ts') || x.endsWith('.mjs'))) {
      const text = readFileSync(join(root, d, f), 'utf8');
      if (/\beval\s*\(|\bnew\s+Function\s*\(|[^.\w]Function\s*\(\s*['"`]/.test(text)) offenders.push(`${d}/${f}`);
    }
  }
  assert.equal(offenders, []);
});

test.run();
