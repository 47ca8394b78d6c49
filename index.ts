/**
 * quantsim library API. Every CLI command is a thin layer over these.
 *
 * ```ts
 * import { simulate, loadArch, loadNetwork } from 'quantsim';
 * const report = simulate(loadArch('eyeriss-int8'), loadNetwork('alexnet'), { mode: 'opcount' });
 * console.log(report.totals.energyPj);
 * ```
 */
export { simulate, type SimulateOptions } from './sim/simulate.ts';
export { loadArch, archFromConfig, DEFAULT_COSTS, type Arch, type ArchConfig } from './sim/arch.ts';
export { loadNetwork, makeNetwork, makeLayer, macs, weightCount, inputCount, outputCount, networkMacs, parameterCount } from './sim/workload.ts';
export type { Layer, Network, NetworkSpec, LayerSpec, LayerKind } from './sim/workload.ts';
export { loadCostTable, CostTable, toNumber, type CostRow, type CostTableOptions } from './sim/costs.ts';
export { loadConfig, variant, withValueAt, withValuesAt, validateAgainst } from './sim/config.ts';
export { Scheduler, Resource, Priority } from './sim/scheduler.ts';
export { Component, Group, type BuildContext } from './sim/component.ts';
export { Ledger, addBreakdown, breakdownEnergyPj, type Breakdown } from './sim/ledger.ts';
export { UserError, isUserError } from './sim/errors.ts';
export type { Report, LayerResult, Totals } from './sim/report.ts';
export type { Scheme, Accelerator, LayerRun, Mode, TensorQuantizer, OutputProxy, QuantizedTrace } from './sim/scheme.ts';
export { diskCached, cacheEnabled, type CacheKey } from './sim/disk-cache.ts';
export { SCHEMES } from './models/registry.ts';
export { sweep, expandSweep, loadSweepSpec, mergeResults, parseShard, shardPoints, pointKey, canonicalJson } from './sim/sweep.ts';
export type { SweepSpec, Axis, AxisRange, SweepOptions, SweepSummary, ExpandedSweep, MergeReport, SweepPoint, ResultLine, AxisValue } from './sim/sweep.ts';
export { evaluatePoint } from './sim/sweep-eval.ts';
export { readResults, ResultsWriter } from './sim/jsonl.ts';
export { pareto, metric, parseObjective, type Objective } from './sim/pareto.ts';
export { renderSvg, energyBreakdownSpec, precisionMapSpec, paretoScatterSpec, energyVsBitsSpec } from './sim/plots.ts';
export { sweepReportHtml, compareReportHtml, htmlPage, htmlTable } from './sim/html-report.ts';
export type { QueueWorkerOptions } from './sim/queue.ts';
/** Serve a sweep queue (what `quantsim worker` runs); BullMQ is loaded on first use. */
export async function runQueueWorker(o: import('./sim/queue.ts').QueueWorkerOptions): Promise<number> {
  return (await import('./sim/queue.ts')).runQueueWorker(o);
}
export { loadTrace, writeTrace, expectedShape, type Manifest, type LoadTraceOptions, type WriteTraceOptions } from './traces/format.ts';
export { readNpy, writeNpy, parseNpy, encodeNpy, decodeNpy } from './traces/npy.ts';
export type { Trace, LayerTrace, Tensor, DType, TraceSource } from './sim/trace.ts';
export { generateSyntheticTrace, loadSyntheticParameters, SYNTHETIC_GENERATOR, type SyntheticParameters, type SyntheticOptions } from './traces/synthetic.ts';
export { fitDistributions, absHistogram, histogramRss, cdf, pdf, DISTRIBUTIONS, type Distribution, type DistributionFit, type FitResult, type AbsHistogram } from './traces/fit.ts';
export { traceStats, tensorStats, type TensorStats } from './traces/stats.ts';
