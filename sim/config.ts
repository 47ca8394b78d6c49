/**
 * Configs: parse → validate against the JSON Schema → resolve `extends` → freeze.
 * Errors name the file and JSON path; inside the simulator, types are trusted.
 * Variants for sweeps are derived with immer `produce` from a validated base.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { produce, freeze, type Draft } from 'immer';
import { die, UserError } from './errors.ts';
import { noteInput } from './inputs.ts';
import { schemaValidator } from './schema-validators.ts';

import { CONFIG_DIR, displayPath } from './paths.ts';

export { ROOT, CONFIG_DIR, displayPath } from './paths.ts';

/** JSON.parse with a line:column position on syntax errors (Node's messages do not always carry one). */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const pos = jsonErrorOffset(text);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    const found = pos >= text.length ? 'end of file' : JSON.stringify(text[pos]);
    return die(`malformed JSON at line ${line} column ${col}: unexpected ${found}`, file);
  }
}

/** Offset of the first character at which `text` stops being valid JSON (a minimal recursive-descent scan). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const str = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') i++;
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

export function readJsonFile(file: string): unknown {
  let text: string;
  noteInput(file);
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return die(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath(file));
  }
  return parseJsonFile(text, displayPath(file));
}

/** Validate `data` against `configs/schema/<name>.schema.json`; throws a UserError naming file + path. */
export function validateAgainst(name: string, data: unknown, file: string): void {
  const v = schemaValidator(name);
  if (!v) throw new Error(`no schema configs/schema/${name}.schema.json`);
  if (!v(data)) throw new UserError(formatSchemaError(v.errors![0]!), file, v.errors![0]!.instancePath || '/');
}

function describeNumber(schema: Record<string, unknown>): string {
  const type = schema.type === 'integer' ? 'integer' : 'a number';
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? `>${String(schema.exclusiveMinimum)}` : undefined);
  const max = schema.maximum;
  if (typeof min === 'number' && typeof max === 'number') return `must be ${type} in ${min}..${max}`;
  if (typeof min === 'number') return `must be ${type} >= ${min}`;
  if (typeof min === 'string') return `must be ${type} ${min.replace('>', '> ')}`;
  if (typeof max === 'number') return `must be ${type} <= ${max}`;
  return `must be ${type}`;
}

function formatSchemaError(e: ErrorObject): string {
  const got = e.data === undefined ? '' : `, got ${JSON.stringify(e.data)?.slice(0, 60)}`;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (parent.type === 'integer' || parent.type === 'number') return `${describeNumber(parent)}${got}`;
      return `${e.message ?? 'invalid'}${got}`;
    default:
      return `${e.message ?? 'invalid'}${got}`;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(x: unknown): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep merge for `extends`: objects merge key by key, everything else (arrays too) is replaced. */
export function mergeConfig(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeConfig(base[k]!, v) : v;
  return out;
}

/** Read a JSON config, following `extends` (relative to the file), without validating it. */
function readWithExtends(file: string, seen: string[] = []): Record<string, Json> {
  const abs = resolve(file);
  if (seen.includes(abs)) die(`"extends" cycle: ${[...seen, abs].map(displayPath).join(' → ')}`, displayPath(file), '/extends');
  const data = readJsonFile(abs);
  if (!isObject(data)) return die('must be a JSON object', displayPath(file), '/');
  const ext = data.extends;
  if (ext === undefined) return data;
  if (typeof ext !== 'string') return die('must be a string (path of the config to extend)', displayPath(file), '/extends');
  const basePath = resolve(dirname(abs), ext);
  if (!existsSync(basePath)) die(`extends ${displayPath(basePath)}, which does not exist`, displayPath(file), '/extends');
  const base = readWithExtends(basePath, [...seen, abs]);
  const { extends: _ignored, ...rest } = data;
  const merged = mergeConfig(base, rest) as Record<string, Json>;
  delete merged.extends;
  return merged;
}

/** Load a config of schema `name`, following `extends`, validated and deeply frozen. */
export function loadConfig<T>(file: string, name: string): T {
  const data = readWithExtends(file);
  validateAgainst(name, data, displayPath(file));
  return freeze(data, true) as T;
}

/** Derive an immutable variant of a validated config (sweeps). */
export function variant<T>(base: T, recipe: (draft: Draft<T>) => void): T {
  return produce(base, recipe);
}

/** Set the value at a JSON pointer (`/array/rows`) in an immutable variant. */
export function withValueAt<T>(base: T, pointer: string, value: unknown): T {
  return withValuesAt(base, [[pointer, value]]);
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Set several JSON pointers at once: one immer `produce` for a whole sweep point. */
export function withValuesAt<T>(base: T, entries: readonly (readonly [string, unknown])[]): T {
  const parsed = entries.map(([pointer, value]) => {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (keys.length === 0 || keys.some((k) => k === '')) die(`bad JSON pointer "${pointer}"`);
    // A sweep axis must not reach Object.prototype through the draft (prototype pollution).
    if (keys.some((k) => FORBIDDEN_KEYS.has(k))) die(`JSON pointer "${pointer}" may not use __proto__, constructor or prototype`);
    return { keys, value };
  });
  return produce(base, (draft) => {
    for (const { keys, value } of parsed) {
      let node = draft as Record<string, unknown>;
      for (const k of keys.slice(0, -1)) {
        if (!Object.hasOwn(node, k) || !isObject(node[k])) node[k] = {};
        node = node[k] as Record<string, unknown>;
      }
      node[keys[keys.length - 1]!] = value;
    }
  });
}

/** Resolve a config by name (`eyeriss-int8` → configs/arch/eyeriss-int8.json) or by path. */
export function resolveConfigRef(ref: string, kind: 'arch' | 'networks' | 'costs'): string {
  if (ref.endsWith('.json') || ref.includes('/') || ref.includes('\\')) return ref;
  const p = join(CONFIG_DIR, kind, `${ref}.json`);
  const names = (() => {
    try {
      return readdirSync(join(CONFIG_DIR, kind)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    } catch {
      return [];
    }
  })();
  if (!names.includes(ref)) die(`unknown ${kind === 'networks' ? 'network' : kind === 'arch' ? 'arch config' : 'cost table'} "${ref}" (known: ${names.join(', ')})`);
  return p;
}
