import type { Scheme } from '../../sim/scheme.ts';
import { OlaccelAccelerator } from './accelerator.ts';

export const olaccel: Scheme = {
  name: 'olaccel',
  description: 'Outlier-aware accelerator in the spirit of OLAccel: 4-bit dense lanes, high-precision outliers on a separate path (Park, Kim, Yoo, ISCA 2018)',
  modes: ['opcount', 'arch', 'reference'],
  needsTrace: true,
  build: (ctx, arch) => new OlaccelAccelerator(ctx, arch),
};
