#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm ci` / `npm run build`) when it is up to date with the
// sources; in a development checkout whose sources changed since the build (or with no build),
// runs the TypeScript through tsx. QUANTSIM_SOURCES=1 forces the sources.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFingerprint } from './fingerprint.mjs';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', 'BUILD.json');
const fresh = () => {
  try {
    return JSON.parse(readFileSync(stamp, 'utf8')).sources === sourceFingerprint(root);
  } catch {
    return false;
  }
};
if (process.env.QUANTSIM_SOURCES !== '1' && existsSync(stamp) && fresh()) {
  // The one-file bundle the build makes (faster to start), else the compiled modules.
  await import(existsSync(join(root, 'dist', 'sim', 'cli.bundle.js')) ? '../dist/sim/cli.bundle.js' : '../dist/sim/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../sim/cli.ts');
}
