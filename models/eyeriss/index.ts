import type { Scheme } from '../../sim/scheme.ts';
import { EyerissAccelerator } from './accelerator.ts';

export const eyeriss: Scheme = {
  name: 'eyeriss',
  description: 'Eyeriss-like row-stationary PE array with scratchpads, global buffer, NoC and DRAM (Chen et al., ISCA 2016 / JSSC 2017)',
  modes: ['arch', 'reference', 'opcount'],
  build: (ctx, arch) => new EyerissAccelerator(ctx, arch),
};
