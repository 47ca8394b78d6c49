/**
 * SCALE-Sim topology CSV → quantsim network (SCALE-Sim v2, scalesim/topology_utils.py).
 *
 * Convolution files: `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
 * Channels, Num Filter, Strides` (one stride for both axes). GEMM files: `Layer, M, N, K`.
 * Tolerated, as in the published topologies/: spaces and tabs around cells and in the header,
 * trailing commas, extra columns after the eighth (ignored), blank and all-empty lines, `#`
 * comments to the end of a line, a last line without newline, CRLF or CR line ends, a UTF-8 BOM.
 *
 * Conventions (docs/formats.md, "Shipped networks and importers"):
 * - SCALE-Sim has no padding: the output is P = ceil((H − R + stride) / stride), exactly as
 *   SCALE-Sim computes it. When (H − R) is not a multiple of the stride the last window overhangs
 *   the input; quantsim then records the input rows the windows read, (P − 1)·stride + R.
 * - A 1×1 filter over a 1×1 input is an `fc` layer; everything else is a `conv`. Rows written as
 *   single-channel convolutions (SCALE-Sim's `#dw` MobileNet rows) stay as written.
 * - A GEMM row computes an M×K by K×N product: an `fc` with P = M rows, C = K, M = N (the K×N
 *   operand is the one SCALE-Sim maps as the filter operand).
 * - SCALE-Sim carries no bias and no activation: `bias` and `relu` are false.
 */
import { die, excerpt } from '../errors.ts';
import { splitCsvLine } from './csv.ts';
import { displayPath } from '../config.ts';
import type { LayerSpec, Network } from '../layers.ts';
import { buildImported, nameFromFile, readInput } from './common.ts';

const CONV_COLUMNS = ['Layer name', 'IFMAP Height', 'IFMAP Width', 'Filter Height', 'Filter Width', 'Channels', 'Num Filter', 'Strides'] as const;
const GEMM_COLUMNS = ['Layer', 'M', 'N', 'K'] as const;

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');

interface Row {
  line: number;
  cells: string[];
}

/** Non-empty rows with their 1-based line numbers; comments stripped, cells trimmed, quotes honoured. */
function rows(text: string): Row[] {
  const out: Row[] = [];
  // Lone CR too: spreadsheets still write old-Mac line ends (Excel's "CSV (Macintosh)").
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const cells = splitCsvLine(raw);
    if (cells.some((c) => c !== '')) out.push({ line: i + 1, cells });
  });
  return out;
}

export function importScaleSim(path: string): Network {
  const file = displayPath(path);
  const text = readInput(path);
  const [header, ...body] = rows(text);
  if (!header) return die('empty topology: expected a header line and at least one layer', file);
  const given = header.cells.map(norm);
  const isGemm = given.length >= 4 && GEMM_COLUMNS.every((c, i) => norm(c) === given[i]);
  const columns: readonly string[] = isGemm ? GEMM_COLUMNS : CONV_COLUMNS;
  if (!isGemm && !CONV_COLUMNS.every((c, i) => norm(c) === given[i])) {
    die(`expected the SCALE-Sim header "${CONV_COLUMNS.join(', ')}" (or "${GEMM_COLUMNS.join(', ')}"), got ${excerpt(header.cells.filter((c) => c).join(', '))}`, file, `line ${header.line}`);
  }
  if (body.length === 0) die('no layers after the header', file, `line ${header.line}`);

  const lineOf: number[] = [];
  const names = new Map<string, number>();
  const layers = body.map(({ line, cells }): LayerSpec => {
    const at = (col: number) => `line ${line}: ${columns[col]}`;
    const name = cells[0]!;
    if (name === '') die('must not be empty', file, at(0));
    const seen = names.get(name);
    if (seen !== undefined) die(`duplicate layer name ${excerpt(name)} (first on line ${seen})`, file, at(0));
    names.set(name, line);
    const int = (col: number): number => {
      const cell = cells[col];
      if (cell === undefined || cell === '') return die(`missing (${columns.length} columns expected)`, file, at(col));
      if (!/^\d+$/.test(cell) || Number(cell) < 1 || !Number.isSafeInteger(Number(cell))) return die(`must be an integer >= 1, got ${excerpt(cell)}`, file, at(col));
      return Number(cell);
    };
    lineOf.push(line);
    if (isGemm) return { name, kind: 'fc', P: int(1), M: int(2), C: int(3) };
    const [H, W, R, S, C, M, stride] = [int(1), int(2), int(3), int(4), int(5), int(6), int(7)];
    if (R > H) die(`${R} is larger than IFMAP Height ${H}`, file, at(3));
    if (S > W) die(`${S} is larger than IFMAP Width ${W}`, file, at(4));
    if (H === 1 && W === 1 && R === 1 && S === 1) return { name, kind: 'fc', C, M };
    // SCALE-Sim: ofmap = ceil((ifmap - filter + stride) / stride); no padding.
    const P = Math.ceil((H - R + stride) / stride);
    const Q = Math.ceil((W - S + stride) / stride);
    const exact = (H - R) % stride === 0 && (W - S) % stride === 0;
    return exact ? { name, kind: 'conv', C, M, H, W, R, S, stride } : { name, kind: 'conv', C, M, P, Q, R, S, stride };
  });
  const keyToColumn: Record<string, number> = isGemm ? { P: 1, M: 2, C: 3 } : { H: 1, P: 1, W: 2, Q: 2, R: 3, S: 4, C: 5, M: 6, groups: 5, stride: 7 };
  return buildImported(
    { name: nameFromFile(path), description: `Imported from SCALE-Sim topology ${file}`, source: file, bias: false, layers },
    file,
    (i, key) => `line ${lineOf[i]}${key && keyToColumn[key] !== undefined ? `: ${columns[keyToColumn[key]!]}` : ''}`,
  );
}
