/**
 * The JSON Schema validators of configs/schema/, compiled by ajv once and kept as ajv "standalone"
 * code in the disk cache (`.cache/schemas/<hash>.cjs`, keyed by ajv's version and every schema's
 * bytes): a later process requires that module instead of loading ajv and compiling (≈0.1 s of
 * every CLI start). `QUANTSIM_CACHE=off` compiles every time — except in the build: `npm run build`
 * writes the same module to `dist/schemas/<hash>.cjs`, and the built code (dist/) requires it when
 * the schemas are still those it was built from, whatever the cache setting (≈ 0.2 s of a cold run).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { CONFIG_DIR, ROOT } from './paths.ts';
import { writeFileAtomic } from './output.ts';

const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(CONFIG_DIR, 'schema');
let validators: Record<string, ValidateFunction> | undefined;

function cacheOn(): boolean {
  return process.env.QUANTSIM_CACHE !== 'off';
}

function compileAll(files: string[], texts: string[]): { ajv: Ajv; source: () => string } {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ allErrors: false, strict: true, verbose: true, allowUnionTypes: true, code: { source: true } });
  files.forEach((f, i) => ajv.addSchema(JSON.parse(texts[i]!) as object, f));
  const source = () => {
    const standalone = (require('ajv/dist/standalone') as { default: (a: Ajv, refs: Record<string, string>) => string }).default;
    // The runtime helpers it requires, by absolute path: the cached module may live outside the project.
    return standalone(ajv, Object.fromEntries(files.map((f) => [f, f]))).replace(/require\("(ajv\/[^"]+)"\)/g, (_m, id: string) => `require(${JSON.stringify(require.resolve(id))})`);
  };
  return { ajv, source };
}

/** The schema files, their texts and the key of their compiled module (ajv's version and every schema's bytes). */
function schemaSources(): { files: string[]; texts: string[]; key: string } {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort();
  const texts = files.map((f) => readFileSync(join(SCHEMA_DIR, f), 'utf8'));
  const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  return { files, texts, key: createHash('sha256').update(JSON.stringify([ajvVersion, files, texts])).digest('hex') };
}

/** `npm run build`: the compiled validators as `<dir>/<key>.cjs` (read by the built code, see the module comment). */
export function writeBuiltValidators(dir: string): string {
  const { files, texts, key } = schemaSources();
  const file = join(dir, `${key}.cjs`);
  writeFileAtomic(file, compileAll(files, texts).source());
  return file;
}

/** The validator of `configs/schema/<name>.schema.json`, or undefined when there is no such schema. */
export function schemaValidator(name: string): ValidateFunction | undefined {
  if (!validators) {
    const { files, texts, key } = schemaSources();
    const file = join(process.env.QUANTSIM_CACHE_DIR ?? join(ROOT, '.cache'), 'schemas', `${key}.cjs`);
    const built = import.meta.url.includes('/dist/') ? join(ROOT, 'dist', 'schemas', `${key}.cjs`) : undefined;
    for (const f of [built, cacheOn() ? file : undefined]) {
      if (validators || f === undefined || !existsSync(f)) continue;
      try {
        validators = require(f) as Record<string, ValidateFunction>;
      } catch {
        // A damaged entry: compile again below (and overwrite the cached one).
      }
    }
    if (!validators) {
      const { ajv, source } = compileAll(files, texts);
      validators = Object.fromEntries(files.map((f) => [f, ajv.getSchema(f)!]));
      if (cacheOn()) {
        try {
          writeFileAtomic(file, source());
        } catch {
          // A read-only disk costs the next process the compilation, nothing else.
        }
      }
    }
  }
  return validators[`${name}.schema.json`];
}
