/**
 * DNA-TEQ's published figures next to quantsim's (arXiv 2306.16430, §V), in both evaluation
 * views: `operations` (the paper's method: operation counts × per-operation energy of the unit
 * and its on-chip buffers, against INT8 MACs and the same operand-buffer accesses; no DRAM, no
 * array) and `system` (the whole architecture against eyeriss-int8, DRAM, GLB, NoC and leakage
 * included; op-count mode). Both from one cost table and one set of counts. Storage is reported
 * as both compressions (`compressionExponentBits`, `compressionStoredBits`).
 * Nothing here is tuned toward the published numbers; the report explains the differences.
 */
import seedrandom from 'seedrandom';
import { archFromConfig, loadArch, type Arch } from '../../sim/arch.ts';
import { withValuesAt } from '../../sim/config.ts';
import { simulate } from '../../sim/simulate.ts';
import type { Network } from '../../sim/workload.ts';
import type { Trace } from '../../sim/trace.ts';
import { quantizeNetwork, storage, type Storage } from './accelerator.ts';
import { dnateqSpec } from './spec.ts';
import type { Candidate, ChoiceProxy } from './search.ts';

/** The paper's AlexNet figures (§V) and its published τ_a for AlexNet. Other networks' results are held back. */
export const PUBLISHED_ALEXNET = { averageBits: 5.78, compressionExponentBits: 0.276, energySavingVsInt8: 0.615, tauA: 0.04 } as const;

export interface NetworkValidation extends Storage {
  network: string;
  traceSource: string;
  traceGenerator: string;
  tauA: number;
  tauAGiven: boolean;
  /** The τ sweep's proxy at the chosen τ_a, its budget, and whether even τ_a = 1% exceeded it. */
  proxy: number;
  proxyBudget: number;
  overBudget: boolean;
  /** 1 − E(DNA-TEQ unit + buffers) / E(INT8 MACs + operand buffers): the paper's method. */
  operationsEnergySaving: number;
  /** 1 − E(dnateq) / E(eyeriss-int8), whole system, op-count mode (NaN with an end-to-end proxy). */
  systemEnergySaving: number;
  /** Layers with terms 2 and 4 offline, and the worst error that introduces vs online (relative RMS, measured). */
  offlineLayers: number;
  worstOfflineRelError: number;
  /** `datapath.skipZeroActivations`: skipped zeros still get β_a·x̂_w from the offline terms. */
  skipZeroActivations: boolean;
  bitsPerLayer: Record<string, number>;
  /** The chosen quantizer of each dot-product layer. */
  choices: Map<string, Candidate>;
}

/** `arch` with dnateq config values set at JSON pointers (e.g. τ_a given, terms 2 and 4 online). */
export function dnateqVariant(arch: Arch, values: Record<string, unknown>): Arch {
  return archFromConfig(withValuesAt(arch.config, Object.entries(values)), arch.file, arch.costsFile);
}

/** Average bits, both compressions and the energy saving in both views of DNA-TEQ against INT8 on one network and trace. */
export function validateNetwork(network: Network, trace: Trace, arch: Arch = loadArch('dnateq'), baseline: Arch = loadArch('eyeriss-int8'), seed = 1, outputProxy?: ChoiceProxy): NetworkValidation {
  const spec = dnateqSpec(arch.config);
  const { quant, plans } = quantizeNetwork(network, trace, spec, String(Math.floor(seedrandom(`quantsim:${seed}`)() * 2 ** 32)), outputProxy, arch.file);
  const st = storage(network, plans);
  // The simulator's DNA-TEQ chooses with the per-layer proxy: with an end-to-end proxy the
  // choices differ, so no energy is reported for them (NaN) rather than one of other choices.
  let operationsEnergySaving = Number.NaN;
  let systemEnergySaving = Number.NaN;
  if (!outputProxy) {
    const d = simulate(arch, network, { mode: 'opcount', trace, seed });
    const b = simulate(baseline, network, { mode: 'opcount', trace, seed });
    const ops = (d.summary!.data.views as { operations: { energySavingVsInt8: number } }).operations;
    operationsEnergySaving = ops.energySavingVsInt8;
    systemEnergySaving = 1 - d.totals.energyPj / b.totals.energyPj;
  }
  const offline = [...plans.values()].filter((p) => p.offset === 'offline');
  return {
    network: network.name,
    traceSource: trace.source,
    traceGenerator: trace.generator,
    tauA: quant.tauA,
    tauAGiven: quant.tauAGiven,
    proxy: quant.proxy,
    proxyBudget: spec.search.proxyBudget,
    overBudget: quant.overBudget,
    ...st,
    operationsEnergySaving,
    systemEnergySaving,
    offlineLayers: offline.length,
    worstOfflineRelError: offline.reduce((m, p) => Math.max(m, p.chosen.offlineRelError), 0),
    skipZeroActivations: spec.skipZeroActivations,
    bitsPerLayer: Object.fromEntries([...plans].map(([name, p]) => [name, p.chosen.bits])),
    choices: new Map([...plans].map(([name, p]) => [name, p.chosen])),
  };
}
