/** What the workload importers share: building the network and pointing errors at file lines. */
import { basename, extname } from 'node:path';
import { readFileSync } from 'node:fs';
import { die, isUserError } from '../errors.ts';
import { displayPath } from '../config.ts';
import { noteInput } from '../inputs.ts';
import { makeNetwork, type Network, type NetworkSpec } from '../layers.ts';

/**
 * Read an importer's input file without a leading UTF-8 BOM (spreadsheets save CSV with one); a
 * missing or unreadable file is a user error naming it.
 */
export function readInput(file: string): string {
  let text: string;
  noteInput(file);
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return die(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath(file));
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The network name an imported file gets: its base name without the extension. */
export function nameFromFile(file: string): string {
  return basename(file, extname(file));
}

/**
 * Build the network; shape errors that makeNetwork reports at `/layers/i/key` are re-reported at
 * the input file's line (`where(i, key)`, e.g. `line 4: Filter Height`), since users never see the
 * JSON the importer made.
 */
export function buildImported(spec: NetworkSpec, file: string, where: (layer: number, key: string | undefined) => string): Network {
  try {
    return makeNetwork(spec, file);
  } catch (e) {
    if (!isUserError(e)) throw e;
    const m = /^\/layers\/(\d+)(?:\/(\w+))?$/.exec(e.jsonPath ?? '');
    if (!m) throw e;
    const prefix = `${[e.file, e.jsonPath].filter((s) => s).join(': ')}: `;
    return die(e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message, file, where(Number(m[1]), m[2]));
  }
}
