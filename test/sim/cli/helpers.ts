/** Run the CLI as users do and check a user error's contract: exit 2, one line, no stack trace. */
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..', '..');

export function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function userError(r: ReturnType<typeof cli>, pattern: RegExp) {
  assert.is(r.code, 2, `exit code ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
}
