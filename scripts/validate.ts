/**
 * `npm run validate` / `quantsim validate`: every published figure quantsim can speak to, from
 * the default cost tables and traces (never tuned toward the answer), as a table and
 * validation.json. A FAIL is reported, not hidden, and does not fail `npm test`.
 */
import { writeFileAtomic } from '../sim/output.ts';
import type { ValidationRow } from './validation/row.ts';
import { formatValidation } from './validation/format.ts';
import { horowitzRows } from './validation/horowitz.ts';
import { memoryRows } from './validation/memories.ts';
import { eyerissHierarchyRows } from './validation/eyeriss-hierarchy.ts';
import { dnateqRealTraceRows, dnateqValidationRows } from './validate-dnateq.ts';

export { formatValidation };
import { gengRows, lightnnRows } from './validation/fixedpoint.ts';
import { realCnnRows } from './validation/real-cnn.ts';
import { synthesisRows } from './validation/synthesis.ts';
import { precisionMonotonicityRows } from './validation/precision-monotonicity.ts';

/** Each check returns its rows; a check that throws is reported as a FAIL row, not a crash. */
export const CHECKS: Record<string, () => ValidationRow[] | Promise<ValidationRow[]>> = {
  costs: () => horowitzRows(),
  memories: () => memoryRows(),
  eyeriss: () => eyerissHierarchyRows(),
  geng: () => gengRows(),
  synthesis: () => synthesisRows(),
  lightnn: () => lightnnRows(),
  dnateq: () => dnateqValidationRows(),
  'dnateq-real': () => dnateqRealTraceRows(),
  'real-cnn': () => realCnnRows(),
  precision: () => precisionMonotonicityRows(),
};

export async function runValidation(only?: string[]): Promise<ValidationRow[]> {
  const rows: ValidationRow[] = [];
  for (const [name, check] of Object.entries(CHECKS)) {
    if (only && !only.includes(name)) continue;
    try {
      rows.push(...(await check()));
    } catch (e) {
      rows.push({ topic: name, quantity: 'check ran', published: '-', source: '-', quantsim: 'error', difference: '-', tolerance: '-', status: 'FAIL', note: (e as Error).message });
    }
  }
  return rows;
}

export async function main(out = 'validation.json', only?: string[]): Promise<void> {
  const rows = await runValidation(only);
  process.stdout.write(formatValidation(rows));
  const notes = rows.filter((r) => r.note && r.status !== 'PASS');
  for (const r of notes) process.stdout.write(`- ${r.topic} / ${r.quantity}: ${r.note}\n`);
  writeFileAtomic(out, `${JSON.stringify({ rows }, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
