/**
 * The quantized schemes hosted on the systolic array: each scheme's own datapath and per-layer
 * logic (models/lightnn, models/fixedpoint, models/drq) with this array, its SRAMs and DRAM in
 * place of the Eyeriss-like hierarchy.
 */
import type { Scheme } from '../../sim/scheme.ts';
import type { ArrayHost } from '../common/datapath-factory.ts';
import { LightnnAccelerator } from '../lightnn/index.ts';
import { gengAccelerator, settleAccelerator } from '../fixedpoint/index.ts';
import { SystolicAccelerator } from './accelerator.ts';
import { SystolicDrqAccelerator } from './drq-accelerator.ts';
import { systolic } from './index.ts';

const onSystolic: ArrayHost = (ctx, arch, datapath) => new SystolicAccelerator(ctx, arch, datapath);

export const systolicLightnn: Scheme = {
  name: 'systolic-lightnn',
  description: 'LightNN (Ding et al.): shift-add units in place of multipliers, on the systolic array',
  modes: systolic.modes,
  sizedBy: systolic.sizedBy!,
  build: (ctx, arch) => new LightnnAccelerator(ctx, arch, onSystolic),
};

export const systolicGeng: Scheme = {
  name: 'systolic-geng',
  description: 'Geng et al.: fixed point with shift + round + clip requantization per module output, on the systolic array',
  modes: systolic.modes,
  sizedBy: systolic.sizedBy!,
  build: (ctx, arch) => gengAccelerator(ctx, arch, onSystolic),
};

export const systolicSettle: Scheme = {
  name: 'systolic-settle',
  description: 'Settle et al.: INT8 with calibrated scales and scale-multiply requantization, on the systolic array',
  modes: systolic.modes,
  sizedBy: systolic.sizedBy!,
  build: (ctx, arch) => settleAccelerator(ctx, arch, onSystolic),
};

export const systolicDrq: Scheme = {
  name: 'systolic-drq',
  description: 'DRQ (Song et al., ISCA 2020): variable-speed mixed-precision PEs on the systolic array, each fold as slow as its slowest row',
  modes: systolic.modes,
  sizedBy: systolic.sizedBy!,
  needsTrace: true,
  build: (ctx, arch) => new SystolicDrqAccelerator(ctx, arch),
};
