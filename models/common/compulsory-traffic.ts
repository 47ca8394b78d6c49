/**
 * Compulsory traffic of one layer through DRAM, the global buffer and the NoC (op-count
 * fidelity): every tensor crosses each level once, at whatever storage width the scheme gives
 * it; partial sums are written to the buffer at `psumBits`. Returns the DRAM cycles it needs.
 */
import type { Dram } from './dram.ts';
import type { GlobalBuffer } from './global-buffer.ts';
import type { Noc } from './noc.ts';

export interface TensorBits {
  weightBits: number;
  inputBits: number;
  outputBits: number;
  outputs: number;
  psumBits: number;
}

export function chargeCompulsoryTraffic(parts: { dram: Dram; glb: GlobalBuffer; noc: Noc }, t: TensorBits): number {
  const { dram, glb, noc } = parts;
  const wordsOf = (bits: number) => Math.ceil(bits / glb.wordBits);
  const operands = t.weightBits + t.inputBits;
  dram.read(operands);
  dram.write(t.outputBits);
  glb.write(wordsOf(operands) + wordsOf(t.outputs * t.psumBits));
  glb.read(wordsOf(operands) + wordsOf(t.outputBits));
  noc.deliver(1, operands);
  noc.deliver(t.outputs, t.psumBits);
  return dram.cyclesFor((operands + t.outputBits) / 8);
}
