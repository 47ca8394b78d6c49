/** The validation table as text (shared by `npm run validate` and the per-scheme validation scripts). */
import { textTable } from '../../sim/report.ts';
import type { ValidationRow } from './row.ts';

export function formatValidation(rows: ValidationRow[]): string {
  const body = rows.map((r) => [r.topic, r.quantity, String(r.published), String(r.quantsim), String(r.difference), r.tolerance, r.status, r.source]);
  const counts = (s: string) => rows.filter((r) => r.status === s).length;
  return `${textTable(['topic', 'quantity', 'published', 'quantsim', 'difference', 'tolerance', 'status', 'source'], body)}\n\n${counts('PASS')} PASS, ${counts('FAIL')} FAIL, ${counts('INFO')} INFO\n`;
}
