/**
 * Per-input results of a data-dependent design: every input of the trace is simulated on its own
 * (one run per input, or per layer batch of inputs), the layer reports the mean and the
 * per-input spread, and the network sums each input's layers. Pure bookkeeping, no hardware.
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

/** One layer's per-run figures (index = run). */
export interface LayerRuns {
  readonly cycles: readonly number[];
  /** The same layer with every value at high precision (input-independent). */
  readonly allHighCycles: number;
  readonly sensitiveFraction: readonly number[];
  /** Sensitive regions and regions per run (for the network's per-input fraction). */
  readonly sensitiveRegions: readonly number[];
  readonly regions: number;
  /** Trace inputs each run covers (the layer's batch; 1 at batch 1). */
  readonly inputsPerRun: number;
}

/** Layer details: per-input spread of sensitive fraction, cycles and speedup over all-high. */
export function layerPerInput(r: LayerRuns): Record<string, unknown> {
  return {
    inputs: r.cycles.length,
    inputsPerRun: r.inputsPerRun,
    sensitiveFraction: spread(r.sensitiveFraction),
    cycles: spread(r.cycles),
    speedupVsAllHigh: spread(r.cycles.map((c) => r.allHighCycles / c)),
    perInputCycles: [...r.cycles],
  };
}

/** Network totals per input: each input's layers summed (layers without runs count their cycles for every input). */
export class NetworkRuns {
  private cycles: number[] = [];
  private allHigh = 0;
  private sensitive: number[] = [];
  private regions = 0;
  private constant = 0;
  private inputsPerRun = 1;

  addConstant(cycles: number): void {
    this.constant += cycles;
    this.allHigh += cycles;
  }

  addLayer(r: LayerRuns): void {
    const n = r.cycles.length;
    if (this.cycles.length === 0) {
      this.cycles = new Array(n).fill(0);
      this.sensitive = new Array(n).fill(0);
    }
    // A layer simulated over a different number of runs adds its mean to every input.
    const same = n === this.cycles.length;
    const meanCycles = spread(r.cycles).mean;
    const meanSensitive = spread(r.sensitiveRegions).mean;
    for (let k = 0; k < this.cycles.length; k++) {
      this.cycles[k]! += same ? r.cycles[k]! : meanCycles;
      this.sensitive[k]! += same ? r.sensitiveRegions[k]! : meanSensitive;
    }
    this.allHigh += r.allHighCycles;
    this.regions += r.regions;
    this.inputsPerRun = r.inputsPerRun;
  }

  details(): Record<string, unknown> | undefined {
    if (this.cycles.length === 0) return undefined;
    const cycles = this.cycles.map((c) => c + this.constant);
    return {
      inputs: cycles.length,
      inputsPerRun: this.inputsPerRun,
      sensitiveFraction: spread(this.sensitive.map((s) => (this.regions > 0 ? s / this.regions : 0))),
      cycles: spread(cycles),
      speedupVsAllHigh: spread(cycles.map((c) => this.allHigh / c)),
      perInputCycles: cycles,
    };
  }
}
