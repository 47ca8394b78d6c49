import type { Scheme } from '../../sim/scheme.ts';
import { DrqAccelerator } from './accelerator.ts';

export const drq: Scheme = {
  name: 'drq',
  description: 'DRQ: dynamic region-based quantization on a variable-speed mixed-precision array (Song et al., ISCA 2020)',
  modes: ['opcount', 'arch', 'reference'],
  needsTrace: true,
  build: (ctx, arch) => new DrqAccelerator(ctx, arch),
};
