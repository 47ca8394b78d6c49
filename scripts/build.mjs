// `npm run build` (and `prepare`, so `npm ci` leaves a ready dist/): compile the TypeScript once
// with tsc (JS + .d.ts, same layout under dist/), copy the plain-JS worker entries, and write
// dist/BUILD.json with a fingerprint of the sources, so bin/quantsim.js can tell a stale build.
// Plain JS: it runs before anything else is built.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
writeFileSync(join(dist, 'BUILD.json'), `${JSON.stringify({ sources: sourceFingerprint(root) }, null, 2)}\n`);
