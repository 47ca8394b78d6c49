import type { Argv } from 'yargs';
import { die } from '../errors.ts';
import type { CompareRow } from '../report.ts';
import { batchOption, withSimOptions, withSchemeParameters, applySchemeParameters, schemeParameterValues, costsOption, seedOption, traceOption, type Format } from './common.ts';
import type { Mode } from '../scheme.ts';

/**
 * The default designs, baseline first. The OLAccel-style point (`olaccel`) runs in arch mode as
 * well; add it with `--schemes …,olaccel`.
 */
export const DEFAULT_SCHEMES = ['eyeriss-int8', 'eyeriss', 'eyeriss-fp16', 'dnateq', 'drq', 'lightnn1', 'lightnn2', 'geng', 'settle'];

export const compareCommand = {
  command: 'compare',
  describe: 'Simulate several architectures on one network and print totals and ratios to a baseline',
  builder: (y: Argv) =>
    withSchemeParameters(withSimOptions(
      y
        .option('network', { type: 'string', demandOption: true, describe: 'Network: a name under configs/networks/ (transformer-base@256) or a file: .json, SCALE-Sim .csv, Timeloop .yaml' })
        .option('schemes', { type: 'string', default: DEFAULT_SCHEMES.join(','), describe: 'Comma-separated arch configs (names under configs/arch/ or files)' })
        .option('baseline', { type: 'string', describe: 'The scheme the ratios are taken against (default: the first)' })
        .option('html', { type: 'string', describe: 'Also write a self-contained HTML report (tables + SVG plots) to this file' })
        .option('per-layer', { type: 'boolean', default: false, describe: 'Table format: also print speedup and energy reduction per layer' })
        .option('workers', { type: 'number', describe: 'Worker threads to simulate designs on (default: the free cores, when the comparison is large enough; 0 = this thread). Output is the same either way' }),
    )),
  handler: async (a: { [flag: string]: unknown; html?: string; network: string; schemes: string; baseline?: string; perLayer?: boolean; workers?: number; costs?: string; trace?: string; seed: number; mode: Mode; format: Format; out?: string; batch?: number }) => {
    const names = a.schemes.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) die('--schemes: give at least one arch config');
    const baseline = a.baseline ?? names[0]!;
    if (!names.includes(baseline)) die(`--baseline "${baseline}" is not one of --schemes (${names.join(', ')})`);
    const [{ loadArch }, { loadNetwork, networkMacs }, { simulate }, { emit, writeOutputFile }, { formatCompareTable, formatCompareLayers, formatCompareAttribution, layerRatios, perInputSpeedup }] = await Promise.all([
      import('../arch.ts'),
      import('../workload.ts'),
      import('../simulate.ts'),
      import('../output.ts'),
      import('../report.ts'),
    ]);
    (await import('../disk-cache.ts')).cacheQuickSteps();
    const network = loadNetwork(a.network);
    const costs = await costsOption(a.costs);
    const seed = seedOption(a.seed);
    const batch = batchOption(a.batch);
    const trace = await traceOption(a.trace, network, seed, batch ?? 1);
    if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0)) die(`--workers must be an integer >= 0, got ${a.workers}`);
    const archs = new Map(await Promise.all(names.map(async (n) => [n, await applySchemeParameters(loadArch(n), a, false)] as const)));
    // On a terminal: each design as it starts and ends. Otherwise (a log, CI): a line per finished
    // design, at most every 3 s, so a long run shows it is alive without flooding the log.
    const tty = process.stderr.isTTY;
    let lastLine = performance.now();
    const finished = (line: string) => {
      if (tty || performance.now() - lastLine < 3000) return;
      lastLine = performance.now();
      process.stderr.write(line);
    };
    const progress = tty ? (line: string) => process.stderr.write(line) : undefined;
    const { compareThreads, runDesignsInPool, jobsByScheme } = await import('../compare-pool.ts');
    const groups = jobsByScheme([...new Set(names)], (n) => archs.get(n)!.config.scheme);
    const { cacheEnabled } = await import('../disk-cache.ts');
    const threads = Math.min(groups.length, compareThreads(names.length, networkMacs(network) * names.length, a.workers, trace !== undefined && !cacheEnabled()));
    let rows: CompareRow[];
    if (threads > 0) {
      let done = 0;
      const jobs = groups.map((schemes) => ({ schemes, network: a.network, mode: a.mode, seed, ...(a.costs !== undefined ? { costs: a.costs } : {}), ...(a.trace !== undefined ? { trace: a.trace } : {}), ...(batch !== undefined ? { batch } : {}), parameters: schemeParameterValues(a) }));
      const reports = await runDesignsInPool(jobs, threads, (scheme, ms) => {
        const line = `[${++done}/${names.length}] ${scheme} ${(ms / 1000).toFixed(1)} s (${threads} threads)\n`;
        progress?.(line);
        finished(line);
      });
      const byRef = new Map(groups.flatMap((g, i) => g.map((ref, k) => [ref, reports[i]![k]!] as const)));
      rows = names.map((scheme) => ({ scheme, report: byRef.get(scheme)! }));
    } else {
      rows = names.map((scheme, i) => {
        const t0 = performance.now();
        progress?.(`[${i + 1}/${names.length}] ${scheme}…`);
        const report = simulate(archs.get(scheme)!, network, { mode: a.mode, seed, costs, ...(trace ? { trace } : {}), ...(batch !== undefined ? { batch } : {}) });
        progress?.(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
        finished(`[${i + 1}/${names.length}] ${scheme} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
        return { scheme, report };
      });
    }
    // Designs are labelled by their config name; by the ref given where two names clash.
    const byName = new Map<string, number>();
    for (const r of rows) byName.set(r.report.arch, (byName.get(r.report.arch) ?? 0) + 1);
    const labelOf = new Map(rows.map((r) => [r.scheme, byName.get(r.report.arch)! > 1 ? r.scheme : r.report.arch]));
    rows = rows.map((r) => ({ scheme: labelOf.get(r.scheme)!, report: r.report }));
    const baselineLabel = labelOf.get(baseline)!;
    const archsByLabel = new Map([...archs].map(([ref, arch]) => [labelOf.get(ref)!, arch]));
    if (a.html) {
      const { compareHtml } = await import('./compare-html.ts');
      writeOutputFile(a.html, await compareHtml(rows, baselineLabel, archsByLabel, network, { mode: a.mode, seed, costs, ...(trace ? { trace } : {}) }));
    }
    if (a.format === 'json') {
      const base = rows.find((r) => r.scheme === baselineLabel)!.report.totals;
      const out = {
        network: network.name,
        mode: a.mode,
        seed,
        baseline: baselineLabel,
        schemes: rows.map(({ scheme, report }) => ({
          scheme,
          totals: report.totals,
          dramTechnology: report.dramTechnology,
          estimateShare: report.estimateShare,
          energyByPartPj: report.energyByPartPj,
          vsBaseline: {
            speedup: base.cycles / report.totals.cycles,
            energyRatio: report.totals.energyPj / base.energyPj,
            areaRatio: report.totals.areaUm2 / base.areaUm2,
            layers: layerRatios(report, rows.find((r) => r.scheme === baselineLabel)!.report),
            ...(perInputSpeedup(report, base) ? { perInputSpeedup: perInputSpeedup(report, base) } : {}),
          },
          report,
        })),
      };
      emit(`${JSON.stringify(out, null, 2)}\n`, a.out);
    } else if (a.format === 'csv') {
      const lines = ['scheme,cycles,energyPj,leakageEnergyPj,areaUm2,macs,speedup,energyRatio,areaRatio'];
      const base = rows.find((r) => r.scheme === baselineLabel)!.report.totals;
      for (const { scheme, report: { totals: t } } of rows) {
        lines.push([scheme, t.cycles, t.energyPj, t.leakageEnergyPj, t.areaUm2, t.macs, base.cycles / t.cycles, t.energyPj / base.energyPj, t.areaUm2 / base.areaUm2].join(','));
      }
      emit(`${lines.join('\n')}\n`, a.out);
    } else {
      emit(formatCompareTable(rows, baselineLabel) + (a.perLayer ? `
${formatCompareLayers(rows, baselineLabel)}
${formatCompareAttribution(rows, baselineLabel)}` : ''), a.out);
    }
  },
};
