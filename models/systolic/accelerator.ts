/**
 * A TPU-like systolic array (Kung, IEEE Computer 1982; Jouppi et al., ISCA 2017) with the
 * memory system of SCALE-Sim v2 (Samajdar et al., ISPASS 2020): DRAM, three double-buffered
 * SRAMs (ifmap, filter, ofmap) and a rows × cols PE array running weight-, output- or
 * input-stationary folds of each layer's GEMM (fold-schedule.ts).
 *  - arch: every fold's compute time (the datapath's fold-timing hook when it has one, else
 *    SCALE-Sim's fold length); with `systolic.memoryStalls` the folds wait on the DRAM prefetch
 *    (prefetch-timeline.ts), without it the cycles are SCALE-Sim's compute cycles exactly.
 *  - opcount: the same operation counts, cycles = max(MACs / PEs, DRAM bits / bandwidth).
 * Energy: each MAC at the datapath's widths; the traffic at every level (DRAM, SRAMs, PE
 * registers) through the common per-level ledger (traffic-ledger.ts, models/common/access-ledger.ts),
 * which also gives the per-tensor statistics (`details.tensors`); leakage over the layer's cycles.
 */
import { Group, type BuildContext } from '../../sim/component.ts';
import type { ArchConfig } from '../../sim/arch.ts';
import type { Accelerator, EnergyPerAccess, LayerRun, Mode } from '../../sim/scheme.ts';
import type { LayerTrace } from '../../sim/trace.ts';
import { die } from '../../sim/errors.ts';
import { macs, outputCount, type Layer } from '../../sim/workload.ts';
import { Dram } from '../common/dram.ts';
import { wordEnergyPerAccess } from '../common/energy-per-access.ts';
import { standardDatapath, type DatapathFactory } from '../common/datapath-factory.ts';
import { gemmView } from './gemm-view.ts';
import { foldSchedule, forEachFold, type FoldSchedule } from './fold-schedule.ts';
import { ScratchpadSram } from './scratchpad-sram.ts';
import { SystolicArray } from './pe-array.ts';
import { dramPlan, readBits, writeBits, type LayerDramPlan } from './dram-traffic.ts';
import { prefetchTimeline } from './prefetch-timeline.ts';
import { sramBits, sramTooSmall, systolicParams, type SramName, type SystolicParams } from './params.ts';
import { foldComputeCycles } from './fold-timing.ts';
import { isFoldTimed } from '../common/timed-datapath.ts';
import { chargeElementwise } from './elementwise.ts';
import { systolicLedger, systolicPorts } from './traffic-ledger.ts';
import { chargeLedger, ledgerStats } from '../common/access-ledger.ts';
import { zeroActivationFraction } from '../common/zero-gating.ts';
import type { LayerProfile, TensorWidths } from '../common/tensor-widths.ts';

export class SystolicAccelerator implements Accelerator {
  readonly root: Group;
  readonly dram: Dram;
  readonly ifmapSram: ScratchpadSram;
  readonly filterSram: ScratchpadSram;
  readonly ofmapSram: ScratchpadSram;
  readonly array: SystolicArray;
  readonly params: SystolicParams;
  private readonly bits: Record<SramName, number>;
  private readonly file: string | undefined;

  constructor(
    ctx: BuildContext,
    readonly arch: ArchConfig,
    datapath: DatapathFactory = standardDatapath,
  ) {
    const file = ctx.archFile;
    this.file = file;
    this.params = systolicParams(arch, file);
    const small = sramTooSmall(arch, this.params);
    if (small) die(small.message, file, `/systolic/${small.sram}SramKib`);
    this.bits = sramBits(arch);
    this.root = new Group(arch.name, ctx);
    this.dram = new Dram('dram', ctx, this.root, arch.dram);
    this.ifmapSram = new ScratchpadSram('ifmap_sram', ctx, this.root, this.params.ifmapSramKib, this.bits.ifmap);
    this.filterSram = new ScratchpadSram('filter_sram', ctx, this.root, this.params.filterSramKib, this.bits.filter);
    this.ofmapSram = new ScratchpadSram('ofmap_sram', ctx, this.root, this.params.ofmapSramKib, this.bits.ofmap);
    this.array = new SystolicArray('array', ctx, this.root, arch, datapath, this.params.dataflow);
  }

  get peakMacsPerCycle(): number {
    return this.array.peCount / this.array.pe.datapath.cyclesPerMac;
  }

  /** The fold schedule of a conv-like layer on this array. */
  schedule(layer: Layer): FoldSchedule {
    return foldSchedule(gemmView(layer), this.params.dataflow, { rows: this.array.rows, cols: this.array.cols });
  }

  /** One access of one activation-width word at each level, as the ledger charges it. */
  energyPerAccess(): EnergyPerAccess {
    const pe = this.array.pe;
    return wordEnergyPerAccess(this.bits.ifmap, this.dram, { sram: this.ifmapSram.readEnergyPj, rf: pe.ifmapReg.readEnergyPj }, pe.datapath);
  }


