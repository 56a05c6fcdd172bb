import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { scorePredictions } from '../../lib/metrics/score.ts';
import { evaluateFreihand } from '../../lib/metrics/freihand-eval.ts';
import { constantPosePredictions, bestMatchPredictions, meanRootRelativePose, tInterval95, bootstrapInterval95, bootstrapRatioInterval95, tQuantile975, paError } from '../../lib/metrics/baselines.ts';
import { chirality, handednessOfSet } from '../../lib/hand/handedness.ts';
import { Rng } from '../../lib/util/rng.ts';
import { findKnownSet } from '../../lib/util/paths.ts';
import { readLabelJson } from '../../lib/data/json-labels.ts';

/** A plausible hand: wrist at the origin, five fingers of four joints fanning out along +y, curled towards +z. */
function hand(rng: Rng, curl = 0.3): Float64Array {
  const p = new Float64Array(63);
  for (let f = 0; f < 5; f++) {
    const ang = (f - 2) * 0.25, len = 0.03 + 0.01 * rng.random();
    let x = 0.02 * Math.sin(ang) + 0.003 * rng.normal(), y = 0.06 + 0.003 * rng.normal(), z = 0;
    for (let k = 0; k < 4; k++) {
      const j = 1 + 4 * f + k;
      p[3 * j] = x; p[3 * j + 1] = y; p[3 * j + 2] = z;
      x += len * Math.sin(ang); y += len * Math.cos(curl * (k + 1)); z += len * Math.sin(curl * (k + 1));
    }
  }
  return p;
}
const shifted = (p: Float64Array, d: number[]) => p.map((v, i) => v + d[i % 3]);
const mirrored = (p: Float64Array) => p.map((v, i) => (i % 3 === 0 ? -v : v));

test('scorePredictions: the FreiHAND report numbers, in mm, and the per-frame errors average to PA-MPJPE', () => {
  const rng = new Rng(3);
  const gt = Array.from({ length: 12 }, () => shifted(hand(rng), [0.01 * rng.normal(), 0, 0.5]));
  const pred = gt.map((g) => g.map((v) => v + 0.004 * rng.normal()));
  const s = scorePredictions({ gt, pred, seed: 1 });
  const r = evaluateFreihand({ gtXyz: gt, predXyz: pred });
  assert.equal(s.paMpjpeMm, r.xyz_aligned.mean_mm);
  assert.equal(s.mpjpeMm, r.xyz_root_relative.mean_mm);
  assert.equal(s.paAuc50, r.xyz_aligned.auc);
  assert.equal(s.perJointPaMm.length, 21);
  const meanFrame = s.perFramePaMm.reduce((a, b) => a + b, 0) / s.n;
  assert.ok(Math.abs(meanFrame - s.paMpjpeMm) < 1e-9, `${meanFrame} vs ${s.paMpjpeMm}`);
  assert.ok(s.paMpjpeInterval!.low < s.paMpjpeMm && s.paMpjpeMm < s.paMpjpeInterval!.high);
  // nested arrays (as the JSON readers give them) score the same
  const nested = (p: Float64Array) => Array.from({ length: 21 }, (_, j) => [p[3 * j], p[3 * j + 1], p[3 * j + 2]]);
  assert.equal(scorePredictions({ gt: gt.map(nested), pred: pred.map(nested), replicates: 0 }).paMpjpeMm, s.paMpjpeMm);
  assert.throws(() => scorePredictions({ gt, pred: pred.slice(1) }), /12 ground-truth frames .* but 11 predictions/);
});

test('baselines: constant pose is the mean root-relative training pose; the oracle finds the training pose of a test frame', () => {
  const rng = new Rng(5);
  const train = Array.from({ length: 30 }, () => shifted(hand(rng, 0.1 + 0.6 * rng.random()), [0.1 * rng.normal(), 0.1 * rng.normal(), 0.5]));
  const mean = meanRootRelativePose(train);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(mean[c]) < 1e-15, 'root at the origin');
  // a test frame equal to training pose 7, moved: its best match is 7 with zero error; the constant pose sits at its root
  const gt = [shifted(train[7], [0.2, -0.1, 0.3]), shifted(train[21], [0, 0, 0.1])];
  const bm = bestMatchPredictions(train, gt);
  assert.deepEqual(bm.trainIndex, [7, 21]);
  assert.ok(paError(gt[0], bm.predictions[0]) < 1e-6);
  const cp = constantPosePredictions(train, gt);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(cp[0][c] - gt[0][c]) < 1e-15);
  const pred = gt.map((g) => g.map((v) => v + 0.01 * rng.normal()));
  const s = scorePredictions({ gt, pred, train });
  assert.ok(s.bestMatch!.paMpjpeMm < 1e-3, String(s.bestMatch!.paMpjpeMm));
  assert.ok(s.constantPose!.paMpjpeMm > 0);
  assert.equal(s.ratioToConstantPose!.paMpjpe, s.paMpjpeMm / s.constantPose!.paMpjpeMm);
  const ri = s.ratioToConstantPose!.paMpjpeInterval!;
  assert.ok(ri.low <= ri.mean && ri.mean <= ri.high && Math.abs(ri.mean - s.ratioToConstantPose!.paMpjpe) < 1e-12, JSON.stringify(ri));
  assert.equal(scorePredictions({ gt, pred, train, replicates: 0 }).ratioToConstantPose!.paMpjpeInterval, null);
});

