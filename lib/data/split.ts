/**
 * Train/test splits of a recording by blocks with a gap (pure). Consecutive frames of a recording are
 * near-duplicates, so a test frame whose neighbour was trained on flatters the model (the issue measured
 * it: a model scores 0.63× the mean pose on the last dev frames, 0.78× on later frames of the same
 * recording). The test set is one or more contiguous blocks of frame indices; every frame within `gap`
 * frames of a test block is left out of training, so no training frame is a neighbour of a test frame.
 */
import { InputError } from '../util/errors.ts';

export interface BlockSplitSpec {
  /** Number of frames in the set (indices 0..count−1, in recording order). */
  count: number;
  /** Test blocks as [first, last] inclusive frame indices. */
  test: Array<[number, number]>;
  /** Frames left out on each side of every test block (neither train nor test). */
  gap: number;
}

export interface BlockSplit { train: number[]; test: number[]; skipped: number[]; spec: BlockSplitSpec }

export function blockSplit(spec: BlockSplitSpec, where = 'split'): BlockSplit {
  const { count, test, gap } = spec;
  if (!Number.isInteger(count) || count < 1) throw new InputError(`${where}.count`, `expected a positive integer, got ${count}`);
  if (!Number.isInteger(gap) || gap < 0) throw new InputError(`${where}.gap`, `expected an integer ≥ 0, got ${gap}`);
  if (test.length === 0) throw new InputError(`${where}.test`, 'expected at least one test block');
  const role = new Int8Array(count); // 0 train, 1 test, 2 skipped
  test.forEach(([a, b], k) => {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b >= count || a > b) throw new InputError(`${where}.test[${k}]`, `expected [first, last] with 0 ≤ first ≤ last < ${count}, got [${a}, ${b}]`);
    for (let i = Math.max(0, a - gap); i <= Math.min(count - 1, b + gap); i++) if (role[i] === 0) role[i] = 2;
  });
  test.forEach(([a, b]) => { for (let i = a; i <= b; i++) role[i] = 1; });
  const pick = (r: number) => Array.from(role.keys()).filter((i) => role[i] === r);
  const out = { train: pick(0), test: pick(1), skipped: pick(2), spec };
  if (out.train.length === 0) throw new InputError(where, 'the test blocks and gaps leave no training frame');
  return out;
}

/** The last `testCount` frames as the test block, `gap` frames before it skipped, the rest for training. */
export function tailSplit(count: number, testCount: number, gap: number): BlockSplit {
  return blockSplit({ count, test: [[count - testCount, count - 1]], gap }, 'tailSplit');
}

/** Smallest distance (in frames) between any training frame and any test frame: > gap by construction. */
export function minTrainTestDistance(split: Pick<BlockSplit, 'train' | 'test'>): number {
  let best = Infinity;
  for (const t of split.test) for (const r of split.train) best = Math.min(best, Math.abs(t - r));
  return best;
}
