import type { Argv } from 'yargs';
import { loadArch } from '../arch.ts';
import { loadNetwork } from '../workload.ts';
import { simulate } from '../simulate.ts';
import { emit, writeOutputFile } from '../output.ts';
import { die } from '../errors.ts';
import { formatCompareTable, formatCompareLayers, layerRatios, type CompareRow } from '../report.ts';
import { withSimOptions, costsOption, seedOption, traceOption, type Format } from './common.ts';
import type { Mode } from '../scheme.ts';

/**
 * Every implemented design that runs in the default (arch) mode, baseline first. OLAccel-style
 * (`olaccel`) is op-count only, so it is not in the default list.
 */
export const DEFAULT_SCHEMES = ['eyeriss-int8', 'eyeriss', 'eyeriss-fp16', 'dnateq', 'drq', 'lightnn1', 'lightnn2', 'geng', 'settle'];

export const compareCommand = {
  command: 'compare',
  describe: 'Simulate several architectures on one network and print totals and ratios to a baseline',
  builder: (y: Argv) =>
    withSimOptions(
      y
        .option('network', { type: 'string', demandOption: true, describe: 'Network: a name under configs/networks/ (transformer-base@256) or a file: .json, SCALE-Sim .csv, Timeloop .yaml' })
        .option('schemes', { type: 'string', default: DEFAULT_SCHEMES.join(','), describe: 'Comma-separated arch configs (names under configs/arch/ or files)' })
        .option('baseline', { type: 'string', describe: 'The scheme the ratios are taken against (default: the first)' })
        .option('html', { type: 'string', describe: 'Also write a self-contained HTML report (tables + SVG plots) to this file' })
        .option('per-layer', { type: 'boolean', default: false, describe: 'Table format: also print speedup and energy reduction per layer' }),
    ),
  handler: async (a: { html?: string; network: string; schemes: string; baseline?: string; perLayer?: boolean; costs?: string; trace?: string; seed: number; mode: Mode; format: Format; out?: string }) => {
    const names = a.schemes.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) die('--schemes: give at least one arch config');
    const baseline = a.baseline ?? names[0]!;
    if (!names.includes(baseline)) die(`--baseline "${baseline}" is not one of --schemes (${names.join(', ')})`);
    const network = loadNetwork(a.network);
    const costs = costsOption(a.costs);
    const seed = seedOption(a.seed);
    const trace = traceOption(a.trace, network, seed);
    const archs = new Map(names.map((n) => [n, loadArch(n)]));
    const progress = process.stderr.isTTY ? (line: string) => process.stderr.write(line) : undefined;
    const rows: CompareRow[] = names.map((scheme, i) => {
      const t0 = performance.now();
      progress?.(`[${i + 1}/${names.length}] ${scheme}…`);
      const report = simulate(archs.get(scheme)!, network, { mode: a.mode, seed, costs, ...(trace ? { trace } : {}) });
      progress?.(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      return { scheme, report };
    });
    if (a.html) {
      const { compareHtml } = await import('./compare-html.ts');
      writeOutputFile(a.html, await compareHtml(rows, baseline, archs, network, { mode: a.mode, seed, costs, ...(trace ? { trace } : {}) }));
    }
    if (a.format === 'json') {
      const base = rows.find((r) => r.scheme === baseline)!.report.totals;
      const out = {
        network: network.name,
        mode: a.mode,
        seed,
        baseline,
        schemes: rows.map(({ scheme, report }) => ({
          scheme,
          totals: report.totals,
          energyByPartPj: report.energyByPartPj,
          vsBaseline: {
            speedup: base.cycles / report.totals.cycles,
            energyRatio: report.totals.energyPj / base.energyPj,
            areaRatio: report.totals.areaUm2 / base.areaUm2,
            layers: layerRatios(report, rows.find((r) => r.scheme === baseline)!.report),
          },
          report,
        })),
      };
      emit(`${JSON.stringify(out, null, 2)}\n`, a.out);
    } else if (a.format === 'csv') {
      const lines = ['scheme,cycles,energyPj,leakageEnergyPj,areaUm2,macs,speedup,energyRatio,areaRatio'];
      const base = rows.find((r) => r.scheme === baseline)!.report.totals;
      for (const { scheme, report: { totals: t } } of rows) {
        lines.push([scheme, t.cycles, t.energyPj, t.leakageEnergyPj, t.areaUm2, t.macs, base.cycles / t.cycles, t.energyPj / base.energyPj, t.areaUm2 / base.areaUm2].join(','));
      }
      emit(`${lines.join('\n')}\n`, a.out);
    } else {
      emit(formatCompareTable(rows, baseline) + (a.perLayer ? `\n${formatCompareLayers(rows, baseline)}` : ''), a.out);
    }
  },
};
