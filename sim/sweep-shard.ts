/** Shards of a sweep: `--shard i/N`, a deterministic slice of the points (a cluster job array covers a sweep with no shared service). */
import { die } from './errors.ts';

/** `i/N` (1-based, as jest and GNU parallel count) → the shard. */
export function parseShard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) die(`--shard must be i/N with 1 <= i <= N, got "${s}"`);
  return { index, count };
}

/** The deterministic slice of shard i of N: every N-th point, starting at the i-th (round-robin balances regions of the grid). */
export function shardPoints<T>(points: readonly T[], shard: { index: number; count: number }): T[] {
  return points.filter((_, i) => i % shard.count === shard.index - 1);
}
