/**
 * Where things are: the package root (configs/, models/ … live there) found from this file, so the
 * same code runs from the sources (sim/) and from the build (dist/sim/). No dependencies: the CLI
 * imports it before anything heavy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'quantsim') return dir;
    if (dirname(dir) === dir) throw new Error(`quantsim: no package.json of quantsim above ${from}`);
  }
}

/** The repository (package) root. */
export const ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
export const CONFIG_DIR = join(ROOT, 'configs');
export const DEFAULT_COSTS = join(CONFIG_DIR, 'costs', '32nm.json');
/** The package version, recorded in every report and result line. */
export const QUANTSIM_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A path as users should see it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const abs = resolve(file);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}
