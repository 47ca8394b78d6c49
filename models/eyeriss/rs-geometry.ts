/**
 * Row geometry of the row-stationary mapping: which ifmap rows a block of output rows × filter
 * rows reads, which PE positions hold data, and sums over strips and folds (closed forms).
 */
import type { ConvShape } from './mapping-types.ts';

export const cdiv = (a: number, b: number) => Math.ceil(a / b);

/** Rows of [a, b] inside [lo, hi]. */
function clipCount(a: number, b: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(b, hi) - Math.max(a, lo) + 1);
}

/** Valid (inside the unpadded input) ifmap rows of output rows [e0, e0+eLen) × filter rows [r0, r0+rLen). */
export function ifmapRows(sh: ConvShape, e0: number, eLen: number, r0: number, rLen: number): number {
  const lo = sh.padH;
  const hi = sh.padH + sh.H - 1;
  const first = e0 * sh.strideH + r0 * sh.dilationH;
  const span = (rLen - 1) * sh.dilationH;
  if (sh.dilationH === 1) {
    // Windows of rLen contiguous rows every strideH rows: one run when they overlap or touch.
    if (sh.strideH <= rLen) return clipCount(first, first + (eLen - 1) * sh.strideH + span, lo, hi);
    let count = 0;
    for (let j = 0; j < eLen; j++) count += clipCount(first + j * sh.strideH, first + j * sh.strideH + span, lo, hi);
    return count;
  }
  // Dilated filters: mark the rows read (windows with holes may interleave).
  const last = first + (eLen - 1) * sh.strideH + span;
  const seen = new Uint8Array(last - first + 1);
  let count = 0;
  for (let j = 0; j < eLen; j++) {
    for (let i = 0; i < rLen; i++) {
      const row = first + j * sh.strideH + i * sh.dilationH;
      if (seen[row - first] || row < lo || row > hi) continue;
      seen[row - first] = 1;
      count++;
    }
  }
  return count;
}

/** PE positions (i, j) of the block whose ifmap row lies inside the unpadded input. */
export function validPePairs(sh: ConvShape, e0: number, eLen: number, r0: number, rLen: number): number {
  let count = 0;
  for (let j = 0; j < eLen; j++) {
    for (let i = 0; i < rLen; i++) {
      const row = (e0 + j) * sh.strideH + (r0 + i) * sh.dilationH;
      if (row >= sh.padH && row < sh.padH + sh.H) count++;
    }
  }
  return count;
}

/** Rows of strip [e0, e0+eLen) (all filter rows) not read by earlier strips: the resident ifmap's DRAM fetch. */
export function newRowsOfStrip(sh: ConvShape, e0: number, eLen: number): number {
  const all = ifmapRows(sh, 0, e0 + eLen, 0, sh.R);
  const before = e0 > 0 ? ifmapRows(sh, 0, e0, 0, sh.R) : 0;
  return all - before;
}

/** Σ over the blocks of `total` cut into blocks of `blk` of ⌈block / per⌉ (per-PE share, lockstep). */
export function sumShares(total: number, blk: number, per: number): number {
  const full = Math.floor(total / blk);
  const rem = total % blk;
  return full * cdiv(blk, per) + (rem ? cdiv(rem, per) : 0);
}

/** Channel sets that actually work on a block of `c` channels spread over `r` sets. */
export function activeSets(c: number, r: number): number {
  return cdiv(c, cdiv(c, r));
}

/** Σ over channel blocks of the active channel sets. */
export function sumActiveSets(total: number, blk: number, r: number): number {
  const full = Math.floor(total / blk);
  const rem = total % blk;
  return full * activeSets(blk, r) + (rem ? activeSets(rem, r) : 0);
}

/** Sums over the strips and R folds of a layer cut into strips of `eBlk` output rows and folds of `rh` filter rows. */
export interface StripSums {
  EB: number;
  RF: number;
  /** Σ ifmap rows read per (strip, fold); Σ valid PE positions; Σ rows new to each strip; Σ rLen·eLen. */
  rows: number;
  pairs: number;
  newRows: number;
  rLenELen: number;
}

export function stripSums(sh: ConvShape, eBlk: number, rh: number): StripSums {
  const EB = cdiv(sh.P, eBlk);
  const RF = cdiv(sh.R, rh);
  const sums: StripSums = { EB, RF, rows: 0, pairs: 0, newRows: 0, rLenELen: 0 };
  for (let eb = 0; eb < EB; eb++) {
    const e0 = eb * eBlk;
    const eLen = Math.min(eBlk, sh.P - e0);
    sums.newRows += newRowsOfStrip(sh, e0, eLen);
    for (let rf = 0; rf < RF; rf++) {
      const r0 = rf * rh;
      const rLen = Math.min(rh, sh.R - r0);
      sums.rows += ifmapRows(sh, e0, eLen, r0, rLen);
      sums.pairs += validPePairs(sh, e0, eLen, r0, rLen);
      sums.rLenELen += rLen * eLen;
    }
  }
  return sums;
}
