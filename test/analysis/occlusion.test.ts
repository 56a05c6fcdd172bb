import { test } from 'node:test';
import assert from 'node:assert/strict';
import { occlusionFromMasks, occlusionFromLabels, projectJoints, errorByOcclusion, errorByOcclusionLevel, OCCLUDED_JOINT_LEVELS, histogram, convexHull, summariseOcclusion } from '../../lib/analysis/occlusion.ts';

const W = 40, H = 40;
function rectMask(x0: number, y0: number, x1: number, y1: number) {
  const d = new Float32Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) d[y * W + x] = 1;
  return { data: d, width: W, height: H };
}

test('occluded fraction and joints under an occluder from amodal masks', () => {
  const hand = rectMask(10, 10, 30, 30); // 400 px
  const occ = rectMask(20, 10, 40, 20); // covers hand x 20..29, y 10..19 = 100 px
  const uv = [[12.5, 12.5], [25.5, 15.5], [25.5, 25.5], [39.5, 5.5], [-3, 4]];
  const s = occlusionFromMasks(hand, occ, uv);
  assert.equal(s.handPixels, 400);
  assert.equal(s.occludedFraction, 0.25);
  assert.deepEqual(s.occludedJoints, [1]);
  assert.equal(s.jointsInImage, 4);
});

test('label-map occlusion estimates the amodal hand inside the joints hull', () => {
  // hand square 10..30 with an object covering its right half and extending outside the hand
  const labels = new Uint8Array(W * H);
  for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) labels[y * W + x] = 1;
  for (let y = 5; y < 35; y++) for (let x = 20; x < 38; x++) labels[y * W + x] = 3;
  const uv = [[10, 10], [30, 10], [30, 30], [10, 30], [20, 20]];
  const s = occlusionFromLabels({ data: labels, width: W, height: H }, uv, { marginPx: 0 });
  assert.equal(s.handPixels, 400); // visible 200 + occluded 200 inside the hull
  assert.equal(s.occludedFraction, 0.5);
  assert.deepEqual(s.occludedJoints, [1, 2, 4]); // (30,10), (30,30) and (20,20) land on object pixels; (10,*) on hand
});

test('projection, hull, histogram and error-by-occlusion', () => {
  const K = [[100, 0, 50], [0, 100, 40], [0, 0, 1]];
  assert.deepEqual(projectJoints([[0.1, -0.2, 1]], K), [[60, 20]]);
  assert.throws(() => projectJoints([[0, 0, -1]], K), /behind the camera/);
  assert.equal(convexHull([[0, 0], [2, 0], [2, 2], [0, 2], [1, 1]]).length, 4);
  assert.deepEqual(histogram([0, 0.05, 0.5, 1, NaN], 2).map((b) => b.count), [2, 2]);
  const rows = errorByOcclusion([0, 0.01, 0.1, 0.3, 0.6, 0.9], [1, 3, 5, 7, 9, 11]);
  assert.deepEqual(rows.map((r) => r.count), [2, 1, 1, 2]);
  assert.deepEqual(rows.map((r) => r.meanError), [2, 5, 7, 10]);
  assert.throws(() => errorByOcclusion([0], [1, 2]), /1 occlusion values but 2 errors/);
  const sum = summariseOcclusion([{ occludedFraction: 0.5, handPixels: 1, occludedJoints: [3], jointsInImage: 21 }, { occludedFraction: 0, handPixels: 1, occludedJoints: [], jointsInImage: 21 }]);
  assert.equal(sum.meanOccludedFraction, 0.25);
  assert.equal(sum.samplesWithOccludedJoint, 0.5);
  assert.equal(sum.jointOcclusionRate[3], 0.5);
});

test('error by occlusion level: per bin mean and paired bootstrap interval per method; a bin under minFrames gets none', () => {
  // 6 frames with 1–2 occluded joints, 2 with 3–5, none beyond
  const level = [1, 2, 1, 2, 1, 2, 4, 5];
  const model = [10, 12, 11, 13, 10, 12, 30, 40], constant = [20, 20, 20, 20, 20, 20, 20, 20];
  const rows = errorByOcclusionLevel(level, { model, constant }, OCCLUDED_JOINT_LEVELS, { minFrames: 3, seed: 7, replicates: 500 });
  assert.deepEqual(rows.map((r) => r.n), [6, 2, 0, 0]);
  assert.deepEqual(rows.map((r) => r.tooFew), [false, true, true, true]);
  assert.equal(rows[0].methods.model.mean, 68 / 6);
  const iv = rows[0].methods.model;
  assert.ok(iv.low! >= 10 && iv.low! < iv.mean && iv.high! > iv.mean && iv.high! <= 13, JSON.stringify(iv));
  // a constant error has a zero-width interval
  assert.deepEqual([rows[0].methods.constant.low, rows[0].methods.constant.high], [20, 20]);
  assert.equal(rows[1].methods.model.mean, 35);
  assert.equal(rows[1].methods.model.low, null);
  assert.ok(Number.isNaN(rows[2].methods.model.mean));
  // seeded: the same call gives the same interval
  assert.deepEqual(errorByOcclusionLevel(level, { model }, OCCLUDED_JOINT_LEVELS, { minFrames: 3, seed: 7, replicates: 500 })[0].methods.model, iv);
  assert.throws(() => errorByOcclusionLevel(level, { model: [1] }, OCCLUDED_JOINT_LEVELS), /error-by-occlusion-level\.model.*1 errors but 8/);
});
