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

/** Energy per part (dram, glb, noc, array, …) stacked, one bar per scheme. */
export function energyBreakdownSpec(rows: readonly { scheme: string; part: string; energyPj: number }[], title = 'Energy by part'): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows.map((r) => ({ scheme: r.scheme, part: r.part, energyUj: r.energyPj / 1e6 })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'scheme', type: 'nominal', sort: null, title: null, axis: { labelAngle: -20 } },
      y: { field: 'energyUj', type: 'quantitative', stack: 'zero', title: 'energy (µJ)' },
      color: { field: 'part', type: 'nominal', title: 'part' },
    },
  };
}

/** Bits per layer and tensor, one row of cells per scheme × tensor. */
export function precisionMapSpec(rows: readonly { scheme: string; layer: string; tensor: 'weights' | 'activations'; bits: number }[], title = 'Precision per layer (bits)'): TopLevelSpec {
  const layers = [...new Set(rows.map((r) => r.layer))];
  const data = rows.map((r) => ({ ...r, row: `${r.scheme} · ${r.tensor}` }));
  return {
    title,
    width: Math.max(200, Math.min(900, layers.length * 48)),
    height: { step: 26 },
    data: { values: data },
    encoding: {
      x: { field: 'layer', type: 'ordinal', sort: layers, title: 'layer', axis: { labelAngle: -30 } },
      y: { field: 'row', type: 'nominal', sort: null, title: null },
    },
    layer: [
      { mark: { type: 'rect', tooltip: true }, encoding: { color: { field: 'bits', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'bits' } } },
      { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'bits', type: 'quantitative' }, color: { value: 'white' } } },
    ],
  };
}

/** Sweep scatter of two metrics, colored by arch, with the Pareto front drawn on top. */
export function paretoScatterSpec(
  points: readonly { x: number; y: number; arch: string; front: boolean; label?: string }[],
  xTitle: string,
  yTitle: string,
  title = 'Design space and Pareto front',
): TopLevelSpec {
  const frontRows = points.filter((p) => p.front).sort((a, b) => a.x - b.x);
  return {
    title,
    width: WIDTH,
    height: HEIGHT + 60,
    layer: [
      {
        data: { values: points.filter((p) => !p.front) },
        mark: { type: 'point', filled: true, size: 18, opacity: 0.35 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } },
          y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
          color: { field: 'arch', type: 'nominal', title: 'arch' },
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

/** Energy against bitwidth, one curve per scheme. */
export function energyVsBitsSpec(rows: readonly { scheme: string; bits: number; energyPj: number }[], bitsTitle = 'bits', title = 'Energy vs bitwidth'): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows.map((r) => ({ scheme: r.scheme, bits: r.bits, energyUj: r.energyPj / 1e6 })) },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'bits', type: 'quantitative', title: bitsTitle, scale: { zero: false } },
      y: { field: 'energyUj', type: 'quantitative', title: 'energy (µJ)' },
      color: { field: 'scheme', type: 'nominal', title: 'scheme' },
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
