/**
 * Per-input results of a data-dependent design (DRQ's regions, OLAccel's outliers): every input
 * of the trace is simulated on its own (one run per input, or per layer batch of inputs), the
 * layer reports the mean and the per-input spread, and the network sums each input's layers.
 * Pure bookkeeping, no hardware. Each design names its data-dependent share (`sensitiveFraction`,
 * `outlierFraction`) and the input-independent run its speedup is measured against.
 */

export interface Spread {
  readonly min: number;
  readonly mean: number;
  readonly max: number;
}

export function spread(values: ArrayLike<number>): Spread {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return values.length > 0 ? { min, mean: sum / values.length, max } : { min: 0, mean: 0, max: 0 };
}

/** Trace inputs of run k when the layer's batch is N and the trace holds T inputs (wrapping). */
export function runInputs(k: number, layerN: number, traceN: number): number[] {
  return Array.from({ length: layerN }, (_, j) => (k * layerN + j) % traceN);
}

/** Runs needed so that every trace input is simulated once. */
export function runCount(layerN: number, traceN: number): number {
  return Math.max(1, Math.ceil(traceN / Math.max(1, layerN)));
}

/** The JSON names of a design's per-input figures. */
export interface PerInputNames {
  /** Its data-dependent share per run (DRQ: `sensitiveFraction` of regions; OLAccel: `outlierFraction` of input values). */
  readonly fraction: string;
  /** Its speedup over the input-independent reference run (DRQ: `speedupVsAllHigh`). */
  readonly speedup: string;
}

/** One layer's per-run figures (index = run). */
export interface LayerRuns {
  readonly cycles: readonly number[];
  /** The same layer on the input-independent reference (DRQ: every value at high precision). */
  readonly referenceCycles: number;
  /** The data-dependent share per run, of `fractionOf` items per run (regions, values). */
  readonly fraction: readonly number[];
  readonly fractionOf: number;
  /** Trace inputs each run covers (the layer's batch; 1 at batch 1). */
  readonly inputsPerRun: number;
}

/** Layer details: per-input spread of the share, cycles and speedup over the reference. */
export function layerPerInput(r: LayerRuns, names: PerInputNames): Record<string, unknown> {
  return {
    inputs: r.cycles.length,
    inputsPerRun: r.inputsPerRun,
    [names.fraction]: spread(r.fraction),
    cycles: spread(r.cycles),
    [names.speedup]: spread(r.cycles.map((c) => r.referenceCycles / c)),
    perInputCycles: [...r.cycles],
  };
}

/** Network totals per input: each input's layers summed (layers without runs count their cycles for every input). */
export class NetworkRuns {
  private cycles: number[] = [];
  private reference = 0;
  private items: number[] = [];
  private itemsTotal = 0;
  private constant = 0;
  private inputsPerRun = 1;

  constructor(readonly names: PerInputNames) {}

  addConstant(cycles: number): void {
    this.constant += cycles;
    this.reference += cycles;
  }

  addLayer(r: LayerRuns): void {
    const n = r.cycles.length;
    if (this.cycles.length === 0) {
      this.cycles = new Array(n).fill(0);
      this.items = new Array(n).fill(0);
    }
    // A layer simulated over a different number of runs adds its mean to every input.
    const same = n === this.cycles.length;
    const meanCycles = spread(r.cycles).mean;
    const meanItems = spread(r.fraction).mean * r.fractionOf;
    for (let k = 0; k < this.cycles.length; k++) {
      this.cycles[k]! += same ? r.cycles[k]! : meanCycles;
      this.items[k]! += same ? r.fraction[k]! * r.fractionOf : meanItems;
    }
    this.reference += r.referenceCycles;
    this.itemsTotal += r.fractionOf;
    this.inputsPerRun = r.inputsPerRun;
  }

  details(): Record<string, unknown> | undefined {
    if (this.cycles.length === 0) return undefined;
    const cycles = this.cycles.map((c) => c + this.constant);
    return {
      inputs: cycles.length,
      inputsPerRun: this.inputsPerRun,
      [this.names.fraction]: spread(this.items.map((s) => (this.itemsTotal > 0 ? s / this.itemsTotal : 0))),
      cycles: spread(cycles),
      [this.names.speedup]: spread(cycles.map((c) => this.reference / c)),
      perInputCycles: cycles,
    };
  }

  /** The report line under `run`'s table: the network's per-input spread (undefined before any layer). */
  summaryLine(format: (x: number) => string): string | undefined {
    const d = this.details();
    if (!d) return undefined;
    const s = (k: string) => {
      const v = d[k] as Spread;
      return `${k} ${format(v.min)} / ${format(v.mean)} / ${format(v.max)}`;
    };
    const each = d.inputsPerRun === 1 ? 'per input' : `per batch of ${d.inputsPerRun} inputs`;
    return `${each} (${d.inputs} runs; min / mean / max): ${[this.names.fraction, 'cycles', this.names.speedup].map(s).join(' · ')}`;
  }
}
