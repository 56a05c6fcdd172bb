/**
 * Sharding, one scheme for every sharded job (rendered samples, experiment points): shard i of N ("i/N",
 * 0-based) takes the contiguous block [floor(n·i/N), floor(n·(i+1)/N)) of the n items in their order. Blocks
 * cover every item exactly once, and their sizes differ by at most one.
 */
import { InputError } from './errors.ts';

export interface Shard { index: number; count: number }

/** The whole job as one shard. */
export const ALL: Shard = { index: 0, count: 1 };

/** Parse "i/N" (0 ≤ i < N); no value means the whole job. */
export function parseShard(s: string | undefined, where = '--shard'): Shard {
  if (s === undefined || s === '') return ALL;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new InputError(where, `must be i/N with 0 ≤ i < N (e.g. 0/4), got "${s}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** Items [lo, hi) of `shard` over n items. */
export function shardRange(n: number, shard: Shard): [number, number] {
  return [Math.floor((n * shard.index) / shard.count), Math.floor((n * (shard.index + 1)) / shard.count)];
}
