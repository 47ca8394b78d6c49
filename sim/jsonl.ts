/**
 * Results files: JSON Lines, one complete line per point, appended with O_APPEND so a kill at
 * any moment leaves every line but possibly the last one whole. Opening a file for append cuts a
 * trailing partial line; reading skips nothing silently (a malformed complete line is an error).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { die } from './errors.ts';
import { displayPath } from './paths.ts';
import type { ResultLine } from './sweep-eval.ts';
import { fileKind, statOrUndefined, writeFileAtomic } from './output.ts';
import { inputAt } from './inputs.ts';

export interface ResultsFile {
  lines: ResultLine[];
  /** Bytes of a trailing partial line (an interrupted write), not counted in `lines`. */
  partialBytes: number;
}

export interface ReadResultsOptions {
  /** A missing file or a torn last line is an error (merging shards: nothing may be silently empty). */
  strict?: boolean;
}

/** Read a results file; a missing file reads as empty unless `strict`. A folder is a user error. */
export function readResults(file: string, options: ReadResultsOptions = {}): ResultsFile {
  const st = statOrUndefined(file);
  if (!st) {
    if (options.strict) die('no such results file', displayPath(file));
    return { lines: [], partialBytes: 0 };
  }
  if (st.isDirectory()) die('is a folder, not a results file (JSONL)', displayPath(file));
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    return die(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath(file));
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  const lines: ResultLine[] = [];
  let lineNo = 0;
  for (const raw of buf.subarray(0, end).toString('utf8').split('\n')) {
    lineNo++;
    if (raw === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return die(`line ${lineNo} is not valid JSON (not a quantsim results file?)`, displayPath(file));
    }
    const o = parsed as ResultLine;
    if (typeof o !== 'object' || o === null || typeof o.key !== 'string') die(`line ${lineNo} has no "key"`, displayPath(file));
    lines.push(o);
  }
  if (options.strict && end < buf.length) die(`line ${lineNo} is incomplete (a torn write: ${buf.length - end} bytes without a newline); rerun that shard to finish it`, displayPath(file));
  return { lines, partialBytes: buf.length - end };
}

/**
 * Check a results file to append to: a regular file or nothing (a character device such as
 * /dev/null is allowed: it reads empty and swallows the lines), never a folder, FIFO or socket,
 * and never an input of the same command (a spec or network given as --out).
 */
export function resultsTarget(file: string): void {
  const st = statOrUndefined(file);
  if (st && !st.isFile() && !st.isCharacterDevice()) die(`is ${fileKind(st)}, not a results file (JSONL)`, displayPath(file));
  if (inputAt(file)) die('is an input of this command; not appending results to it (give another --out)', displayPath(file));
}

/** Appends complete lines; fsyncs at most every `syncMs` and on close. */
export class ResultsWriter {
  private readonly fd: number;
  private lastSync = Date.now();
  private dirty = false;

  /** Open for append, cutting a trailing partial line left by a killed run. */
  constructor(
    readonly file: string,
    private readonly syncMs = 250,
  ) {
    resultsTarget(file);
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file) && statSync(file).isFile()) {
      const buf = readFileSync(file);
      const end = buf.lastIndexOf(0x0a) + 1;
      if (end < buf.length) truncateSync(file, end);
    }
    this.fd = openSync(file, 'a');
  }

  /** Append lines (each ending in "\n") with one write call. */
  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const buf = Buffer.from(lines.join(''));
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.dirty = true;
    if (Date.now() - this.lastSync >= this.syncMs) this.sync();
  }

  sync(): void {
    if (!this.dirty) return;
    fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = Date.now();
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }
}

/**
 * Rewrite a finished results file with the lines whose keys are in `order` in that order, after
 * the lines of other sweeps (kept as they were). Lines are appended in completion order, which
 * depends on thread timing; the finished file must not (same spec and seed → the same bytes).
 * Atomic: a kill leaves the old file or the new one.
 */
export function orderResults(file: string, order: readonly string[]): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const rank = new Map(order.map((k, i) => [k, i]));
  // A key repeated by hand-concatenation keeps all its lines, together (nothing is dropped here).
  const ours: string[][] = Array.from({ length: order.length }, () => []);
  const others: string[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const i = rank.get((JSON.parse(raw) as ResultLine).key);
    if (i === undefined) others.push(raw);
    else ours[i]!.push(raw);
  }
  const sorted = [...others, ...ours.flat()].map((l) => `${l}\n`).join('');
  if (sorted !== text) writeFileAtomic(file, sorted);
}