  /** The layer's tensor widths: the profile's, else the datapath's (no metadata). */
  widths(profile?: LayerProfile): TensorWidths {
    const b = this.bits;
    return { weightBits: b.filter, inputBits: b.ifmap, outputBits: b.ifmap, psumBits: b.ofmap, inputMetaBits: 0, outputMetaBits: 0, ...profile?.widths };
  }

  /**
   * Run one layer. `profile` (models/common/tensor-widths.ts, the hook the Eyeriss-like array takes
   * too) sets each tensor's width through DRAM and the SRAMs and the nominal cycles per MAC.
   */
  runLayer(layer: Layer, mode: Mode, trace?: LayerTrace, profile?: LayerProfile): LayerRun {
    if (layer.kind === 'add' || layer.kind === 'pool') return chargeElementwise(this, layer, this.widths(profile));
    const s = this.schedule(layer);
    const w = this.widths(profile);
    const half = (sram: ScratchpadSram, bits: number) => Math.floor((sram.bankBytes * 8) / bits);
    const plan = dramPlan(
      layer,
      s,
      { inputBits: w.inputBits + w.inputMetaBits, weightBits: w.weightBits, psumBits: w.psumBits, outputBits: w.outputBits + w.outputMetaBits },
      { ifmap: half(this.ifmapSram, w.inputBits + w.inputMetaBits), filter: half(this.filterSram, w.weightBits), ofmap: half(this.ofmapSram, w.psumBits) },
    );
    // Zero gating, the rule the Eyeriss-derived designs share (models/common/zero-gating.ts): a MAC on a
    // zero input is not done and its weight register not read; the cycle stays in the schedule.
    const skip = this.arch.datapath.skipZeroActivations === true;
    const zeros = skip ? zeroActivationFraction(layer, trace, this.file) : 0;
    const ledger = systolicLedger(s, plan.values, outputCount(layer), w);
    chargeLedger(ledger, systolicPorts(this, zeros));
    this.array.pe.datapath.mac(s.macs * (1 - zeros));
    const details: Record<string, unknown> = {
      ...(skip ? { zeroActivationFraction: zeros } : {}),
      dataflow: s.dataflow,
      gemm: { ...s.map, groups: s.gemm.groups },
      folds: { rows: s.rowFolds, cols: s.colFolds, total: s.folds, cycles: s.foldCycles },
      sram: s.sram,
      mappingEfficiency: s.mappingEfficiency,
      computeUtilization: s.computeUtilization,
      resident: plan.resident,
      tensors: ledgerStats(ledger),
    };
    const n = macs(layer);
    if (mode === 'opcount') {
      const dramCycles = this.dram.cyclesFor((readBits(plan.total) + writeBits(plan.total)) / 8);
      const cycles = Math.max(1, Math.ceil(n / this.peakMacsPerCycle), dramCycles);
      return { cycles, utilization: n / (cycles * this.peakMacsPerCycle), details: { ...details, dramCycles } };
    }
    if (mode === 'reference') return die(`layer "${layer.name}": the systolic array has no reference mode; use --mode arch (its cycles are SCALE-Sim's) or opcount`);
    const dp = this.array.pe.datapath;
    // A datapath slower than one MAC per cycle streams each value for cyclesPerMac cycles.
    const cyclesPerMac = profile?.cyclesPerMac ?? dp.cyclesPerMac;
    const compute = isFoldTimed(dp) ? foldComputeCycles(dp, layer, s) : cyclesPerMac !== 1 ? new Array<number>(s.folds).fill(s.skewCycles + Math.ceil(s.map.T * cyclesPerMac)) : undefined;
    const computeCycles = compute ? compute.reduce((a, b) => a + b, 0) - 1 : s.computeCycles;
    let cycles = Math.max(1, computeCycles);
    let stalls = 0;
    if (this.params.memoryStalls) {
      const t = this.timeline(s, plan, compute);
      stalls = t.stallCycles;
      cycles = Math.max(1, computeCycles + stalls);
    }
    details.computeCycles = computeCycles;
    return { cycles, utilization: n / (cycles * this.peakMacsPerCycle), stalls: { dram: stalls }, details };
  }

  private timeline(s: FoldSchedule, plan: LayerDramPlan, compute: number[] | undefined) {
    const fetch = new Float64Array(s.folds);
    const drain = new Float64Array(s.folds);
    const comp = new Float64Array(s.folds);
    forEachFold(s, (f) => {
      const b = plan.perFold(f);
      fetch[f.index] = this.dram.cyclesFor(readBits(b) / 8);
      drain[f.index] = this.dram.cyclesFor(writeBits(b) / 8);
      comp[f.index] = compute ? compute[f.index]! : s.foldCycles;
    });
    return prefetchTimeline({ compute: comp, fetch, drain });
  }
}
