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
export { loadConfig, variant, withValueAt, validateAgainst } from './sim/config.ts';
export { Scheduler, Resource, Priority } from './sim/scheduler.ts';
export { Component, Group, type BuildContext } from './sim/component.ts';
export { Ledger, addBreakdown, breakdownEnergyPj, type Breakdown } from './sim/ledger.ts';
export { UserError, isUserError } from './sim/errors.ts';
export type { Report, LayerResult, Totals } from './sim/report.ts';
export type { Scheme, Accelerator, LayerRun, Mode } from './sim/scheme.ts';
export { SCHEMES } from './models/registry.ts';
export { loadTrace, writeTrace, expectedShape, type Manifest, type LoadTraceOptions, type WriteTraceOptions } from './traces/format.ts';
export { readNpy, writeNpy, parseNpy, encodeNpy, decodeNpy } from './traces/npy.ts';
export type { Trace, LayerTrace, Tensor, DType, TraceSource } from './sim/trace.ts';
export { generateSyntheticTrace, loadSyntheticParameters, SYNTHETIC_GENERATOR, type SyntheticParameters, type SyntheticOptions } from './traces/synthetic.ts';
export { fitDistributions, absHistogram, histogramRss, cdf, pdf, DISTRIBUTIONS, type Distribution, type DistributionFit, type FitResult, type AbsHistogram } from './traces/fit.ts';
