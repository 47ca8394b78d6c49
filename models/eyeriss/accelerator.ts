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
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, EnergyPerAccess, LayerRun, Mode } from '../../sim/scheme.ts';
import { macs, type Layer } from '../../sim/workload.ts';
import { die } from '../../sim/errors.ts';
import { Dram } from '../common/dram.ts';
import { GlobalBuffer } from '../common/global-buffer.ts';
import { Noc } from '../common/noc.ts';
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
import { newTimeline, replay, type PassTimeline, type ReplayResources } from './replay.ts';
import { chargeCounts, zeroCounts, addPassCounts } from './counts.ts';
import { elementwiseTimeline } from './elementwise.ts';
import { referenceRun } from './reference.ts';

/** Options of the `eyeriss` section of an arch config (configs/schema/eyeriss.schema.json). */
export interface EyerissOptions {
  mappingObjective?: MappingObjective;
  referenceMaxMacs?: number;
  maxPasses?: number;
}

/** Passes of one layer the arch mode replays at most by default: ~100 B and ~1 µs each, so ≤ 0.4 GB and seconds. */
export const DEFAULT_MAX_PASSES = 4_000_000;

const MAPPING_CACHE = new Map<string, RsMapping>();

/** Forget cached mappings (benchmarks of the cold path). */
export function clearMappingCache(): void {
  MAPPING_CACHE.clear();
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

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    datapath: DatapathFactory = standardDatapath,
  ) {
    this.scheduler = ctx.scheduler;
    this.archFile = ctx.archFile;
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.glb = new GlobalBuffer('glb', ctx, this.root, arch.globalBuffer);
    this.noc = new Noc('noc', ctx, this.root, arch.noc ?? {});
    this.array = new PeArray('array', ctx, this.root, arch, datapath);
    const opts = (arch.eyeriss ?? {}) as EyerissOptions;
    this.options = { mappingObjective: opts.mappingObjective ?? 'edp', referenceMaxMacs: opts.referenceMaxMacs ?? 2_000_000, maxPasses: opts.maxPasses ?? DEFAULT_MAX_PASSES };
    const pe = this.array.pe;
    const d = arch.datapath;
    this.hw = {
      rows: this.array.rows,
      cols: this.array.cols,
      ifmapSpadEntries: pe.ifmapSpad.words,
      filterSpadEntries: pe.filterSpad.words,
      psumSpadEntries: pe.psumSpad.words,
      glbBits: this.glb.bytes * 8,
      weightBits: d.weightBits,
      activationBits: d.activationBits,
      psumBits: d.psumBits ?? d.accumulatorBits ?? 32,
      cyclesPerMac: pe.datapath.cyclesPerMac,
      dramBytesPerCycle: this.dram.bytesPerCycle,
      nocBitsPerCycle: this.noc.bitsPerCycle,
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
    return {
      unit: `one ${bits}-bit word`,
      pj: {
        dram: this.dram.readBitEnergyPj * bits,
        glb: (this.glb.readEnergyPj * bits) / this.glb.wordBits,
        noc: this.noc.bitEnergyPj * bits,
        rf: pe.filterSpad.readEnergyPj,
        mac: pe.datapath.macEnergyPj ?? Number.NaN,
      },
    };
  }

  /**
   * The row-stationary mapping chosen for a conv-like layer. Cached per process by shape, hardware,
   * unit energies and objective (a pure function of them), so repeated shapes and repeated runs
   * (sweeps, ResNet blocks) search once.
   */
  mapLayer(layer: Layer): RsMapping {
    const sh = convShape(layer);
    const key = JSON.stringify([sh, this.hw, this.units, this.options.mappingObjective]);
    let m = MAPPING_CACHE.get(key);
    if (!m) {
      try {
        m = searchMappings(sh, this.hw, this.units, this.options.mappingObjective)[0]!;
      } catch (e) {
        if (e instanceof MappingError) die(`layer "${layer.name}": ${e.message}`, this.archFile, e.jsonPath);
        throw e;
      }
      MAPPING_CACHE.set(key, m);
    }
    return m;
  }

  runLayer(layer: Layer, mode: Mode): LayerRun {
    if (mode === 'opcount') return linearOpCount(this, layer, this.arch);
    if (layer.kind === 'add' || layer.kind === 'pool') {
      const plan = elementwiseTimeline(layer, this);
      this.glb.setActiveBanks(this.glb.banks);
      if (mode === 'reference') {
        this.refuseLarge(layer, plan.counts.adds, 'adds/compares');
        const r = referenceRun(layer, undefined, this, undefined, { tl: plan.timeline, tileOps: plan.tileOps, counts: plan.counts });
        chargeCounts(this, r.counts, this.hw);
        return this.result(layer, r.cycles, r.stalls, { ...plan.details, mode: 'reference' });
      }
      return this.finish(layer, plan.timeline, plan.counts, plan.details);
    }
    const m = this.mapLayer(layer);
    // GLB banks the mapping does not use are power-gated for the layer (residual leakage; the
    // wake-up energy is paid when a later layer needs them again).
    const banks = Math.min(this.glb.banks, Math.max(1, Math.ceil(m.glbFootprintBits / 8 / this.glb.bankBytes)));
    this.glb.setActiveBanks(banks);
    if (mode === 'reference') {
      this.refuseLarge(layer, macs(layer), 'MACs');
      const r = referenceRun(layer, m, this, this.passCyclesFn(layer, m));
      chargeCounts(this, r.counts, this.hw);
      return this.result(layer, r.cycles, r.stalls, { mapping: describeMapping(m), glbActiveBanks: banks, mode: 'reference' });
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
    return this.finish(layer, timeline, counts, { mapping: describeMapping(m), glbActiveBanks: banks });
  }

  /** The per-pass compute time: the datapath's hook when it has one, else the nominal cycles. */
  passCyclesFn(layer: Layer, m: RsMapping): ((ps: PassView['pass']) => number) | undefined {
    const dp = this.array.pe.datapath;
    if (!isPassTimed(dp)) return undefined;
    return (pass) => dp.passCycles({ layer, mapping: m, pass, pes: (visit) => forEachPe(m, pass as never, visit) });
  }

  /** Per-pass durations of a mapped layer, and the summed access counts. */
  timeline(layer: Layer, m: RsMapping): { timeline: PassTimeline; counts: RsCounts } {
    const hw = this.hw;
    const tl = newTimeline(m.counts.passes, m.params.glbDepth, m.params.spadDepth);
    const counts = zeroCounts();
    const hook = this.passCyclesFn(layer, m);
    const net = (bits: number) => Math.ceil(bits / this.noc.bitsPerCycle);
    forEachPass(m, (ps) => {
      const k = ps.index;
      addPassCounts(counts, ps);
      const filterBits = ps.filterWords * hw.weightBits;
      tl.fetch[k] = this.dram.cyclesFor(Math.ceil((ps.dramIfmapWords * hw.activationBits + ps.dramFilterWords * hw.weightBits) / 8));
      tl.deliverNoc[k] = net(filterBits);
      tl.deliverGlb[k] = this.glb.cyclesFor(Math.ceil(filterBits / 8));
      tl.compute[k] = hook ? hook(ps) : ps.computeCycles;
      const ifmapBits = ps.ifmapWords * hw.activationBits;
      const psumBits = (ps.psumInWords + ps.psumOutWords) * hw.psumBits;
      tl.ifmapStream[k] = net(ifmapBits);
      tl.psumStream[k] = net(psumBits);
      tl.glbStream[k] = this.glb.cyclesFor(Math.ceil((ifmapBits + psumBits) / 8));
      tl.writeback[k] = ps.dramOutputWords > 0 ? this.dram.cyclesFor(Math.ceil((ps.dramOutputWords * hw.activationBits) / 8)) : 0;
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

  private finish(layer: Layer, tl: PassTimeline, counts: RsCounts, details: Record<string, unknown>): LayerRun {
    const r = replay(tl, this.replayResources(), this.scheduler);
    chargeCounts(this, counts, this.hw);
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
