import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, shardRange, ALL } from '../../lib/util/shard.ts';
import { InputError } from '../../lib/util/errors.ts';

test('shards are contiguous blocks that cover every item once, sizes within one', () => {
  for (const [n, N] of [[10, 3], [7, 7], [5, 8], [1000, 16], [0, 2]]) {
    const seen = new Array(n).fill(0), sizes: number[] = [];
    let next = 0;
    for (let s = 0; s < N; s++) {
      const [lo, hi] = shardRange(n, { index: s, count: N });
      assert.equal(lo, next, `n=${n} N=${N}: shard ${s} starts where ${s - 1} ended`);
      next = hi; sizes.push(hi - lo);
      for (let i = lo; i < hi; i++) seen[i]++;
    }
    assert.ok(seen.every((c) => c === 1), `n=${n} N=${N}`);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  }
  assert.deepEqual(shardRange(9, ALL), [0, 9]);
});

test('parseShard: i/N with 0 ≤ i < N, no value = everything, bad values name the option', () => {
  assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  assert.deepEqual(parseShard(undefined), ALL);
  for (const bad of ['3/3', '1/0', 'a/b', '1', '-1/2']) assert.throws(() => parseShard(bad), (e: unknown) => e instanceof InputError && /--shard.*i\/N/.test((e as Error).message), bad);
});
