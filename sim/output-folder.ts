/**
 * Folder outputs (trace folders, quantized traces): written only into a new or empty folder or
 * one quantsim wrote before, recognised by the marker file it leaves (OUTPUT_MARKER, listing the
 * files it wrote). Such a folder is replaced atomically: the new one is built beside it and
 * swapped in, and only the files the marker lists are deleted. A folder holding anything else is
 * refused unless `force`, which writes quantsim's files into it and touches nothing else. A
 * folder that is, holds or lies in an input of the same command is always refused.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { die, isUserError } from './errors.ts';
import { displayPath } from './paths.ts';
import { inputAt, realPath } from './inputs.ts';
import { fileKind, finalTarget, statOrUndefined, writeFileAtomic } from './output.ts';

/** A file's content, or a function making it when it is written (large tensors one at a time). */
export type Content = string | Uint8Array | (() => string | Uint8Array);
const bytesOf = (c: Content) => (typeof c === 'function' ? c() : c);

/** The file quantsim leaves in every folder it writes. */
export const OUTPUT_MARKER = '.quantsim-output.json';

export interface FolderOutputOptions {
  /** Write into a folder holding other files (they are left as they are). */
  force?: boolean;
  /** Folders or files the command reads (besides those noted by the loaders). */
  inputs?: readonly string[];
}

/** The files a quantsim-made folder lists in its marker; undefined when it has no valid marker. */
export function markedFiles(dir: string): string[] | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')) as { writtenBy?: unknown; files?: unknown };
    if (m.writtenBy !== 'quantsim' || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string' && f !== '' && !f.includes('/') && f !== '..' && f !== '.')) return undefined;
    return m.files as string[];
  } catch {
    return undefined;
  }
}

const markerText = (names: readonly string[]) => `${JSON.stringify({ writtenBy: 'quantsim', files: [...names].sort() }, null, 1)}\n`;

function under(a: string, b: string): boolean {
  return a === b || a.startsWith(b + sep);
}

interface FolderPlan {
  target: string;
  exists: boolean;
  marked: string[];
  foreign: string[];
}

/**
 * Check that `dir` may receive a folder output (see the file comment); throws the one-line
 * UserError otherwise. Commands call it before their work, so a refusal costs nothing.
 */
export function checkOutputFolder(dir: string, options: FolderOutputOptions = {}): FolderPlan {
  const shown = displayPath(dir);
  const target = finalTarget(dir);
  const clash = [...(options.inputs ?? [])].map(realPath).find((i) => under(target, i) || under(i, target)) ?? inputAt(target, { inside: true });
  if (clash) die(`is${clash === target ? '' : under(target, clash) ? ' inside' : ' holding'} an input of this command (${displayPath(clash)}); not writing over it (write the output elsewhere)`, shown);
  const st = statOrUndefined(target);
  if (st && !st.isDirectory()) die(`exists and is ${st.isFile() ? 'a file' : fileKind(st)}, not a folder; not overwriting it`, shown);
  const entries = st ? readdirSync(target) : [];
  const marked = st ? markedFiles(target) : undefined;
  const ours = new Set([...(marked ?? []), ...(marked ? [OUTPUT_MARKER] : [])]);
  const foreign = entries.filter((e) => !ours.has(e)).sort();
  if (foreign.length && !options.force) {
    die(`holds ${foreign.length} file(s) quantsim did not write (e.g. "${foreign[0]}"); not replacing them: give a new or empty folder, or --force to add quantsim's files beside them`, shown);
  }
  return { target, exists: st !== undefined, marked: marked ?? [], foreign };
}

/** Write `files` (name → content, flat) as the folder `dir`. Returns the folder written. */
export function writeOutputFolder(dir: string, files: ReadonlyMap<string, Content>, options: FolderOutputOptions = {}): string {
  for (const name of files.keys()) if (name.includes('/') || name === OUTPUT_MARKER) throw new Error(`bad output file name ${name}`);
  const { target, exists, marked, foreign } = checkOutputFolder(dir, options);
  // The working directory (or a folder holding it) cannot be swapped: write in place.
  const holdsCwd = under(realPath(process.cwd()), realPath(target));
  try {
    if (!exists || (!foreign.length && !holdsCwd)) swapIn(target, files, marked);
    else inPlace(target, files, marked);
  } catch (e) {
    if (isUserError(e)) throw e;
    die(`cannot write output folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath(dir));
  }
  return target;
}

/** Build the folder beside `target`, then rename it into place; the old one's listed files are deleted. */
function swapIn(target: string, files: ReadonlyMap<string, Content>, oldFiles: readonly string[]): void {
  const parent = dirname(target);
  const tmp = join(parent, `.${basename(target)}.${process.pid}.tmp`);
  const old = join(parent, `.${basename(target)}.${process.pid}.old`);
  mkdirSync(parent, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const [name, content] of files) writeFileSync(join(tmp, name), bytesOf(content));
    writeFileSync(join(tmp, OUTPUT_MARKER), markerText([...files.keys()]));
    if (existsSync(target)) {
      renameSync(target, old);
      renameSync(tmp, target);
      for (const f of [...oldFiles, OUTPUT_MARKER]) rmSync(join(old, f), { force: true });
      // Only what quantsim wrote was in it (checked above); anything that appeared since stays.
      try {
        rmdirSync(old);
      } catch {
        process.stderr.write(`quantsim: left ${displayPath(old)}: files appeared in ${displayPath(target)} while it was written\n`);
      }
    } else renameSync(tmp, target);
  } catch (e) {
    for (const name of [...files.keys(), OUTPUT_MARKER]) rmSync(join(tmp, name), { force: true });
    try {
      rmdirSync(tmp);
    } catch {
      // not empty: leave it rather than delete what is not ours
    }
    throw e;
  }
}

/** Write each file atomically into the existing folder; delete only stale files quantsim listed. */
function inPlace(target: string, files: ReadonlyMap<string, Content>, oldFiles: readonly string[]): void {
  for (const [name, content] of files) writeFileAtomic(join(target, name), bytesOf(content));
  for (const f of oldFiles) if (!files.has(f)) rmSync(join(target, f), { force: true });
  writeFileAtomic(join(target, OUTPUT_MARKER), markerText([...files.keys()]));
}
