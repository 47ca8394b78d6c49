/**
 * What a scheme (models/<scheme>/) provides to the engine. The engine calls these through the
 * registry and never names a scheme.
 */
import type { ArchConfig } from './arch.ts';
import type { BuildContext, Component } from './component.ts';
import type { Layer, Network } from './workload.ts';
import type { LayerTrace, Trace, TraceSource } from './trace.ts';

export type Mode = 'opcount' | 'arch' | 'reference';
export const MODES: readonly Mode[] = ['opcount', 'arch', 'reference'];

/** What one layer's replay returns besides the ledger's counts. */
export interface LayerRun {
  cycles: number;
  /** Fraction of MAC slots doing useful work, 0..1. */
  utilization: number;
  /** Stall cycles by cause (dram, glb, noc, …). */
  stalls?: Record<string, number>;
  /** The mapping or parameters chosen for this layer (reported as-is). */
  details?: Record<string, unknown>;
}

/** A built accelerator: its component tree and how it runs a layer. */
export interface Accelerator {
  readonly root: Component;
  /** Peak MACs per cycle of the whole design (for the ideal bound). */
  readonly peakMacsPerCycle: number;
  /**
   * Replay one layer. `trace` holds the layer's tensors when the run has a trace; schemes whose
   * hardware depends on the data (DNA-TEQ bitwidths, DRQ regions, LightNN weights) must refuse
   * to run without one rather than assume a distribution.
   */
  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace): LayerRun;
  /**
   * Optional: called once before the layers with the whole network and trace, for decisions
   * that span layers (DNA-TEQ's τ sweep picks every layer's bitwidth against a network-wide
   * accuracy proxy).
   */
  prepare?(network: Network, trace?: Trace): void;
  /**
   * Energy of one access at each level of the memory hierarchy and of one MAC (pJ), for the
   * report's per-level ratios (Eyeriss ISCA 2016: DRAM ≫ GLB > NoC > RF ≈ MAC). Optional.
   */
  energyPerAccess?(): EnergyPerAccess;
  /**
   * Optional: network-level results of the scheme after the layers ran (e.g. DNA-TEQ's second
   * evaluation view, its τ_a and compressions), reported as `summary`; `lines` are printed
   * under the run table.
   */
  summary?(): SchemeSummary;
}

export interface SchemeSummary {
  readonly data: Readonly<Record<string, unknown>>;
  readonly lines: readonly string[];
}

export interface EnergyPerAccess {
  /** What one access moves (e.g. "one 16-bit word"). */
  unit: string;
  /** Level → pJ per access; must include "mac". */
  pj: Record<string, number>;
}

/** One layer of a quantized trace: integer codes per tensor and the layer's parameters. */
export interface QuantizedLayer {
  readonly layer: string;
  /** Codes per tensor name (`weights`, `activations`), shaped like the float tensors. */
  readonly codes: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Int8Array }>>;
  /** The layer's quantization parameters (JSON-serializable). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** What a scheme's quantizer makes of a float trace (written by `quantsim quantize`). */
export interface QuantizedTrace {
  readonly scheme: string;
  readonly network: string;
  readonly source: TraceSource;
  readonly generator: string;
  /** Network-level parameters (e.g. the τ the search settled on). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly layers: readonly QuantizedLayer[];
  /** Per-layer summary for `--format table`. */
  readonly table: { readonly header: string[]; readonly rows: (string | number)[][] };
  /** The chosen quantizers as quantize-dequantize functions (for end-to-end agreement). */
  readonly tensorQuantizer?: TensorQuantizer;
}

/** A scheme's quantize-dequantize of one layer's tensors (trace layouts), for end-to-end checks. */
export interface TensorQuantizer {
  weights(layer: string, data: Float32Array): Float32Array;
  activations(layer: string, data: Float32Array): Float32Array;
}

/** The network output's relative error with a quantizer applied to every layer (forward pass on real inputs). */
export type OutputProxy = (q: TensorQuantizer) => number;

export interface QuantizeContext {
  readonly arch: ArchConfig;
  readonly network: Network;
  /** When the network can be run end to end on the trace: the search's accuracy proxy. */
  readonly outputProxy?: OutputProxy;
}

/**
 * A number a scheme lets the CLI set on its arch configs (`run`, `compare`, `quantize`): the flag,
 * the JSON pointer it writes, and the open interval it must lie in.
 */
export interface SchemeParameter {
  /** Flag name without dashes, kebab-case (`tau-a`). */
  readonly flag: string;
  readonly describe: string;
  /** JSON pointer into the arch config (`/dnateq/search/tauA`). */
  readonly pointer: string;
  /** Open interval (lower, upper) the value must lie in. */
  readonly exclusiveRange: readonly [number, number];
}

export interface Scheme {
  readonly name: string;
  /** Numbers the CLI may set on this scheme's configs (e.g. DNA-TEQ's `--tau-a`). */
  readonly parameters?: readonly SchemeParameter[];
  readonly description: string;
  readonly modes: readonly Mode[];
  /** True when results depend on tensor values: the run needs a trace. */
  readonly needsTrace?: boolean;
  /**
   * Config parts this design sizes by another field (JSON pointer prefix → the field that does),
   * e.g. DNA-TEQ's `{ "/array": "/dnateq/units" }`: named when a sweep axis on them is inert.
   */
  readonly sizedBy?: Readonly<Record<string, string>>;
  build(ctx: BuildContext, arch: ArchConfig): Accelerator;
  /**
   * Optional: turn a float trace into codes + per-layer parameters, as the scheme's offline
   * step does (`quantsim quantize --scheme NAME`). `rng` is the run's seeded generator.
   */
  quantize?(trace: Trace, params: QuantizeContext, rng: () => number): QuantizedTrace;
}
