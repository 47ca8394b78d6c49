// The layout is the architecture: the engine (sim/) names no scheme and no array, and its modules
// import each other without cycles (importers and networks depend on the workload types, never
// the other way round). Type-only imports are erased at run time and do not count.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Run-time imports of a file (static, re-exports and dynamic), as repository paths. */
export function runtimeImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  const patterns = [/^\s*import\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm, /^\s*export\s+(?!type\b)[^'"]*?\s+from\s+['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) out.push(relative(root, resolve(dirname(join(root, file)), spec)));
    }
  }
  return out;
}

/** One import cycle among `files`, as a path list, or undefined. */
function findCycle(files: string[]): string[] | undefined {
  const inSet = new Set(files);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of runtimeImports(f).filter((x) => inSet.has(x))) {
      if (state.get(g) === 'open') return [...stack.slice(stack.indexOf(g)), g];
      if (!state.has(g)) {
        const c = visit(g);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of files.sort()) {
    if (!state.has(f)) {
      const c = visit(f);
      if (c) return c;
    }
  }
  return undefined;
}

test('sim/ has no import cycle', () => {
  const cycle = findCycle(sources('sim'));
  assert.is(cycle, undefined, cycle?.join(' → '));
});

test('scripts/ and models/ have no import cycle (scripts/validate.ts → validate-dnateq.ts, never back)', () => {
  for (const dir of ['scripts', 'models']) {
    const cycle = findCycle(sources(dir));
    assert.is(cycle, undefined, cycle?.join(' → '));
  }
});

test('the cycle finder finds a cycle (it can fail)', () => {
  assert.ok(findCycle(['test/fixtures/import-cycle/a.ts', 'test/fixtures/import-cycle/b.ts']));
});

test('sim/ imports nothing under models/systolic/ (the registry names the array)', () => {
  const offenders: string[] = [];
  for (const f of sources('sim')) {
    for (const g of runtimeImports(f)) {
      if (g.startsWith('models/systolic/')) offenders.push(`${f} → ${g}`);
    }
    const text = readFileSync(join(root, f), 'utf8');
    if (/models\/systolic\//.test(text)) offenders.push(`${f} names models/systolic/`);
  }
  assert.equal(offenders, []);
});

test.run();
