/**
 * The `systolic` section of an arch config (configs/schema/systolic.schema.json) and the one
 * hardware check the schema cannot make: each double-buffered SRAM half must hold what one fold
 * needs at once — the stationary operand's rows × cols block, or one wavefront (a column of
 * `rows` or a row of `cols` operands) of a streamed one.
 */
import { psumBitsOf, type ArchConfig } from '../../sim/arch.ts';
import { die } from '../../sim/errors.ts';
import type { Dataflow } from './gemm-view.ts';

export interface SystolicParams {
  readonly dataflow: Dataflow;
  readonly ifmapSramKib: number;
  readonly filterSramKib: number;
  readonly ofmapSramKib: number;
  /** With stalls off the array never waits for DRAM (SCALE-Sim's compute cycles). */
  readonly memoryStalls: boolean;
}

/** SCALE-Sim v2's defaults (scalesim/scale_config.py) where a config leaves a size out. */
export const SYSTOLIC_DEFAULTS = { ifmapSramKib: 256, filterSramKib: 256, ofmapSramKib: 128, memoryStalls: true } as const;

export type SramName = 'ifmap' | 'filter' | 'ofmap';

export function systolicParams(arch: ArchConfig, file?: string): SystolicParams {
  const s = arch.systolic as Partial<SystolicParams> | undefined;
  if (!s?.dataflow) return die('a systolic array needs a "systolic": { "dataflow": "ws" | "os" | "is" } section', file, '/systolic/dataflow');
  return { ...SYSTOLIC_DEFAULTS, ...s, dataflow: s.dataflow };
}

/** Operand widths of the three SRAMs: activations, weights, partial sums. */
export function sramBits(arch: ArchConfig): Record<SramName, number> {
  const d = arch.datapath;
  return { ifmap: d.activationBits, filter: d.weightBits, ofmap: psumBitsOf(d) };
}

/** Operands of each SRAM one fold needs resident in a half: the stationary block or one wavefront. */
export function foldWorkingSet(df: Dataflow, rows: number, cols: number): Record<SramName, number> {
  const block = rows * cols;
  if (df === 'ws') return { ifmap: rows, filter: block, ofmap: cols };
  if (df === 'os') return { ifmap: rows, filter: cols, ofmap: block };
  return { ifmap: block, filter: rows, ofmap: cols };
}

/** The first SRAM too small for one fold (with its need and capacity), or undefined. */
export function sramTooSmall(arch: ArchConfig, p: SystolicParams): { sram: SramName; message: string } | undefined {
  const need = foldWorkingSet(p.dataflow, arch.array.rows, arch.array.cols);
  const bits = sramBits(arch);
  const kib: Record<SramName, number> = { ifmap: p.ifmapSramKib, filter: p.filterSramKib, ofmap: p.ofmapSramKib };
  for (const sram of ['ifmap', 'filter', 'ofmap'] as const) {
    const halfWords = Math.floor((kib[sram] * 1024 * 8) / 2 / bits[sram]);
    if (halfWords < need[sram]) {
      return {
        sram,
        message: `${kib[sram]} KiB is too small for one ${p.dataflow} fold on a ${arch.array.rows}×${arch.array.cols} array: each half of the double buffer holds ${halfWords} ${bits[sram]}-bit operands, a fold needs ${need[sram]}`,
      };
    }
  }
  return undefined;
}
