/** Writing results: atomically (temp file + rename), so a kill never leaves half a file. */
import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { die } from './errors.ts';

export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  // Unique per thread too: sweep workers share the process and may write the same cache entry.
  const tmp = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    die(`cannot write output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
}

/** Print to stdout, or write atomically to `out` when given. */
export function emit(text: string, out?: string): void {
  if (out) writeFileAtomic(out, text);
  else process.stdout.write(text);
}
