/** One line of the validation table: a published figure next to quantsim's, never tuned toward it. */
export type Status = 'PASS' | 'FAIL' | 'INFO';

export interface ValidationRow {
  /** Group (scheme or topic). */
  topic: string;
  quantity: string;
  published: number | string;
  source: string;
  quantsim: number | string;
  /** quantsim − published, in the quantity's unit (or a ratio, as `toleranceKind` says). */
  difference: number | string;
  tolerance: string;
  status: Status;
  /** Why it differs, or what the figure rests on. */
  note?: string;
}

/** abs: |Δ| ≤ abs; rel: |Δ| ≤ rel·|published|; factor: published/factor ≤ value ≤ published·factor. */
export type ToleranceKind = { abs: number } | { rel: number } | { factor: number } | { exact: true };

/** Compare a number with a published figure under a tolerance. */
export function compare(
  topic: string,
  quantity: string,
  published: number,
  quantsim: number,
  tol: ToleranceKind,
  source: string,
  note?: string,
): ValidationRow {
  const diff = quantsim - published;
  let ok: boolean;
  let tolerance: string;
  if ('exact' in tol) {
    ok = Math.abs(diff) <= 1e-9 * Math.max(1, Math.abs(published));
    tolerance = 'exact';
  } else if ('factor' in tol) {
    ok = quantsim >= published / tol.factor && quantsim <= published * tol.factor;
    tolerance = `×/÷${tol.factor}`;
  } else if ('abs' in tol) {
    ok = Math.abs(diff) <= tol.abs;
    tolerance = `±${tol.abs}`;
  } else {
    ok = Math.abs(diff) <= tol.rel * Math.abs(published);
    tolerance = `±${Math.round(tol.rel * 100)}%`;
  }
  return { topic, quantity, published, source, quantsim: round(quantsim), difference: round(diff), tolerance, status: ok ? 'PASS' : 'FAIL', ...(note ? { note } : {}) };
}

/** Four significant digits for measured figures; counts (integers) stay exact. */
export function round(x: number): number {
  if (Number.isInteger(x)) return x;
  return Number(x.toPrecision(4));
}

/** A row with no published figure to compare against: the value, where it stands, and why. */
export function infoRow(topic: string, quantity: string, value: number, source: string, note: string): ValidationRow {
  return { topic, quantity, published: '-', source, quantsim: round(value), difference: '-', tolerance: 'n/a', status: 'INFO', note };
}
