/**
 * The JSON Schema validators of configs/schema/, compiled by ajv once and kept as ajv "standalone"
 * code in the disk cache (`.cache/schemas/<hash>.cjs`, keyed by ajv's version and every schema's
 * bytes): a later process requires that module instead of loading ajv and compiling (≈0.1 s of
 * every CLI start). `QUANTSIM_CACHE=off` compiles every time.
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

/** The validator of `configs/schema/<name>.schema.json`, or undefined when there is no such schema. */
export function schemaValidator(name: string): ValidateFunction | undefined {
  if (!validators) {
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort();
    const texts = files.map((f) => readFileSync(join(SCHEMA_DIR, f), 'utf8'));
    const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
    const key = createHash('sha256').update(JSON.stringify([ajvVersion, files, texts])).digest('hex');
    const file = join(process.env.QUANTSIM_CACHE_DIR ?? join(ROOT, '.cache'), 'schemas', `${key}.cjs`);
    if (cacheOn() && existsSync(file)) {
      try {
        validators = require(file) as Record<string, ValidateFunction>;
      } catch {
        // A damaged entry: compile again below and overwrite it.
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
