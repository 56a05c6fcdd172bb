import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorSources } from '../../lib/train/pose/error-sources.ts';
import { project, freihandScale } from '../../lib/data/geometry.ts';
import { meanBoneSumRatio, liftToCamera } from '../../lib/train/pose/lift.ts';
import { Rng } from '../../lib/util/rng.ts';
import type { Mat3 } from '../../lib/data/types.ts';

const K: Mat3 = [[500, 0, 112], [0, 500, 112], [0, 0, 1]];
const rng = new Rng(3);
// a hand-sized cloud of 21 joints half a metre in front of the camera
const hand = (): number[][] => Array.from({ length: 21 }, () => [rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05), 0.5 + rng.uniform(-0.03, 0.03)]);

test('error sources: a 2D error shows with true depths and vanishes with true 2D; a depth error the other way round', () => {
  // one hand shape moved about: every label has the same bone-sum ratio, so the lift of true 2D and depths is exact
  const shape = hand();
  const labels = [[0, 0, 0], [0.04, -0.02, 0.05], [-0.03, 0.03, -0.04]].map((t) => shape.map((p) => p.map((x, k) => x + t[k]))).map((xyz) => ({ xyz, K, scale: freihandScale(xyz) }));
  const ratio = meanBoneSumRatio(labels.map((l) => l.xyz));
  const depths = (xyz: number[][], s: number) => xyz.map((p) => (p[2] - xyz[0][2]) / s);
  const predict = (uv: number[][], z: number[], l: (typeof labels)[number]) => ({ uv, xyz: liftToCamera(uv, z, l.K, l.scale, ratio).xyz });

  const exact = errorSources(labels, labels.map((l) => predict(project(l.xyz, K), depths(l.xyz, l.scale), l)), ratio);
  assert.ok(exact.paMm < 1e-3 && exact.trueDepthPaMm < 1e-3 && exact.true2dPaMm < 1e-3 && exact.uvErrorPctOfBox < 1e-9, JSON.stringify(exact));

  // 2D off by 8 px per joint (in random directions), depths right
  const off2d = errorSources(labels, labels.map((l) => predict(project(l.xyz, K).map(([u, v]) => [u + rng.uniform(-8, 8), v + rng.uniform(-8, 8)]), depths(l.xyz, l.scale), l)), ratio);
  assert.ok(off2d.paMm > 1 && off2d.trueDepthPaMm > 1 && off2d.true2dPaMm < 1e-3 && off2d.uvErrorPctOfBox > 1, JSON.stringify(off2d));

  // depths off, 2D right
  const offZ = errorSources(labels, labels.map((l) => predict(project(l.xyz, K), depths(l.xyz, l.scale).map((z) => z + rng.uniform(-1, 1)), l)), ratio);
  assert.ok(offZ.paMm > 1 && offZ.true2dPaMm > 1 && offZ.trueDepthPaMm < 1e-3 && offZ.uvErrorPctOfBox < 1e-9, JSON.stringify(offZ));

  assert.throws(() => errorSources(labels, [], ratio), /3 labels for 0 predictions/);
});
