import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceFingerprint } from '../../bin/fingerprint.mjs';

// The built CLI (dist/, made by `npm ci`'s prepare) and the sources through tsx must give the same
// bytes. When dist/ is missing or stale (sources edited since the build), the test builds it first.
const root = join(import.meta.dirname, '..', '..');
const stamp = join(root, 'dist', 'BUILD.json');
const fresh = () => existsSync(stamp) && JSON.parse(readFileSync(stamp, 'utf8')).sources === sourceFingerprint(root);
if (!fresh()) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed:\n${b.stdout}${b.stderr}`);
}

const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/quantsim.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, QUANTSIM_CACHE: 'off', ...env } });
  return { status: r.status, out: r.stdout, err: r.stderr };
};
const arch = join(root, 'test/fixtures/tiny-arch.json');
const net = join(root, 'test/fixtures/two-layer.json');

test('the build is up to date after it ran, so bin/quantsim.js runs dist/', () => {
  assert.ok(fresh());
  assert.ok(existsSync(join(root, 'dist/sim/cli.js')));
  assert.ok(existsSync(join(root, 'dist/index.d.ts')), 'library types are generated');
  assert.ok(existsSync(join(root, 'dist/sim/cli.bundle.js')), 'the CLI bundle bin/quantsim.js starts from');
});

for (const args of [
  ['run', '--arch', arch, '--network', net, '--format', 'json'],
  ['compare', '--network', net, '--schemes', `${arch},eyeriss-int8`, '--mode', 'opcount', '--trace', 'synth', '--format', 'json'],
  ['network', 'show', 'alexnet', '--format', 'json'],
]) {
  test(`built and source CLI give identical bytes: ${args.slice(0, 2).join(' ')}`, () => {
    const built = cli(args);
    const src = cli(args, { QUANTSIM_SOURCES: '1' });
    assert.is(built.status, 0, built.err);
    assert.is(src.status, 0, src.err);
    assert.ok(built.out.length > 100);
    assert.is(built.out, src.out);
  });
}

test('the built CLI keeps the one-line exit-2 error path', () => {
  const r = cli(['run', '--arch', 'no-such-arch', '--network', net]);
  assert.is(r.status, 2);
  assert.is(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /^quantsim: /);
});

test('the built CLI validates configs with the validators compiled at build time, with the errors ajv gives the sources', () => {
  assert.is(readdirSync(join(root, 'dist/schemas')).filter((f) => f.endsWith('.cjs')).length, 1);
  const dir = mkdtempSync(join(tmpdir(), 'quantsim-build-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ extends: join(root, 'configs/arch/eyeriss-int8.json'), name: 'x', array: { rows: -3, cols: 14 } }));
  const built = cli(['run', '--arch', bad, '--network', net]);
  const src = cli(['run', '--arch', bad, '--network', net], { QUANTSIM_SOURCES: '1' });
  assert.is(built.status, 2);
  assert.match(built.err, /bad\.json: \/array\/rows: /);
  assert.is(built.err, src.err);
});

test("import('quantsim') from plain node (no tsx) returns the API", () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('quantsim'); console.log(typeof m.simulate, typeof m.loadArch, typeof m.sweep)"], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'function function function');
});

test.run();
