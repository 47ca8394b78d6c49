/**
 * How many entries of an ascending array are ≤ x, in O(1) per query instead of a binary search:
 * the inner loop of quantizers that map 10^7–10^8 values onto a few hundred levels (DNA-TEQ's
 * boundaries, LightNN's legal values). A table over x's float32 bit pattern (256 buckets per
 * octave, in the order of the numbers) gives the count at each bucket's low end; a step or two
 * either way then makes it the count for x itself, so the answer is exact for any number x —
 * the table only decides how many steps it takes.
 */
const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);
/** Bucket = ordered float32 key >>> this: 2^8 buckets per octave. */
const SHIFT = 15;

/** The float32 bit pattern as an unsigned key in the numbers' order (negatives flipped, −0 taken as +0). */
function orderedKey(x: number): number {
  F32[0] = x;
  const u = F32_BITS[0]!;
  return u === 0x80000000 ? 0x80000000 : (u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
}

/** The float32 whose ordered key is `key`. */
function fromKey(key: number): number {
  F32_BITS[0] = key >= 0x80000000 ? key & 0x7fffffff : ~key;
  return F32[0]!;
}

/**
 * count(x) = #{k : sorted[k] ≤ x}. Undefined when `sorted` is not ascending, not finite, or too
 * short or long for a table (the caller keeps its own search then).
 */
export function countAtMost(sorted: ArrayLike<number>): ((x: number) => number) | undefined {
  const n = sorted.length;
  if (n < 3 || n >= 65536) return undefined;
  for (let k = 0; k < n; k++) if (!Number.isFinite(sorted[k]!) || (k > 0 && !(sorted[k - 1]! <= sorted[k]!))) return undefined;
  const s0 = sorted[0]!;
  const s1 = sorted[1]!;
  const last = sorted[n - 1]!;
  const j0 = orderedKey(s1) >>> SHIFT;
  const size = (orderedKey(last) >>> SHIFT) - j0 + 1;
  const table = n < 256 ? new Uint8Array(size) : new Uint16Array(size);
  for (let j = 0, k = 0; j < size; j++) {
    const low = fromKey(((j + j0) << SHIFT) >>> 0);
    while (k < n && sorted[k]! <= low) k++;
    table[j] = k;
  }
  return (x) => {
    if (!(x >= s1)) return x >= s0 ? 1 : 0;
    if (x >= last) return n;
    // s1 ≤ x < last: the steps stop inside the array (sorted[1] ≤ x < sorted[n − 1]).
    let k = table[(orderedKey(x) >>> SHIFT) - j0]!;
    while (sorted[k]! <= x) k++;
    while (sorted[k - 1]! > x) k--;
    return k;
  };
}
