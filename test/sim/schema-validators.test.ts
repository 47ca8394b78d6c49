import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-schemas-'));
const cache = join(dir, 'cache');
const bad = join(dir, 'bad.json');
writeFileSync(bad, JSON.stringify({ extends: join(root, 'configs/arch/eyeriss-int8.json'), name: 'x', array: { rows: -3, cols: 14 } }));
const net = join(root, 'test/fixtures/two-layer.json');
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), 'run', '--arch', bad, '--network', net], { cwd: root, encoding: 'utf8', env: { ...process.env, QUANTSIM_CACHE_DIR: cache, ...env } });

test('validators compiled by ajv and read back from the cached standalone module report the same error', () => {
  const compiled = run({ QUANTSIM_CACHE: 'off' });
  const first = run({});
  assert.equal(readdirSync(join(cache, 'schemas')).length, 1, 'the first process caches the compiled validators');
  const cached = run({});
  for (const r of [compiled, first, cached]) assert.is(r.status, 2, r.stderr);
  assert.match(compiled.stderr, /bad\.json: \/array\/rows: /);
  assert.is(first.stderr, compiled.stderr);
  assert.is(cached.stderr, compiled.stderr);
});

test('a damaged cache entry is compiled again', () => {
  const f = join(cache, 'schemas', readdirSync(join(cache, 'schemas'))[0]!);
  writeFileSync(f, 'module.exports = (');
  const r = run({});
  assert.is(r.status, 2);
  assert.match(r.stderr, /\/array\/rows: /);
});

test.run();
