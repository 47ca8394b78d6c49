/**
 * INI files as Python's configparser reads them (SCALE-Sim configs): `[section]` headers,
 * `key = value` or `key : value` lines, `#` and `;` comment lines, blank lines; keys are
 * case-insensitive (kept as written for messages); values trimmed. Duplicate sections or keys and
 * lines outside a section are errors naming the line, as configparser's strict mode makes them.
 */
import { die } from '../errors.ts';

export interface IniEntry {
  /** The key as written. */
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  readonly line: number;
  /** Entries by lower-cased key. */
  readonly entries: ReadonlyMap<string, IniEntry>;
}

/** Sections by lower-cased name. */
export function parseIni(text: string, file: string): ReadonlyMap<string, IniSection> {
  const sections = new Map<string, IniSection & { entries: Map<string, IniEntry> }>();
  let current: (IniSection & { entries: Map<string, IniEntry> }) | undefined;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#') || s.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(s);
    if (header) {
      const name = header[1]!.trim();
      if (sections.has(name.toLowerCase())) die(`section [${name}] appears twice`, file, `line ${line}`);
      current = { name, line, entries: new Map() };
      sections.set(name.toLowerCase(), current);
      return;
    }
    const sep = s.search(/[=:]/);
    if (sep <= 0) die(`expected "[section]" or "key = value", got ${JSON.stringify(s.slice(0, 40))}`, file, `line ${line}`);
    if (!current) die('a key before any [section]', file, `line ${line}`);
    const key = s.slice(0, sep).trim();
    if (current.entries.has(key.toLowerCase())) die(`key "${key}" appears twice in [${current.name}]`, file, `line ${line}`);
    current.entries.set(key.toLowerCase(), { key, value: s.slice(sep + 1).trim(), line });
  });
  return sections;
}