test('paired ratio interval: frames resampled jointly, so a model uniformly 0.8x of the baseline has a zero-width interval; noise widens it around the ratio', () => {
  const rng = new Rng(2);
  const den = Array.from({ length: 40 }, () => 10 + 20 * rng.random()); // frames of very different difficulty
  const exact = bootstrapRatioInterval95(den.map((d) => 0.8 * d), den, { seed: 1 });
  assert.ok(Math.abs(exact.low - 0.8) < 1e-12 && Math.abs(exact.high - 0.8) < 1e-12, JSON.stringify(exact));
  const noisy = bootstrapRatioInterval95(den.map((d) => 0.9 * d + 3 * rng.normal()), den, { seed: 1 });
  assert.ok(noisy.low < noisy.mean && noisy.mean < noisy.high && noisy.high - noisy.low < 0.15, JSON.stringify(noisy));
  // unpaired, the same per-frame spread makes the model's own interval wide: the paired one is what separates
  const own = bootstrapInterval95(den.map((d) => 0.9 * d), { seed: 1 });
  const rel = (i: { low: number; high: number; mean: number }) => (i.high - i.low) / i.mean;
  assert.ok(rel(own) > 2 * rel(noisy), `relative widths: unpaired ${rel(own).toFixed(3)}, paired ${rel(noisy).toFixed(3)}`);
  assert.deepEqual(bootstrapRatioInterval95([1, 2], [2, 2], { seed: 3 }), bootstrapRatioInterval95([1, 2], [2, 2], { seed: 3 }));
  assert.throws(() => bootstrapRatioInterval95([1], [1, 2]), /1 numerator and 2 denominator/);
});

test('intervals: t quantiles, t-interval over seeds, seeded bootstrap', () => {
  assert.equal(tQuantile975(1), 12.706);
  assert.equal(tQuantile975(4), 2.776);
  assert.ok(Math.abs(tQuantile975(120) - 1.98) < 0.001, String(tQuantile975(120)));
  const t = tInterval95([10, 12, 14]);
  // mean 12, sd 2, half width 4.303·2/√3
  assert.equal(t.mean, 12);
  assert.ok(Math.abs(t.high - 12 - (4.303 * 2) / Math.sqrt(3)) < 1e-12);
  assert.equal(tInterval95([5]).low, 5);
  const v = Array.from({ length: 200 }, (_, i) => i % 10);
  const a = bootstrapInterval95(v, { seed: 4 }), b = bootstrapInterval95(v, { seed: 4 }), c = bootstrapInterval95(v, { seed: 5 });
  assert.deepEqual(a, b);
  assert.notEqual(a.low, c.low);
  // standard error of the mean ≈ 2.87/√200 ≈ 0.2: the 95% interval is ≈ ±0.4 around 4.5
  assert.ok(a.low > 3.9 && a.low < 4.3 && a.high > 4.7 && a.high < 5.1, JSON.stringify(a));
});

test('handedness from labels: a mirrored hand flips; the real dev set reads as left', () => {
  const rng = new Rng(9);
  const h = hand(rng, 0.5);
  assert.ok(chirality(h) !== 0);
  assert.equal(Math.sign(chirality(mirrored(h))), -Math.sign(chirality(h)));
  const hgc = findKnownSet('hgc-dev');
  if (!hgc) return;
  const xyz = readLabelJson(path.join(hgc, 'evaluation_xyz.json')) as number[][][];
  const vote = handednessOfSet(xyz.map((p) => p.flat()));
  assert.equal(vote.hand, 'left');
  assert.ok(vote.agreement > 0.95, String(vote.agreement));
  assert.equal(handednessOfSet(xyz.map((p) => Array.from(mirrored(Float64Array.from(p.flat()))))).hand, 'right');
  assert.ok(fs.existsSync(hgc));
});
