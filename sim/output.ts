/**
 * Writing results without destroying anything (docs/hardening.md). A file output is written beside
 * its target and renamed over it, so a kill never leaves half a file; the target is resolved
 * first: a symlink's target gets the content (the link stays), a character device or FIFO is
 * written in place (renaming over /dev/null would replace the device node), a folder, socket or
 * block device is refused with one line, and so is an input of the same command.
 */
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { die, isUserError } from './errors.ts';
import { displayPath } from './paths.ts';
import { inputAt } from './inputs.ts';

/** Follow symlinks (dangling ones too) to the path the content should land at. */
export function finalTarget(file: string): string {
  let p = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  return die('too many levels of symbolic links', displayPath(file));
}

export function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** What a non-regular file is, for messages. */
export function fileKind(st: Stats): string {
  return st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isBlockDevice() ? 'a block device' : st.isCharacterDevice() ? 'a character device' : 'not a regular file';
}

const sleep1ms = new Int32Array(new SharedArrayBuffer(4));

/** Write to a character device or FIFO in place; a FIFO nobody reads is refused, not waited on. */
function writeInPlace(target: string, data: Uint8Array, shown: string, fifo: boolean): void {
  let fd: number;
  try {
    fd = openSync(target, constants.O_WRONLY | (fifo ? constants.O_NONBLOCK : 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return die(code === 'ENXIO' ? 'is a FIFO that nobody reads; not writing to it' : `cannot write output: ${code ?? (e as Error).message}`, shown);
  }
  try {
    for (let off = 0; off < data.length; ) {
      try {
        off += writeSync(fd, data, off);
      } catch (e) {
        // A full non-blocking pipe: wait for the reader.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(sleep1ms, 0, 0, 1);
      }
    }
  } catch (e) {
    die(`cannot write output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, shown);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `text` to `file` atomically (temp file beside the final target, then rename). Follows
 * symlinks; writes character devices and FIFOs in place; refuses folders, sockets, block devices.
 * A mode the target had is kept.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const shown = displayPath(file);
  const target = finalTarget(file);
  const st = statOrUndefined(target);
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  if (st && !st.isFile()) {
    if (st.isCharacterDevice() || st.isFIFO()) return writeInPlace(target, data, shown, st.isFIFO());
    die(`is ${fileKind(st)}; give a file name`, shown);
  }
  // Unique per thread too: sweep workers share the process and may write the same cache entry.
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${threadId}.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, data);
    if (st) chmodSync(tmp, st.mode & 0o7777);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (isUserError(e)) throw e;
    die(`cannot write output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, shown);
  }
}

/** A user's `--out` file: as writeFileAtomic, and never over an input of the same command. */
export function writeOutputFile(file: string, text: string | Uint8Array): void {
  if (inputAt(finalTarget(file))) die('is an input of this command; not overwriting it (write the output elsewhere)', displayPath(file));
  writeFileAtomic(file, text);
}

/** Print to stdout, or write to `out` (writeOutputFile) when given. */
export function emit(text: string, out?: string): void {
  if (out) writeOutputFile(out, text);
  else process.stdout.write(text);
}

/** Refuse `lstat`-level surprises early: for commands that must know their output is a plain file. */
export function requireRegularOrAbsent(file: string, what: string): void {
  const st = statOrUndefined(finalTarget(file));
  if (st && !st.isFile()) die(`is ${fileKind(st)}, not ${what}`, displayPath(file));
}
