/**
 * Eyeriss-like chip (Chen et al., ISCA 2016 / JSSC 2017): DRAM, a global buffer, multicast NoCs
 * and the PE array. Three fidelity levels on one component tree:
 *  - opcount: operation counts × costs (models/eyeriss/opcount.ts);
 *  - arch: the row-stationary mapping (mapping.ts) replayed as events (replay.ts);
 *  - reference: the same mapping stepped cycle by cycle at PE granularity (reference.ts).
 * Conv, grouped/depthwise conv, fc (a 1×1 conv on a 1×1 map) and matmul go through the mapping;
 * add and pool run on the PEs' accumulator adders (elementwise.ts).
 */
import { Group, type BuildContext } from '../../sim/component.ts';
import { checkArch, psumBitsOf, type ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, EnergyPerAccess, LayerRun, Mode } from '../../sim/scheme.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import { macs, type Layer } from '../../sim/workload.ts';
import { die } from '../../sim/errors.ts';
import { Dram } from '../common/dram.ts';
import { wordEnergyPerAccess } from '../common/energy-per-access.ts';
import { GlobalBuffer } from '../common/global-buffer.ts';
import { Noc, psumLinkBitsPerCycle } from '../common/noc.ts';
import { PeArray } from './pe-array.ts';
import { standardDatapath, isPassTimed, type DatapathFactory, type PassView } from './pe.ts';
import { linearOpCount } from './opcount.ts';
import {
  convShape,
  searchMappings,
  forEachPass,
  forEachPe,
  describeMapping,
  countMapping,
  MappingError,
  type MappingObjective,
  type RsCounts,
  type RsHardware,
  type RsMapping,
  type UnitEnergies,
} from './mapping.ts';
import { narrowerOrEqual, retimeMapping } from './mapping-counts.ts';
import { DEFAULT_PRECISION_FLOOR, cachedFloor, clearFloorCache, floorMapping, noSlowerThan, oncePerTable, referenceArch, referenceChoice, referenceMapping, type ReferenceWidths } from './precision-floor.ts';
import { MAPPING_SOURCES } from './mapping-search.ts';
import { Ledger } from '../../sim/ledger.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { newTimeline, replay, type PassTimeline, type ReplayResources } from './replay.ts';
import { chargeCounts, zeroCounts, addPassCounts, passTransfers } from './counts.ts';
import { layerHardware, type LayerProfile } from './tensor-widths.ts';
import { zeroActivationFraction } from '../common/zero-gating.ts';
import { elementwiseTimeline } from './elementwise.ts';
import { loopNest, tensorStats } from './tensor-stats.ts';
import { quickCached } from '../../sim/disk-cache.ts';

import { referenceRun } from './reference.ts';

/** Options of the `eyeriss` section of an arch config (configs/schema/eyeriss.schema.json). */
export interface EyerissOptions {
  mappingObjective?: MappingObjective;
  referenceMaxMacs?: number;
  maxPasses?: number;
  /** The widest reference design of the precision floor (precision-floor.ts), or false for none. */
  precisionFloor?: ReferenceWidths | false;
}

/** Passes of one layer the arch mode replays at most by default: ~100 B and ~1 µs each, so ≤ 0.4 GB and seconds. */
export const DEFAULT_MAX_PASSES = 4_000_000;

const MAPPING_CACHE = new Map<string, RsMapping>();

/** Forget cached mappings (benchmarks of the cold path). */
export function clearMappingCache(): void {
  MAPPING_CACHE.clear();
  clearFloorCache();
}

