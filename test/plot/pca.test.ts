import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitPca2, projectPca2, projectPoseSets } from '../../lib/plot/pca.ts';
import { Rng } from '../../lib/util/rng.ts';

test('fitPca2 recovers the two dominant directions of anisotropic data', () => {
  const rng = new Rng(5);
  // variance 100 along (1,1,0)/√2, 9 along z, 0.01 along (1,-1,0)/√2
  const rows = Array.from({ length: 400 }, () => {
    const a = rng.normal(0, 10), b = rng.normal(0, 3), c = rng.normal(0, 0.1);
    return [(a + c) / Math.SQRT2 + 5, (a - c) / Math.SQRT2, b];
  });
  const p = fitPca2(rows);
  assert.ok(Math.abs(Math.abs(p.axes[0][0]) - Math.SQRT1_2) < 0.02 && Math.abs(p.axes[0][2]) < 0.05, `axis 1 ${Array.from(p.axes[0])}`);
  assert.ok(Math.abs(Math.abs(p.axes[1][2]) - 1) < 0.02, `axis 2 ${Array.from(p.axes[1])}`);
  assert.ok(p.explained[0] > 0.85 && p.explained[1] > 0.05 && p.explained[0] + p.explained[1] < 1);
  const xy = projectPca2(p, rows);
  const varX = xy.reduce((s, q) => s + q[0] * q[0], 0) / xy.length;
  assert.ok(Math.abs(varX - 100) < 20, `projected variance ${varX}`);
  assert.throws(() => fitPca2([[1, 2], [3, 4], [3]]), /rows\[2\]/);
});

test('projectPoseSets: root-relative (translation does not move points), shared axes, labels', () => {
  const rng = new Rng(9);
  const pose = () => Array.from({ length: 21 }, () => [rng.normal(0, 0.03), rng.normal(0, 0.03), 0.5 + rng.normal(0, 0.03)]);
  const a = Array.from({ length: 20 }, pose);
  const shifted = a.map((p) => p.map((j) => [j[0] + 0.2, j[1] - 0.1, j[2] + 0.3]));
  const r = projectPoseSets([{ name: 'a', poses: a }, { name: 'a shifted', poses: shifted }]);
  r.sets[0].points.forEach((q, i) => { assert.ok(Math.abs(q[0] - r.sets[1].points[i][0]) < 1e-9); });
  assert.match(r.axisLabels[0], /^PC 1 \[\d+% var\.\]$/);
});
