/**
 * For designs built on the Eyeriss-like hierarchy (DRQ, the OLAccel-style point): the parts of
 * the EyerissAccelerator they wrap, under the names the rest of the code and the tests use.
 */
import type { Group } from '../../sim/component.ts';
import type { Dram } from '../common/dram.ts';
import type { GlobalBuffer } from '../common/global-buffer.ts';
import type { Noc } from '../common/noc.ts';
import type { PeArray } from './pe-array.ts';
import type { EyerissAccelerator } from './accelerator.ts';

export abstract class OnEyerissHierarchy {
  abstract readonly eyeriss: EyerissAccelerator;

  get root(): Group {
    return this.eyeriss.root;
  }
  get dram(): Dram {
    return this.eyeriss.dram;
  }
  get glb(): GlobalBuffer {
    return this.eyeriss.glb;
  }
  get noc(): Noc {
    return this.eyeriss.noc;
  }
  get array(): PeArray {
    return this.eyeriss.array;
  }
}
