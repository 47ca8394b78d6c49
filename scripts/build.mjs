// `npm run build` (and `prepare`, so `npm ci` leaves a ready dist/): compile the TypeScript once
// with tsc (JS + .d.ts, same layout under dist/), copy the plain-JS worker entries, bundle the CLI, and write
// dist/BUILD.json with a fingerprint of the sources, so bin/quantsim.js can tell a stale build.
// Plain JS: it runs before anything else is built.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sourceFingerprint } from '../bin/fingerprint.mjs';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
for (const f of ['sim/sweep-worker.mjs', 'sim/compare-worker.mjs', 'scripts/fuzz-worker.mjs']) {
  mkdirSync(dirname(join(dist, f)), { recursive: true });
  copyFileSync(join(root, f), join(dist, f));
}
// The config schemas' validators compiled once, for the built code (sim/schema-validators.ts).
const { writeBuiltValidators } = await import(pathToFileURL(join(dist, 'sim', 'schema-validators.js')).href);
writeBuiltValidators(join(dist, 'schemas'));

// The CLI also as one bundle (esbuild, which tsx depends on): one module to resolve and compile at
// start instead of ~150 (≈ 30 ms of every command); the commands' lazy imports stay split into
// chunks. It sits next to sim/cli.js so relative URLs (the worker entries) resolve the same.
// Without esbuild, bin/quantsim.js runs the unbundled dist/sim/cli.js.
try {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(dist, 'sim', 'cli.js')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: join(dist, 'sim'),
    entryNames: 'cli.bundle',
    chunkNames: 'cli.bundle-[hash]',
    logLevel: 'warning',
  });
} catch (e) {
  process.stderr.write(`build: no CLI bundle (${e.message}); bin/quantsim.js runs dist/sim/cli.js\n`);
}
writeFileSync(join(dist, 'BUILD.json'), `${JSON.stringify({ sources: sourceFingerprint(root) }, null, 2)}\n`);
