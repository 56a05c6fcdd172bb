/** Projection, scale normalisation, crop intrinsics and mirroring; a real crop of an hgc-dev image. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { project, freihandScale, rootRelative, scaleNormalised, denormalise, handCropBox, cropK, mirrorSample } from '../../lib/data/geometry.ts';
import { cropHand } from '../../lib/data/crop.ts';
import { readFreihand } from '../../lib/data/freihand.ts';
import { findKnownSet } from '../../lib/util/paths.ts';
import type { Mat3 } from '../../lib/data/types.ts';

const K: Mat3 = [[500, 0, 120], [0, 480, 100], [0, 0, 1]];
const xyz = Array.from({ length: 21 }, (_, j) => [0.01 * Math.sin(j), 0.02 * Math.cos(j), 0.5 + 0.003 * j]);

test('project: uv = (K xyz)/z', () => {
  const uv = project([[0.1, -0.05, 0.5]], K);
  assert.deepEqual(uv, [[500 * 0.2 + 120, 480 * -0.1 + 100]]);
});

test('scale: |xyz[10]-xyz[9]|, normalise and back', () => {
  const s = freihandScale(xyz);
  assert.equal(s, Math.hypot(xyz[10][0] - xyz[9][0], xyz[10][1] - xyz[9][1], xyz[10][2] - xyz[9][2]));
  const n = scaleNormalised(xyz);
  assert.deepEqual(n[0], [0, 0, 0]);
  assert.ok(Math.abs(freihandScale(n) - 1) < 1e-12);
  const back = denormalise(n, xyz[0], s);
  back.forEach((p, j) => p.forEach((v, c) => assert.ok(Math.abs(v - xyz[j][c]) < 1e-15)));
  assert.deepEqual(rootRelative(xyz, 0)[3], [xyz[3][0] - xyz[0][0], xyz[3][1] - xyz[0][1], xyz[3][2] - xyz[0][2]]);
});

test('crop intrinsics: projecting with cropK equals cropping then scaling the projections', () => {
  const uv = project(xyz, K);
  const box = handCropBox(uv, 0.2);
  const Kc = cropK(K, box, 64);
  const uvc = project(xyz, Kc);
  uv.forEach(([u, v], j) => {
    assert.ok(Math.abs((u - box.x) * (64 / box.size) - uvc[j][0]) < 1e-9);
    assert.ok(Math.abs((v - box.y) * (64 / box.size) - uvc[j][1]) < 1e-9);
  });
  uvc.forEach(([u, v]) => assert.ok(u > 0 && v > 0 && u < 64 && v < 64, 'joints inside the crop'));
});

test('mirror: image u → W - u', () => {
  const W = 256;
  const m = mirrorSample(xyz, K, W);
  const a = project(xyz, K), b = project(m.xyz, m.K);
  a.forEach(([u, v], j) => { assert.ok(Math.abs(W - u - b[j][0]) < 1e-9); assert.ok(Math.abs(v - b[j][1]) < 1e-12); });
});

const hgc = findKnownSet('hgc-dev');
test('cropHand on a real hgc-dev image: 128×128, joints inside, K consistent', { skip: !hgc }, async () => {
  const s = readFreihand(hgc!, { indices: [5] }).samples[0];
  const c = await cropHand(s, 128);
  assert.equal(c.image.width, 128);
  assert.equal(c.image.data.length, 128 * 128 * 3);
  c.uv.forEach(([u, v]) => assert.ok(u >= 0 && v >= 0 && u < 128 && v < 128));
  assert.deepEqual(c.uv, project(s.xyz!, c.K));
});
