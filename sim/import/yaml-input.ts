/** Reading a YAML input file with line numbers, for importers whose errors point at the user's lines. */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { die } from '../errors.ts';
import { displayPath } from '../config.ts';
import { readInput } from './common.ts';

let lib: typeof Yaml | undefined;
/** The yaml package, loaded on first use (≈ 20 ms): a run that reads no YAML file never loads it. */
function yaml(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}

export const isMap: typeof Yaml.isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
export const isScalar: typeof Yaml.isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq: typeof Yaml.isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;

export interface YamlInput {
  /** The file as users see it. */
  file: string;
  doc: Document;
  /** The line of a node's first character (1 for a node without a position). */
  lineOf(node: unknown): number;
  /** `line N` of a node, for error locations. */
  at(node: unknown): string;
  /**
   * An alias stands for its anchored node, which is looked up, never expanded: an alias bomb
   * ("billion laughs") stays a handful of nodes and is refused like any other misplaced value.
   */
  deref(node: unknown): unknown;
}

/** Parse `path` as YAML; a syntax error is one line naming the file and line. */
export function readYamlInput(path: string): YamlInput {
  const file = displayPath(path);
  const { LineCounter, parseDocument, isAlias } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(readInput(path), { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    die(`malformed YAML: ${err.message.split('\n')[0]}`, file, `line ${lines.linePos(err.pos[0]).line}`);
  }
  const lineOf = (node: unknown): number => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  return { file, doc, lineOf, at: (node) => `line ${lineOf(node)}`, deref: (node) => (isAlias(node) ? node.resolve(doc) : node) };
}

/** A scalar's value (number, string, boolean, null), or undefined for a mapping or sequence. */
export function scalarOf(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}
