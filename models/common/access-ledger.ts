/**
 * The per-level traffic of one layer, counted the same way on either array (the Eyeriss-like one:
 * DRAM, GLB, NoC, neighbour links, scratchpads; the systolic one: DRAM, operand SRAMs, PE
 * registers): for each tensor and each level it crosses, the values read, written, filled from the
 * level above and drained to it, and the bits one value takes there — the tensor's own width plus
 * its metadata, so narrow values pack at every level (a 64-bit GLB row holds 16 INT4 values).
 * `chargeLedger` turns it into the components' accesses through each level's port (the packing
 * rule of that storage); `ledgerStats` into the report's per-tensor statistics and reuse
 * (`details.tensors`, `run --detail`). One interface, so a scheme that changes a tensor's width
 * (models/common/tensor-widths.ts) changes it at every level of either array the same way.
 */

export type TensorName = 'weights' | 'inputs' | 'outputs';

/** The order a shared storage sums its tensors' bits in (fixed: the sums are bit-for-bit reproducible). */
const SUM_ORDER: readonly TensorName[] = ['inputs', 'weights', 'outputs'];

/** Values of one tensor crossing one level, and the bits each takes there. */
export interface LevelTraffic {
  /** Values read towards the PEs (or, at a PE's storage, by its datapath). */
  reads?: number;
  /** Values written from the PE side (partial sums coming back). */
  writes?: number;
  /** Values written into this level from the level above (a buffer filled from DRAM, a spad from the NoC). */
  fills?: number;
  /** Values read out to the level above (finished outputs on their way to DRAM): a read, but no reuse. */
  drains?: number;
  /** Bits per value at this level (metadata included where it travels with the value). */
  bits: number;
}

/** A layer's traffic: tensor → level → values, levels in the order the report lists them. */
export interface AccessLedger {
  readonly macs: number;
  readonly tensors: Record<TensorName, Record<string, LevelTraffic>>;
}

/** Bits a level reads for one tensor (towards the PEs and out to the level above). */
export function readBits(t: LevelTraffic): number {
  return ((t.reads ?? 0) + (t.drains ?? 0)) * t.bits;
}

/** Bits a level writes for one tensor (from the PEs and from the level above). */
export function writeBits(t: LevelTraffic): number {
  return ((t.writes ?? 0) + (t.fills ?? 0)) * t.bits;
}

/** Bits crossing a level for one tensor in either direction (a link). */
export function movedBits(t: LevelTraffic): number {
  return ((t.reads ?? 0) + (t.drains ?? 0) + (t.writes ?? 0) + (t.fills ?? 0)) * t.bits;
}

/** Something that is charged by the bit (DRAM) or converts bits to its own accesses (a GLB row). */
export interface BitPort {
  read(bits: number): void;
  write(bits: number): void;
}

/**
 * How a level is charged: one storage holding every tensor (`shared`: the tensors' bits are summed,
 * then charged once per direction — DRAM, the GLB), or one storage per tensor (`each`: a port per
 * tensor, called in the order given — spads, operand SRAMs, the NoC's networks).
 */
export type LevelPort = { readonly shared: BitPort } | { readonly each: Partial<Record<TensorName, (t: LevelTraffic) => void>> };

/** Charge every level of `ledger` that has a port (levels only reported, without a port, are not charged). */
export function chargeLedger(ledger: AccessLedger, ports: Readonly<Record<string, LevelPort>>): void {
  for (const [level, port] of Object.entries(ports)) {
    if ('shared' in port) {
      let r = 0;
      let w = 0;
      for (const name of SUM_ORDER) {
        const t = ledger.tensors[name][level];
        if (!t) continue;
        r += readBits(t);
        w += writeBits(t);
      }
      port.shared.read(r);
      port.shared.write(w);
    } else {
      for (const [name, charge] of Object.entries(port.each) as [TensorName, (t: LevelTraffic) => void][]) {
        const t = ledger.tensors[name][level];
        if (t) charge(t);
      }
    }
  }
}

/** A storage of fixed word width, charged per word access. */
export interface WordStorage {
  readonly wordBits: number;
  read(words: number): void;
  write(words: number): void;
}

/**
 * A per-tensor port on a storage of `wordBits` words: an access touches the value's share of the
 * word's bitlines (a 4-bit value in an 8-bit entry is half an access; the table's SRAM energy is
 * linear in bits), factor 1 when the value is as wide as the word. `readFraction` scales the reads
 * (zero gating: reads of pairs whose input is zero are not made).
 */
export function wordPort(s: WordStorage, readFraction = 1): (t: LevelTraffic) => void {
  return (t) => {
    const share = t.bits / s.wordBits;
    s.read(((t.reads ?? 0) + (t.drains ?? 0)) * share * readFraction);
    s.write(((t.writes ?? 0) + (t.fills ?? 0)) * share);
  };
}

/** One level of one tensor in the report: the ledger's values (drains counted as reads) and the reuse. */
export interface LevelAccesses {
  reads?: number;
  writes?: number;
  /** Values written into this level from the level above (GLB fills from DRAM, spad fills from the NoC). */
  fills?: number;
  /** MACs per access at this level (reads and writes on the PE side): how often each value fetched here is used. */
  macsPerAccess: number;
}

export type TensorStats = Record<TensorName, Record<string, LevelAccesses>>;

const reuse = (macs: number, accesses: number) => (accesses > 0 ? Number((macs / accesses).toPrecision(4)) : 0);

/** The report's per-tensor statistics (Timeloop's stats file in spirit), fields in the ledger's order. */
export function ledgerStats(ledger: AccessLedger): TensorStats {
  const out = {} as TensorStats;
  for (const [name, levels] of Object.entries(ledger.tensors) as [TensorName, Record<string, LevelTraffic>][]) {
    const byLevel: Record<string, LevelAccesses> = {};
    for (const [level, t] of Object.entries(levels)) {
      const a = {} as LevelAccesses;
      for (const k of Object.keys(t) as (keyof LevelTraffic)[]) {
        if (k === 'bits' || t[k] === undefined) continue;
        if (k === 'reads' || k === 'drains') a.reads = (a.reads ?? 0) + t[k]!;
        else a[k] = t[k];
      }
      a.macsPerAccess = reuse(ledger.macs, (t.reads ?? 0) + (t.writes ?? 0));
      byLevel[level] = a;
    }
    out[name] = byLevel;
  }
  return out;
}
