/**
 * The files and folders this process read as user input (configs, networks, cost tables, traces,
 * results). An output never replaces one of them (docs/hardening.md): `quantsim quantize --trace T
 * --out T` or `run --arch a.json --out a.json` is refused instead of destroying the input.
 */
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

const inputs = new Set<string>();

/** The real path (symlinks followed) of `p`, or its absolute path when it does not exist. */
export function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Record that `p` was read as an input of this command. */
export function noteInput(p: string): void {
  inputs.add(realPath(p));
}

/** An input that is `p`, or lies inside folder `p`, or holds `p`; undefined if none. */
export function inputAt(p: string, options: { inside?: boolean } = {}): string | undefined {
  const real = realPath(p);
  for (const i of inputs) {
    if (i === real) return i;
    if (options.inside && (i.startsWith(real + sep) || real.startsWith(i + sep))) return i;
  }
  return undefined;
}

/** Forget every input (tests, and long-running processes between jobs). */
export function clearInputs(): void {
  inputs.clear();
}
