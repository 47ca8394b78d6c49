/**
 * The last guard before a number is stored (docs/hardening.md): every number of a report is
 * finite, and counts, energies, areas and times are not negative. Schemas and the cost-table
 * loader bound the inputs that could overflow (clocks, bandwidths, energies, node factors, scale
 * axes); a combination they cannot see (a huge array times a huge energy) is caught here and
 * becomes a user error naming the config — in a sweep, an error line for that point.
 */
import { die } from './errors.ts';

/** Keys whose values are counts, energies, areas or times (≥ 0). */
const NON_NEGATIVE = /(cycles|macs|Um2|Us|Pj|Uw|accesses|bits|bytes|count)$/i;
/** Differences of large sums may land a rounding error below zero. */
const ROUNDING_PJ = 1e-6;

function firstBad(v: unknown, path: string, key: string): [string, number] | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return [path, v];
    if (v < -ROUNDING_PJ && NON_NEGATIVE.test(key)) return [path, v];
    return undefined;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const b = firstBad(v[i], `${path}/${i}`, key);
      if (b) return b;
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // A model's own diagnostics (a threshold of Infinity: "nothing is sensitive") are not results.
      if (k === 'details') continue;
      const b = firstBad(x, `${path}/${k}`, k);
      if (b) return b;
    }
  }
  return undefined;
}

/** `report`, unless one of its numbers is non-finite or a negative count: then a UserError naming `file`. */
export function checkedReport<T extends object>(file: string | undefined, report: T): T {
  const bad = firstBad(report, '', '');
  if (bad) {
    die(`the result ${bad[0]} would be ${bad[1]}: a config or cost value is outside the range the model can represent (clock, bandwidth, sizes, energies, scale factors)`, file);
  }
  return report;
}