export class EyerissAccelerator implements Accelerator {
  readonly root: Group;
  readonly dram: Dram;
  readonly glb: GlobalBuffer;
  readonly noc: Noc;
  readonly array: PeArray;
  readonly hw: RsHardware;
  readonly options: Required<EyerissOptions>;
  private unitsCache: UnitEnergies | undefined;
  private readonly scheduler: BuildContext['scheduler'];
  private readonly archFile: string | undefined;
  private readonly ctx: BuildContext;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    datapath: DatapathFactory = standardDatapath,
  ) {
    this.ctx = ctx;
    this.scheduler = ctx.scheduler;
    this.archFile = ctx.archFile;
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.glb = new GlobalBuffer('glb', ctx, this.root, arch.globalBuffer);
    checkArch(arch, ctx.archFile);
    this.noc = new Noc('noc', ctx, this.root, arch.noc ?? {});
    this.array = new PeArray('array', ctx, this.root, arch, datapath);
    const dp = this.array.pe.datapath;
    this.noc.setPsumBitsPerCycle(psumLinkBitsPerCycle(arch, dp.peakMacsPerCycle ?? 1 / dp.cyclesPerMac));
    const opts = (arch.eyeriss ?? {}) as EyerissOptions;
    this.options = {
      mappingObjective: opts.mappingObjective ?? 'edp',
      referenceMaxMacs: opts.referenceMaxMacs ?? 2_000_000,
      maxPasses: opts.maxPasses ?? DEFAULT_MAX_PASSES,
      precisionFloor: opts.precisionFloor ?? DEFAULT_PRECISION_FLOOR,
    };
    const pe = this.array.pe;
    const d = arch.datapath;
    this.hw = {
      rows: this.array.rows,
      cols: this.array.cols,
      ifmapSpadEntries: pe.ifmapSpad.words,
      filterSpadEntries: pe.filterSpad.words,
      psumSpadEntries: pe.psumSpad.words,
      ifmapSpadBits: pe.ifmapSpad.wordBits,
      filterSpadBits: pe.filterSpad.wordBits,
      psumSpadBits: pe.psumSpad.wordBits,
      glbBits: this.glb.bytes * 8,
      weightBits: d.weightBits,
      activationBits: d.activationBits,
      outputBits: d.activationBits,
      psumBits: psumBitsOf(d),
      inputMetaBits: 0,
      outputMetaBits: 0,
      cyclesPerMac: pe.datapath.cyclesPerMac,
      dramBytesPerCycle: this.dram.bytesPerCycle,
      nocBitsPerCycle: this.noc.bitsPerCycle,
      psumNocBitsPerCycle: this.noc.psumBitsPerCycle,
    };
  }

  get peakMacsPerCycle(): number {
    return this.array.peCount / this.array.pe.datapath.cyclesPerMac;
  }

  /** Energies the mapper ranks with: the same figures the components charge. */
  get units(): UnitEnergies {
    if (!this.unitsCache) {
      const pe = this.array.pe;
      this.unitsCache = {
        dramBitPj: this.dram.readBitEnergyPj,
        glbBitPj: this.glb.readEnergyPj / this.glb.wordBits,
        nocBitPj: this.noc.bitEnergyPj,
        neighborBitPj: this.noc.neighborBitEnergyPj,
        ifmapSpadPj: pe.ifmapSpad.readEnergyPj,
        filterSpadPj: pe.filterSpad.readEnergyPj,
        psumSpadPj: pe.psumSpad.readEnergyPj,
        addPj: pe.datapath.addEnergyPj ?? 0,
      };
    }
    return this.unitsCache;
  }

  /**
   * One access of one activation-width word at each level, as the ledger charges it: DRAM, GLB
   * (a word's share of a GLB row access), the GLB→PE NoC, the largest scratchpad (the filter
   * RF, as Eyeriss's 0.5 KB RF), and one MAC.
   */
  energyPerAccess(): EnergyPerAccess {
    const bits = this.hw.activationBits;
    const pe = this.array.pe;
    return wordEnergyPerAccess(bits, this.dram, { glb: (this.glb.readEnergyPj * bits) / this.glb.wordBits, noc: this.noc.bitEnergyPj * bits, rf: pe.filterSpad.readEnergyPj }, pe.datapath);
  }


  /**
   * The row-stationary mapping chosen for a conv-like layer. Cached per process by shape, hardware
   * (with the layer's widths and expected cycles per MAC, tensor-widths.ts), unit energies and
   * objective (a pure function of them), so repeated shapes and repeated runs (sweeps, ResNet
   * blocks) search once.
   */
  mapLayer(layer: Layer, hw: RsHardware = this.hw): RsMapping {
    const sh = convShape(layer);
    const key = JSON.stringify([sh, hw, this.units, this.options.mappingObjective]);
    let m = MAPPING_CACHE.get(key);
    if (!m) {
      try {
        const objective = this.options.mappingObjective;
        m = quickCached('mappings', { code: MAPPING_SOURCES, key, tensors: [] }, () => searchMappings(sh, hw, this.units, objective)[0]!);
      } catch (e) {
        if (e instanceof MappingError) die(`layer "${layer.name}": ${e.message}`, this.archFile, e.jsonPath);
        throw e;
      }
      MAPPING_CACHE.set(key, m);
    }
    return m;
  }

  /**
   * Run one layer. `trace` is needed when datapath.skipZeroActivations is on (the zero fraction
   * of the layer's input); `profile` is the scheme's per-layer widths and expected speed
   * (tensor-widths.ts), default the datapath's.
   */
  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace, profile?: LayerProfile): LayerRun {
    const hw = layerHardware(this.hw, profile);
    const zeros = this.zeroFraction(layer, trace);
    const gating = this.arch.datapath.skipZeroActivations ? { zeroActivationFraction: zeros } : {};
    if (mode === 'opcount') {
      const r = linearOpCount(this, layer, hw, zeros);
      return { ...r, details: { ...r.details, ...gating } };
    }
    if (layer.kind === 'add' || layer.kind === 'pool') {
      const plan = elementwiseTimeline(layer, { ...this.parts(), hw });
      this.glb.setActiveBanks(this.glb.banks);
      if (mode === 'reference') {
        this.refuseLarge(layer, plan.counts.adds, 'adds/compares');
        const r = referenceRun(layer, undefined, { ...this.parts(), hw }, undefined, { tl: plan.timeline, tileOps: plan.tileOps, counts: plan.counts });
        chargeCounts(this, r.counts, hw);
        return this.result(layer, r.cycles, r.stalls, { ...plan.details, mode: 'reference' });
      }
      return this.finish(layer, plan.timeline, plan.counts, hw, 0, plan.details);
    }
    const m = this.chooseMapping(layer, hw);
    const banks = this.gateBanks(m);
    if (mode === 'reference') {
      const r = this.timeMapping(layer, m, 'reference');
      chargeCounts(this, r.counts, hw, zeros);
      return this.result(layer, r.cycles, r.stalls, { mapping: describeMapping(m), loopNest: loopNest(m), tensors: tensorStats(r.counts, hw), glbActiveBanks: banks, psumLinkBitsPerCycle: hw.psumNocBitsPerCycle, ...gating, mode: 'reference' });
    }
    if (m.counts.passes > this.options.maxPasses) {
      // The replay keeps per-pass durations: bound its memory and time instead of exhausting the machine.
      die(
        `layer "${layer.name}" needs ${m.counts.passes} passes on this ${this.hw.rows}×${this.hw.cols} array, more than --mode arch replays (limit ${this.options.maxPasses}, set eyeriss.maxPasses to raise it); use --mode opcount, or a larger array or buffers`,
        this.archFile,
        '/eyeriss/maxPasses',
      );
    }
    const { timeline, counts } = this.timeline(layer, m);
    return this.finish(layer, timeline, counts, hw, zeros, { mapping: describeMapping(m), loopNest: loopNest(m), tensors: tensorStats(counts, hw), glbActiveBanks: banks, psumLinkBitsPerCycle: hw.psumNocBitsPerCycle, ...gating });
  }

  /**
   * The mapping a layer runs on: the search's choice at the layer's widths, floored by references
   * (docs/eyeriss.md, "Monotonicity across designs"): the precision floor's reference design at the
   * least lattice point above the layer's widths (precision-floor.ts) and, when a profile makes
   * every tensor narrower (and its MACs no slower) than the datapath's, the datapath's own mapping;
   * each re-timed at the layer's widths. Among the candidates no slower (replayed) than the
   * reference design takes on its own widths (and than the datapath's own mapping re-timed), the
   * design's objective decides. The search ranks by estimated energy ×
   * cycles and may pick a cheaper, slower mapping at a lower precision; the floor makes a layer
   * never slower than on a reference design as wide or wider in every width. `nominalTiming`: the
   * caller has pointed a pass-timed datapath at nothing, so the choice may be cached.
   */
  chooseMapping(layer: Layer, hw: RsHardware, nominalTiming = false): RsMapping {
    const floor = floorMapping(this, layer, hw);
    if (floor?.same) return floor.mapping;
    const choose = () => {
      const refs = floor ? [retimeMapping(floor.mapping, hw, this.units)] : [];
      // Replays memoised per candidate: the bound below asks again for one the choice has timed.
      const timed = new Map<RsMapping, number>();
      const time = (m: RsMapping) => timed.get(m) ?? timed.set(m, this.timeMapping(layer, m, 'arch').cycles).get(m)!;
      // Bound: the reference design's own cycles; the datapath's own mapping re-timed at the narrower profile.
      const bounds: (() => number)[] = floor ? [floor.cycles] : [];
      if (hw !== this.hw && narrowerOrEqual(hw, this.hw)) {
        const own = retimeMapping(this.mapLayer(layer), hw, this.units);
        refs.push(own);
        bounds.push(() => time(own));
      }
      return noSlowerThan(this.mapLayer(layer, hw), refs, time, this.options, bounds.length ? () => Math.min(...bounds.map((b) => b())) : undefined);
    };
    // A datapath that times passes itself replays what it was pointed at (not a function of the key),
    // unless the caller has pointed it at nothing (`nominalTiming`: nominal pass times).
    if ((this.passTimed && !nominalTiming) || !floor) return choose();
    return cachedFloor(JSON.stringify(['design', convShape(layer), hw, this.units, this.options, this.arch]), choose);
  }

  /** The mapping this design, as a reference of the precision floor, runs a layer on (cached). */
  referenceMapping(layer: Layer): RsMapping {
    return referenceMapping(this, layer);
  }

  /** The cycles of a layer on this reference design's floored mapping. */
  referenceCycles(layer: Layer): number {
    return referenceChoice(this, layer).cycles();
  }

  /** True when the PE's datapath times passes itself (its replays depend on what it was pointed at). */
  get passTimed(): boolean {
    return isPassTimed(this.array.pe.datapath);
  }

  /** The reference design at lattice point `r` on this array (built once per cost table). */
  referenceDesign(r: ReferenceWidths): EyerissAccelerator {
    const config = referenceArch(this.arch, r);
    const c = this.ctx;
    return oncePerTable(c.costs, JSON.stringify(config), () => new EyerissAccelerator({ ...c, ledger: new Ledger(), scheduler: new Scheduler() }, config));
  }

  /**
   * A mapped layer's cycles, stalls and access counts on mapping `m` (at its widths, `m.hw`) in
   * arch or reference mode, charging nothing (the scheduler is left reset): one run of a
   * data-dependent design's per-input runs, or a candidate of the mapping choice.
   */
  timeMapping(layer: Layer, m: RsMapping, mode: 'arch' | 'reference'): { cycles: number; stalls: { dram: number; glb: number; noc: number }; counts: RsCounts } {
    if (mode === 'reference') {
      this.refuseLarge(layer, macs(layer), 'MACs');
      const r = referenceRun(layer, m, { ...this.parts(), hw: m.hw }, this.passCyclesFn(layer, m));
      return { cycles: Math.max(1, r.cycles), stalls: { ...r.stalls }, counts: r.counts };
    }
    this.scheduler.reset();
    const { timeline, counts } = this.timeline(layer, m);
    const r = replay(timeline, this.replayResources(), this.scheduler);
    this.scheduler.reset();
    return { cycles: Math.max(1, r.cycles), stalls: { ...r.stalls }, counts };
  }

  /**
   * Power-gate the GLB banks mapping `m` does not use for the layer (residual leakage; the wake-up
   * energy is paid when a later layer needs them again); returns the banks left on.
   */
  gateBanks(m: RsMapping): number {
    const banks = Math.min(this.glb.banks, Math.max(1, Math.ceil(m.glbFootprintBits / 8 / this.glb.bankBytes)));
    this.glb.setActiveBanks(banks);
    return banks;
  }

  /** The hierarchy's components, for the pure functions that charge or time them. */
  parts(): { dram: Dram; glb: GlobalBuffer; noc: Noc; array: PeArray } {
    return { dram: this.dram, glb: this.glb, noc: this.noc, array: this.array };
  }

  /** Share of MACs gated because their input is zero (0 unless datapath.skipZeroActivations). */
  private zeroFraction(layer: Layer, trace: LayerTrace | undefined): number {
    if (!this.arch.datapath.skipZeroActivations || layer.kind === 'add' || layer.kind === 'pool') return 0;
    return zeroActivationFraction(layer, trace, this.archFile);
  }

  /** The per-pass compute time: the datapath's hook when it has one, else the nominal cycles. */
  passCyclesFn(layer: Layer, m: RsMapping): ((ps: PassView['pass']) => number) | undefined {
    const dp = this.array.pe.datapath;
    if (!isPassTimed(dp)) return undefined;
    return (pass) => dp.passCycles({ layer, mapping: m, pass, pes: (visit) => forEachPe(m, pass as never, visit) });
  }

  /** Per-pass durations of a mapped layer (at the widths the mapping was made for, `m.hw`), and the summed access counts. */
  timeline(layer: Layer, m: RsMapping): { timeline: PassTimeline; counts: RsCounts } {
    const tl = newTimeline(m.counts.passes, m.params.glbDepth, m.params.spadDepth);
    const counts = zeroCounts();
    const hook = this.passCyclesFn(layer, m);
    const parts = this.parts();
    const t = {} as ReturnType<typeof passTransfers>;
    forEachPass(m, (ps) => {
      const k = ps.index;
      addPassCounts(counts, ps);
      passTransfers(parts, ps, m.hw, t);
      tl.fetch[k] = t.fetch;
      tl.deliverNoc[k] = t.deliverNoc;
      tl.deliverGlb[k] = t.deliverGlb;
      tl.compute[k] = hook ? hook(ps) : ps.computeCycles;
      tl.ifmapStream[k] = t.ifmapStream;
      tl.psumStream[k] = t.psumStream;
      tl.glbStream[k] = t.glbStream;
      tl.writeback[k] = t.writeback;
    });
    return { timeline: tl, counts };
  }

  /** Closed-form counts of a mapping (for tests and the bench's sanity checks). */
  closedFormCounts(m: RsMapping): RsCounts {
    return countMapping(m.shape, m.hw, m.params);
  }

  replayResources(): ReplayResources {
    this.dram.channel.reset();
    this.glb.port.reset();
    this.noc.resetResources();
    return { dram: this.dram.channel, glbPort: this.glb.port, filterNet: this.noc.nets.filter, ifmapNet: this.noc.nets.ifmap, psumNet: this.noc.nets.psum };
  }

  private finish(layer: Layer, tl: PassTimeline, counts: RsCounts, hw: RsHardware, zeros: number, details: Record<string, unknown>): LayerRun {
    const r = replay(tl, this.replayResources(), this.scheduler);
    chargeCounts(this, counts, hw, zeros);
    return this.result(layer, r.cycles, r.stalls, details);
  }

  private result(layer: Layer, cycles: number, stalls: { dram: number; glb: number; noc: number }, details: Record<string, unknown>): LayerRun {
    const n = macs(layer);
    const c = Math.max(cycles, 1);
    return { cycles: c, utilization: n / (c * this.peakMacsPerCycle), stalls: { ...stalls }, details };
  }

  private refuseLarge(layer: Layer, work: number, what: string): void {
    const max = this.options.referenceMaxMacs;
    if (work > max) {
      die(
        `layer "${layer.name}" has ${work} ${what}, too large for --mode reference (limit ${max}, set eyeriss.referenceMaxMacs to raise it); use --mode arch or --layer to pick small layers`,
      );
    }
  }
}
