// The sources' fingerprint (path, size and mtime of every .ts/.mjs file the build compiles): the
// build records it, bin/quantsim.js compares it, so an edited checkout never runs a stale dist/.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIRS = ['sim', 'models', 'traces', 'scripts'];

export function sourceFingerprint(root) {
  const parts = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const s = statSync(join(root, rel));
        parts.push(`${rel}:${s.size}:${Math.floor(s.mtimeMs)}`);
      }
    }
  };
  for (const d of DIRS) walk(d);
  const idx = statSync(join(root, 'index.ts'));
  parts.push(`index.ts:${idx.size}:${Math.floor(idx.mtimeMs)}`);
  return parts.join('\n');
}
