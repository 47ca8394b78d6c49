/**
 * Plots as vega-lite specs, rendered to SVG in Node by vega's headless View (no browser, no
 * canvas: text widths are estimated). Each builder takes plain rows, so users can feed the specs
 * to their own vega tooling; `renderSvg` turns any of them into an SVG string.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';

const WIDTH = 560;
const HEIGHT = 300;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * One colour per part in every report (Tableau 10 in a fixed order): DRAM is the same red in a
 * compare report, a sweep report and a sensitivity plot. Parts not listed take the grey.
 */
export const PART_COLORS: Readonly<Record<string, string>> = {
  dram: '#e15759',
  glb: '#4e79a7',
  noc: '#f28e2b',
  array: '#59a14f',
  unit: '#76b7b2',
  requantizer: '#edc948',
  predictor: '#b07aa1',
  detector: '#b07aa1',
  sensitivity: '#b07aa1',
  sram: '#9c755f',
  ifmap_sram: '#9c755f',
  filter_sram: '#ff9da7',
  ofmap_sram: '#86bcb6',
};
const OTHER_COLOR = '#bab0ac';

function partScale(parts: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(parts)].sort((a, b) => {
    const ka = Object.keys(PART_COLORS).indexOf(a);
    const kb = Object.keys(PART_COLORS).indexOf(b);
    return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb) || (a < b ? -1 : 1);
  });
  return { domain, range: domain.map((p) => PART_COLORS[p] ?? OTHER_COLOR) };
}

/** Legends and axis labels are never cut (vega's default cuts them at 160 px). */
const WHOLE_LABELS = { labelLimit: 0 } as const;

/** Energy per part (dram, glb, noc, array, …) stacked, one bar per scheme. */
export function energyBreakdownSpec(rows: readonly { scheme: string; part: string; energyPj: number }[], title = 'Energy by part'): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows.map((r) => ({ scheme: r.scheme, part: r.part, energyUj: r.energyPj / 1e6 })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'scheme', type: 'nominal', sort: null, title: null, axis: { labelAngle: -20, ...WHOLE_LABELS } },
      y: { field: 'energyUj', type: 'quantitative', stack: 'zero', title: 'energy (µJ)' },
      color: { field: 'part', type: 'nominal', title: 'part', scale: partScale(rows.map((r) => r.part)), legend: WHOLE_LABELS },
    },
  };
}

/** Bits per layer and tensor, one row of cells per scheme × tensor. */
export function precisionMapSpec(rows: readonly { scheme: string; layer: string; tensor: 'weights' | 'activations'; bits: number }[], title = 'Precision per layer (bits)'): TopLevelSpec {
  const layers = [...new Set(rows.map((r) => r.layer))];
  const data = rows.map((r) => ({ ...r, row: `${r.scheme} · ${r.tensor}` }));
  return {
    title,
    width: { step: 34 },
    height: { step: 24 },
    // Fractional widths (DRQ's mix of 4 and 8 bits) print with one decimal; the cells are wide enough for "12.3".
    data: { values: data.map((d) => ({ ...d, label: Number.isInteger(d.bits) ? String(d.bits) : d.bits.toFixed(1) })) },
    encoding: {
      x: { field: 'layer', type: 'ordinal', sort: layers, title: 'layer', axis: { labelAngle: -30, ...WHOLE_LABELS } },
      y: { field: 'row', type: 'nominal', sort: null, title: null, axis: WHOLE_LABELS },
    },
    layer: [
      { mark: { type: 'rect', tooltip: true }, encoding: { color: { field: 'bits', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'bits' } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label', type: 'nominal' }, color: { value: 'white' } } },
    ],
  };
}

/** Sweep scatter of two metrics, colored by arch, with the Pareto front drawn on top. */
export function paretoScatterSpec(
  points: readonly { x: number; y: number; arch: string; front: boolean; label?: string; [axis: string]: unknown }[],
  xTitle: string,
  yTitle: string,
  title = 'Design space and Pareto front',
  colorBy = 'arch',
): TopLevelSpec {
  const frontRows = points.filter((p) => p.front).sort((a, b) => a.x - b.x);
  const numeric = points.every((p) => typeof p[colorBy] === 'number');
  return {
    title,
    width: WIDTH,
    height: HEIGHT + 60,
    layer: [
      {
        data: { values: points.filter((p) => !p.front) },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.6, tooltip: { content: 'data' } },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false }, axis: { format: '~s' } },
          y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false }, axis: { format: '~s' } },
          color: numeric
            ? { field: colorBy, type: 'quantitative', title: colorBy, scale: { scheme: 'viridis' } }
            : { field: colorBy, type: 'nominal', title: colorBy, legend: { ...WHOLE_LABELS, orient: 'bottom', columns: 2 } },
        },
      },
      {
        data: { values: frontRows },
        mark: { type: 'line', color: '#d62728', strokeWidth: 2, interpolate: 'step-after' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: frontRows },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 70, color: '#d62728', tooltip: { content: 'data' } },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  };
}

/** Energy against bitwidth, one curve per scheme (and per operand when rows name one: weights solid, activations dashed). */
export function energyVsBitsSpec(rows: readonly { scheme: string; bits: number; energyPj: number; operand?: string }[], bitsTitle = 'bits', title = 'Energy vs bitwidth'): TopLevelSpec {
  const perOperand = rows.some((r) => r.operand !== undefined);
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows.map((r) => ({ scheme: r.scheme, bits: r.bits, energyUj: r.energyPj / 1e6, ...(perOperand ? { operand: r.operand ?? 'both' } : {}) })) },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'bits', type: 'quantitative', title: bitsTitle, scale: { zero: false } },
      y: { field: 'energyUj', type: 'quantitative', title: 'energy (µJ)' },
      color: { field: 'scheme', type: 'nominal', title: 'scheme', legend: WHOLE_LABELS },
      ...(perOperand ? { strokeDash: { field: 'operand', type: 'nominal', title: 'operand varied', scale: { domain: ['weights', 'activations', 'both'], range: [[1, 0], [5, 4], [2, 2]] }, legend: { ...WHOLE_LABELS, symbolType: 'stroke' } } } : {}),
      ...(perOperand ? { detail: { field: 'operand', type: 'nominal' } } : {}),
    },
  };
}

/** Tornado: per cost class, the relative move of a result with the class's energy ÷ and × a factor. */
export function tornadoSpec(rows: readonly { class: string; side: string; change: number }[], what: string, title = 'Sensitivity to each cost class'): TopLevelSpec {
  const order = [...new Set(rows.map((r) => r.class))];
  return {
    title,
    width: WIDTH,
    height: { step: 22 },
    data: { values: rows.map((r) => ({ ...r, changePct: 100 * r.change })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'class', type: 'nominal', sort: order, title: null },
      x: { field: 'changePct', type: 'quantitative', title: `change of ${what} (%)` },
      color: { field: 'side', type: 'nominal', title: 'class energy' },
    },
  };
}
