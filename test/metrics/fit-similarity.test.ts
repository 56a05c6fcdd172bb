import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSimilarity, similarityTrafo } from '../../lib/metrics/procrustes.ts';
import { rotvecMatrix } from '../../lib/hand/math3.ts';
import { det3 } from '../../lib/metrics/svd3.ts';
import { Rng } from '../../lib/util/rng.ts';

const apply = (R: ArrayLike<number>, s: number, t: number[], p: Float64Array) => Float64Array.from(p, (_, i) => {
  const r = i % 3, b = i - r;
  return s * (R[3 * r] * p[b] + R[3 * r + 1] * p[b + 1] + R[3 * r + 2] * p[b + 2]) + t[r];
});

test('fitSimilarity recovers a known similarity transform, weighted or not', () => {
  const rng = new Rng(4);
  const src = Float64Array.from({ length: 3 * 12 }, () => rng.normal(0, 0.05));
  const R = rotvecMatrix([0.3, -1.1, 0.7]), s = 1.37, t = [0.1, -0.2, 0.5];
  const dst = apply(R, s, t, src);
  for (const weights of [undefined, Float64Array.from({ length: 12 }, () => rng.uniform(0.2, 3))]) {
    const f = fitSimilarity(src, dst, { withScale: true, weights });
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(f.R[k] - R[k]) < 1e-10, `R[${k}]`);
    assert.ok(Math.abs(f.s - s) < 1e-10 && f.t.every((v, k) => Math.abs(v - t[k]) < 1e-10));
  }
  const rigid = fitSimilarity(src, dst, { withScale: false });
  assert.equal(rigid.s, 1);
});

test('fitSimilarity keeps a proper rotation where the scoring solver may reflect', () => {
  const rng = new Rng(5);
  const src = Float64Array.from({ length: 3 * 10 }, () => rng.normal(0, 0.05));
  const mirrored = Float64Array.from(src, (v, i) => (i % 3 === 0 ? -v : v));
  assert.ok(det3(fitSimilarity(src, mirrored).R) > 0.999);
  assert.ok(similarityTrafo(mirrored, src, 'allow').detR < -0.999, 'the official alignment allows the reflection');
});
