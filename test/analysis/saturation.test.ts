import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitModel, fitBest, analyseSaturation, evalModel, fractionReaching } from '../../lib/analysis/saturation.ts';
import { Rng } from '../../lib/util/rng.ts';

const xs = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

test('exponential approach: recovers known parameters from noisy points and wins on AIC', () => {
  const truth = { model: 'exp' as const, a: 1.0, b: 0.9, c: 0.12 };
  const rng = new Rng(11);
  const ys = xs.map((x) => evalModel(truth, x) + rng.normal(0, 0.004));
  const f = fitModel('exp', xs, ys);
  assert.ok(Math.abs(f.a - 1.0) < 0.01, `a=${f.a}`);
  assert.ok(Math.abs(f.b - 0.9) < 0.08, `b=${f.b}`);
  assert.ok(Math.abs(f.c - 0.12) < 0.015, `c=${f.c}`);
  assert.equal(fitBest(xs, ys).best.model, 'exp');
  assert.equal(f.atBound, false);
  // a straight line has no saturation: the scale runs to its bound and says so
  assert.equal(fitModel('exp', xs, xs.map((x) => 2 - x)).atBound, true);
});

test('power law: recovers known parameters and wins on AIC', () => {
  const truth = { model: 'power' as const, a: 0.8, b: 0.2, c: 0.7 };
  const rng = new Rng(12);
  const ys = xs.map((x) => evalModel(truth, x) + rng.normal(0, 0.003));
  const f = fitModel('power', xs, ys);
  assert.ok(Math.abs(f.a - 0.8) < 0.03, `a=${f.a}`);
  assert.ok(Math.abs(f.c - 0.7) < 0.1, `c=${f.c}`);
  assert.equal(fitBest(xs, ys).best.model, 'power');
});

test('fractions reaching 90% / 97% with bootstrap intervals that cover the truth', () => {
  const truth = { model: 'exp' as const, a: 1.0, b: 0.9, c: 0.12 };
  const x90 = fractionReaching({ ...truth }, 0.9), x97 = fractionReaching({ ...truth }, 0.97);
  // analytic: a + b e^{-x/c} = (a + b e^{-1/c}) / p
  const exact = (p: number) => -truth.c * Math.log(((truth.a + truth.b * Math.exp(-1 / truth.c)) / p - truth.a) / truth.b);
  assert.ok(Math.abs(x90 - exact(0.9)) < 1e-6 && Math.abs(x97 - exact(0.97)) < 1e-6);
  const rng = new Rng(13);
  const ys = xs.map((x) => evalModel(truth, x) + rng.normal(0, 0.004));
  const r = analyseSaturation(xs, ys, { replicates: 200, seed: 1 });
  const [r90, r97] = r.reach;
  assert.ok(r90.lo <= exact(0.9) && exact(0.9) <= r90.hi, JSON.stringify(r90));
  assert.ok(r97.lo <= exact(0.97) && exact(0.97) <= r97.hi, JSON.stringify(r97));
  assert.ok(r90.fraction < r97.fraction);
  assert.ok(r97.hi - r97.lo < 0.15, 'interval is informative');
  assert.deepEqual(analyseSaturation(xs, ys, { replicates: 50, seed: 1 }).reach, analyseSaturation(xs, ys, { replicates: 50, seed: 1 }).reach);
});

test('bad input is named', () => {
  assert.throws(() => fitModel('exp', [0.1, 0.2, 0.3], [1, 2, 3]), /at least 4 points/);
  assert.throws(() => fitModel('exp', [0, 0.2, 0.3, 1], [1, 2, 3, 4]), /point 0.*not within \(0, 1\]/);
});
