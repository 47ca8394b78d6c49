/**
 * Metrics in engineering units for people: energies in pJ…J, cycles in k/M/G, areas in µm² or
 * mm², times in µs…s — one unit per column or axis, chosen from the largest value shown.
 */
const SCALES: Record<string, readonly (readonly [number, string])[]> = {
  energyPj: [[1, 'pJ'], [1e3, 'nJ'], [1e6, 'µJ'], [1e9, 'mJ'], [1e12, 'J']],
  dynamicEnergyPj: [[1, 'pJ'], [1e3, 'nJ'], [1e6, 'µJ'], [1e9, 'mJ'], [1e12, 'J']],
  leakageEnergyPj: [[1, 'pJ'], [1e3, 'nJ'], [1e6, 'µJ'], [1e9, 'mJ'], [1e12, 'J']],
  cycles: [[1, 'cycles'], [1e3, 'k cycles'], [1e6, 'M cycles'], [1e9, 'G cycles']],
  macs: [[1, 'MACs'], [1e3, 'k MACs'], [1e6, 'M MACs'], [1e9, 'G MACs']],
  areaUm2: [[1, 'µm²'], [1e6, 'mm²']],
  timeUs: [[1, 'µs'], [1e3, 'ms'], [1e6, 's']],
};

export interface EngineeringUnit {
  /** Divide values by this to show them in `unit`. */
  factor: number;
  unit: string;
}

/** The unit to show `values` of `metric` in (the metric's own name for metrics without one; dotted paths use their last part). */
export function engineeringUnit(metric: string, values: readonly number[]): EngineeringUnit {
  const base = metric.startsWith('energyByPartPj.') ? 'energyPj' : metric;
  const scales = SCALES[base];
  if (!scales) return { factor: 1, unit: '' };
  const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  let pick = scales[0]!;
  for (const s of scales) if (max >= s[0]) pick = s;
  return { factor: pick[0], unit: pick[1] };
}

/** "energyPj" → "energy (µJ)", "cycles" → "cycles (M)", other metrics as named. */
export function metricTitle(metric: string, u: EngineeringUnit): string {
  if (!u.unit) return metric;
  const what = metric.replace(/Pj$/, '').replace(/Um2$/, '').replace(/Us$/, '').replace(/^energyByPart\./, 'energy ');
  return `${what} (${u.unit})`;
}
