/**
 * One self-contained HTML file (inline CSS and SVG, no scripts, no external resources) that opens
 * offline: tables and plots of a sweep's results, or of a comparison of schemes.
 */
import type { ArchConfig } from './arch.ts';
import { metric, pareto } from './pareto.ts';
import { energyBreakdownSpec, energyVsBitsSpec, paretoScatterSpec, precisionMapSpec, renderSvg } from './plots.ts';
import { fmt, type CompareRow, type Report } from './report.ts';
import type { ResultLine } from './sweep-eval.ts';
import { hardwareTableRows } from './hardware.ts';
import { engineeringUnit, metricTitle } from './engineering.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Section {
  heading: string;
  /** Trusted HTML (tables from htmlTable, SVG from renderSvg). */
  html: string;
  note?: string;
}

export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  const cell = (c: string | number | undefined) => (typeof c === 'number' ? `<td class="n">${esc(fmt(c, 4))}</td>` : `<td>${esc(c ?? '')}</td>`);
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The "synthetic data" badge: shown at the top of a report when any of its numbers rest on a synthetic trace. */
export const SYNTHETIC_BADGE = 'synthetic data';

export function htmlPage(title: string, subtitle: string, sections: readonly Section[], options: { badge?: string } = {}): string {
  const body = sections
    .map((s) => `<section><h2>${esc(s.heading)}</h2>${s.note ? `<p class="note">${esc(s.note)}</p>` : ''}<div class="fig">${s.html}</div></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1240px; color: #222; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
.sub, .note { color: #666; } table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { padding: 3px 9px; border-bottom: 1px solid #eee; text-align: left; } th { background: #f4f4f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } .fig { overflow-x: auto; }
.badge { display: inline-block; background: #b35900; color: #fff; border-radius: 4px; padding: 2px 8px; font-size: 13px; font-weight: 600; margin-left: 10px; vertical-align: middle; }
</style></head><body>
<h1>${esc(title)}${options.badge ? `<span class="badge" id="badge">${esc(options.badge)}</span>` : ''}</h1><p class="sub">${esc(subtitle)}</p>
${body}
</body></html>
`;
}

/** Numeric axes whose label names a bitwidth (weightBits, /datapath/activationBits, bits). */
function bitsAxes(lines: readonly ResultLine[]): string[] {
  const names = new Set(lines.flatMap((l) => Object.keys(l.values ?? {})));
  return [...names].filter((n) => /bits/i.test(n) && lines.some((l) => typeof l.values[n] === 'number'));
}

const label = (l: ResultLine) => (l.network ? `${l.arch} · ${l.network}` : l.arch);

/** The report of a sweep's results: Pareto scatter and table, energy by part, energy vs bitwidth. */
export async function sweepReportHtml(lines: readonly ResultLine[], o: { title?: string; x?: string; y?: string; colorBy?: string } = {}): Promise<string> {
  const x = o.x ?? 'energyPj';
  const y = o.y ?? 'cycles';
  const ok = lines.filter((l) => l.error === undefined && l.totals);
  const errors = lines.filter((l) => l.error !== undefined);
  const front = pareto(ok, [x, y]);
  const onFront = new Set(front.map((l) => l.key));
  const axes = [...new Set(ok.flatMap((l) => Object.keys(l.values ?? {})))];
  const archs = [...new Set(ok.map(label))];
  const sections: Section[] = [];
  sections.push({
    heading: 'Summary',
    html: htmlTable(
      ['', ''],
      [
        ['points', lines.length],
        ['infeasible (error lines)', errors.length],
        ['arch · network', archs.join(', ')],
        ['modes', [...new Set(lines.map((l) => l.mode))].join(', ')],
        ['axes', axes.join(', ') || '(none)'],
        ['Pareto front', `${front.length} points (min ${x}, min ${y})`],
      ],
    ),
  });
  if (ok.length) {
    const ux = engineeringUnit(x, ok.map((l) => metric(l, x)!));
    const uy = engineeringUnit(y, ok.map((l) => metric(l, y)!));
    const pts = ok.map((l) => ({ x: metric(l, x)! / ux.factor, y: metric(l, y)! / uy.factor, arch: label(l), front: onFront.has(l.key), key: l.key, ...l.values }));
    // Coloured by the chosen axis (default the first one with more than one value), else by design.
    const colorBy = o.colorBy ?? axes.find((a) => new Set(ok.map((l) => String(l.values[a]))).size > 1) ?? 'arch';
    sections.push({ heading: `${y} vs ${x}`, note: `Red diamonds: the Pareto front (both minimized). Colour: ${colorBy}.`, html: await renderSvg(paretoScatterSpec(pts, metricTitle(x, ux), metricTitle(y, uy), undefined, colorBy)) });
    sections.push({
      heading: 'Pareto front',
      note: front.length > 60 ? `First 60 of ${front.length}.` : undefined,
      html: htmlTable(
        ['arch', 'network', x, y, 'area mm²', ...axes, 'key'],
        front.slice(0, 60).map((l) => [l.arch, l.network, metric(l, x), metric(l, y), l.totals!.areaUm2 / 1e6, ...axes.map((a) => String(l.values[a] ?? '')), l.key]),
      ),
    });
    // The lowest-energy point of each arch · network, split by part.
    const best = new Map<string, ResultLine>();
    for (const l of ok) if (!best.has(label(l)) || l.totals!.energyPj < best.get(label(l))!.totals!.energyPj) best.set(label(l), l);
    const parts = [...best.values()].flatMap((l) => Object.entries(l.energyByPartPj ?? {}).map(([part, energyPj]) => ({ scheme: label(l), part, energyPj })));
    sections.push({ heading: 'Energy by part', note: "Each arch's lowest-energy point.", html: await renderSvg(energyBreakdownSpec(parts)) });
    for (const b of bitsAxes(ok)) {
      const minBy = new Map<string, { scheme: string; bits: number; energyPj: number }>();
      for (const l of ok) {
        const bits = l.values[b];
        if (typeof bits !== 'number') continue;
        const k = `${label(l)}\u0000${bits}`;
        const cur = minBy.get(k);
        if (!cur || l.totals!.energyPj < cur.energyPj) minBy.set(k, { scheme: label(l), bits, energyPj: l.totals!.energyPj });
      }
      const rows = [...minBy.values()].sort((p, q) => p.bits - q.bits);
      sections.push({ heading: `Energy vs ${b}`, note: 'Lowest energy at each value over the other axes.', html: await renderSvg(energyVsBitsSpec(rows, b)) });
    }
  }
  if (errors.length) {
    sections.push({ heading: 'Infeasible points', html: htmlTable(['arch', 'network', ...axes, 'error'], errors.slice(0, 30).map((l) => [l.arch, l.network, ...axes.map((a) => String(l.values[a] ?? '')), l.error])) });
  }
  const prov = [...new Set(lines.flatMap((l) => (l.provenance ? [provenanceText(l.provenance.trace, l.provenance.costs, l.provenance.quantsim)] : [])))];
  const synthetic = lines.some((l) => l.provenance?.trace.source === 'synthetic');
  return htmlPage(o.title ?? 'quantsim sweep report', `${lines.length} point${lines.length === 1 ? '' : 's'}${prov.length ? ` · ${prov.join(' | ')}` : ''}`, sections, synthetic ? { badge: SYNTHETIC_BADGE } : {});
}

export interface CompareHtmlInput {
  rows: readonly CompareRow[];
  baseline: string;
  /** Each scheme's arch config (for the datapath bits of layers that report none). */
  configs: ReadonlyMap<string, ArchConfig>;
  /** Energy of each scheme with its datapath set to each bitwidth (weights = activations). */
  bitsCurve?: readonly { scheme: string; bits: number; energyPj: number; operand?: 'weights' | 'activations' }[];
}

/** Bits of a layer: what the scheme reports in its details, else the arch's datapath. */
function layerBits(details: Record<string, unknown> | undefined, key: 'weightBits' | 'activationBits', fallback: number): number {
  const v = details?.[key];
  return typeof v === 'number' ? v : fallback;
}

/** The report of `quantsim compare`: totals, energy by part, precision per layer, energy vs bitwidth, energy per layer. */
export async function compareReportHtml(c: CompareHtmlInput): Promise<string> {
  const base = c.rows.find((r) => r.scheme === c.baseline)!.report.totals;
  const r0 = c.rows[0]!.report;
  const sections: Section[] = [];
  sections.push({
    heading: `Schemes on ${r0.network}`,
    note: `Ratios to ${c.baseline}. Mode ${r0.mode}, seed ${r0.seed}, trace ${r0.trace.source}, costs ${r0.costs.file}, DRAM ${[...new Set(c.rows.map((r) => r.report.dramTechnology))].join(' / ')}.`,
    html: htmlTable(
      ['scheme', 'cycles', 'energy µJ', 'leakage µJ', 'area mm²', 'pJ/MAC', 'speedup', 'energy ×', 'area ×', 'estimate %'],
      c.rows.map(({ scheme, report: { totals: t, estimateShare } }) => [scheme, t.cycles, t.energyPj / 1e6, t.leakageEnergyPj / 1e6, t.areaUm2 / 1e6, t.energyPj / Math.max(t.macs, 1), base.cycles / t.cycles, t.energyPj / base.energyPj, t.areaUm2 / base.areaUm2, 100 * estimateShare]),
    ),
  });
  // The schemes' own network-level lines (DNA-TEQ's operations view next to the system totals, DRQ's per-input spread).
  const summaries = c.rows.filter((r) => r.report.summary?.lines.length);
  if (summaries.length) {
    sections.push({ heading: 'Scheme views', note: 'What each scheme reports beside the system totals above.', html: summaries.map((r) => `<h3>${esc(r.scheme)}</h3><ul>${r.report.summary!.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`).join('') });
  }
  const hw = hardwareTableRows(c.rows.map((r) => ({ name: r.scheme, hardware: r.report.hardware })));
  sections.push({ heading: 'Hardware', note: 'What was simulated, as each design built it (the full list of blocks is in the JSON report, `hardware`).', html: htmlTable(hw.header, hw.rows) });
  const parts = c.rows.flatMap(({ scheme, report }) => Object.entries(report.energyByPartPj).map(([part, energyPj]) => ({ scheme, part, energyPj })));
  sections.push({ heading: 'Energy by part', html: await renderSvg(energyBreakdownSpec(parts)) });
  const bits = c.rows.flatMap(({ scheme, report }) => {
    const dp = c.configs.get(scheme)?.datapath;
    return report.layers
      .filter((l) => l.macs > 0)
      .flatMap((l) => [
        { scheme, layer: l.name, tensor: 'weights' as const, bits: layerBits(l.details, 'weightBits', dp?.weightBits ?? NaN) },
        { scheme, layer: l.name, tensor: 'activations' as const, bits: layerBits(l.details, 'activationBits', dp?.activationBits ?? NaN) },
      ])
      .filter((r) => Number.isFinite(r.bits));
  });
  if (bits.length) sections.push({ heading: 'Precision per layer', note: "Bits a scheme reports per layer, else its datapath's.", html: await renderSvg(precisionMapSpec(bits)) });
  if (c.bitsCurve?.length) {
    const perOperand = c.bitsCurve.some((r) => r.operand !== undefined);
    sections.push({
      heading: 'Energy vs bitwidth',
      note: perOperand ? "Each scheme with one operand's datapath width set to each value (the other as configured): weights solid, activations dashed." : 'Each scheme with its datapath weights and activations set to each width.',
      html: await renderSvg(energyVsBitsSpec(c.bitsCurve, perOperand ? 'datapath bits of the varied operand' : 'datapath bits (weights = activations)')),
    });
  }
  const layerNames = r0.layers.map((l) => l.name);
  sections.push({
    heading: 'Energy per layer (µJ)',
    html: htmlTable(
      ['layer', ...c.rows.map((r) => r.scheme)],
      layerNames.map((n) => [n, ...c.rows.map((r) => (r.report.layers.find((l) => l.name === n)?.energyPj ?? NaN) / 1e6)]),
    ),
  });
  const partNames = [...new Set(c.rows.flatMap((r) => Object.keys(r.report.energyByPartPj)))];
  sections.push({
    heading: 'Energy by part (µJ)',
    html: htmlTable(['scheme', ...partNames], c.rows.map((r) => [r.scheme, ...partNames.map((p) => (r.report.energyByPartPj[p] ?? 0) / 1e6)])),
  });
  const synthetic = c.rows.some((r) => r.report.trace.source === 'synthetic');
  return htmlPage(`quantsim: ${c.rows.map((r) => r.scheme).join(' vs ')} on ${r0.network}`, `mode ${r0.mode} · seed ${r0.seed} · ${provenanceText(r0.trace, r0.costs, r0.quantsim)}`, sections, synthetic ? { badge: SYNTHETIC_BADGE } : {});
}

/** Trace, cost table and version in one line (the provenance every report carries). */
function provenanceText(trace: Report['trace'], costs: { name: string; sha256: string }, version: string): string {
  const t = trace.source === 'none' ? 'no trace' : `trace ${trace.source}${trace.generator ? ` (${trace.generator}${trace.seed !== undefined ? `, seed ${trace.seed}` : ''})` : ''}`;
  return `${t} · costs ${costs.name} (sha256 ${costs.sha256.slice(0, 12)}) · quantsim ${version}`;
}
