import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignPoses, jointAngles, angleDistributions, coverage, mmd2, comparePoseSets, ANGLE_NAMES } from '../../lib/hand/stats.ts';
import { definitionOffset, fitLinearAdapter, applyLinearAdapter, pairedErrors } from '../../lib/hand/topology.ts';
import { sampleUniformAngles, jointsOfAngles, randomRotation } from '../../lib/hand/sampler.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { Rng } from '../../lib/util/rng.ts';

const shape = genericHandRestShape();
function posedSet(n: number, seed: number, shrink = 0.6) {
  const rng = new Rng(seed);
  const rotations = new Float64Array(n * 3), translations = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) { rotations.set(randomRotation(rng), i * 3); translations.set([rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), rng.uniform(0.3, 0.6)], i * 3); }
  return jointsOfAngles(shape, sampleUniformAngles(n, seed, { shrink }), { rotations, translations }).j21;
}

test('alignment removes global rotation and translation; mirrored left hands align like right hands', () => {
  const a = jointsOfAngles(shape, sampleUniformAngles(3, 1)).j21;
  const b = new Float64Array(a.length);
  // rotate every pose by a fixed rotation and shift it
  const th = 1.1, c = Math.cos(th), s = Math.sin(th);
  for (let k = 0; k < a.length; k += 3) { b[k] = c * a[k] - s * a[k + 1] + 0.2; b[k + 1] = s * a[k] + c * a[k + 1] - 0.1; b[k + 2] = a[k + 2] + 0.5; }
  const A = alignPoses(a), B = alignPoses(b);
  for (let k = 0; k < A.length; k++) assert.ok(Math.abs(A[k] - B[k]) < 1e-12);
  const mirrored = Float64Array.from(a, (v, k) => (k % 3 === 0 ? -v : v));
  const M = alignPoses(mirrored, ['left', 'left', 'left']);
  for (let k = 0; k < A.length; k++) assert.ok(Math.abs(A[k] - M[k]) < 1e-12);
});

test('identical sets: zero MMD, full coverage at d = 0, zero angle distances; a shifted set is farther', () => {
  const a = alignPoses(posedSet(150, 3));
  const r0 = mmd2(a, a);
  assert.equal(r0.mmd2, 0);
  assert.deepEqual(coverage(a, a, [0]), [{ threshold: 0, fraction: 1 }]);
  const angA = jointAngles(posedSet(150, 3));
  assert.equal(angA.length, 150 * ANGLE_NAMES.length);
  for (const d of angleDistributions(angA, angA)) assert.equal(d.w1, 0);
  // shifted set: every joint except the wrist moved 1 cm along the palm normal
  const b = Float64Array.from(a, (v, k) => (k % 63 >= 3 && k % 3 === 2 ? v + 0.01 : v));
  const r1 = mmd2(a, b, { sigma: r0.sigma });
  assert.ok(r1.mmd2 > 0.01, `mmd² ${r1.mmd2}`);
  const cov = coverage(a, b, [0.005, 0.02]);
  assert.equal(cov[0].fraction, 0); assert.equal(cov[1].fraction, 1);
  // a different (broader) distribution is farther than a second sample of the same one
  const same = mmd2(a, alignPoses(posedSet(150, 4))).mmd2, broad = mmd2(a, alignPoses(posedSet(150, 4, 1))).mmd2;
  assert.ok(broad > same, `broad ${broad} vs same ${same}`);
  const angBroad = jointAngles(posedSet(150, 4, 1));
  const w = angleDistributions(angA, angBroad).map((d) => d.w1);
  assert.ok(w.some((x) => x > 0.05));
});

test('topology: known per-joint offset is recovered, its PA floor is positive, and the linear adapter removes it', () => {
  const A = posedSet(400, 8);
  // definition B: every finger joint slides 20% toward its child (tips 10% back toward the DIP), like surface- vs bone-head joints
  const B = new Float64Array(A.length);
  const child = [9, 2, 3, 4, -1, 6, 7, 8, -1, 10, 11, 12, -1, 14, 15, 16, -1, 18, 19, 20, -1];
  const parent = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19];
  for (let i = 0; i < 400; i++) for (let j = 0; j < 21; j++) for (let c = 0; c < 3; c++) {
    const o = i * 63;
    const p = A[o + j * 3 + c];
    B[o + j * 3 + c] = child[j] >= 0 ? p + 0.2 * (A[o + child[j] * 3 + c] - p) : p + 0.1 * (A[o + parent[j] * 3 + c] - p);
  }
  const off = definitionOffset(A, B);
  assert.ok(off.meanOffsetNorm[0] > 0.005, 'wrist moved toward the middle MCP');
  assert.ok(off.paMpjpeFloor > 0.001, `PA floor ${off.paMpjpeFloor}`);
  const zero = definitionOffset(A, A);
  assert.ok(zero.paMpjpeFloor < 1e-7 && Math.max(...zero.meanOffsetNorm) === 0, `identical definitions: floor ${zero.paMpjpeFloor}`);
  const ad = fitLinearAdapter(A.subarray(0, 300 * 63), B.subarray(0, 300 * 63));
  const pred = applyLinearAdapter(ad, A.subarray(300 * 63));
  const before = pairedErrors(A.subarray(300 * 63), B.subarray(300 * 63)), after = pairedErrors(pred, B.subarray(300 * 63));
  assert.ok(after.mpjpe < 0.1 * before.mpjpe, `held-out MPJPE ${before.mpjpe} → ${after.mpjpe}`);
});

test('chirality: model (right), mirrored hgc-dev (left) and Leap hands of both sides agree after mirroring', async () => {
  const { chiralityScores } = await import('../../lib/hand/stats.ts');
  const { readHgcDev, readLeapPoses } = await import('../../lib/data/pose-sets.ts');
  const { mirrorX } = await import('../../lib/hand/fit.ts');
  const { findKnownSet } = await import('../../lib/util/paths.ts');
  const positive = (s: Float64Array) => s.reduce((c, v) => c + (v > 0 ? 1 : 0), 0) / s.length;
  assert.equal(positive(chiralityScores(jointsOfAngles(shape, sampleUniformAngles(100, 1, { shrink: 0.8 })).j21)), 1);
  const hgc = readHgcDev();
  assert.ok(positive(chiralityScores(mirrorX(hgc.joints))) > 0.9, 'hgc-dev mirrored looks right-handed');
  assert.ok(positive(chiralityScores(hgc.joints)) < 0.1, 'hgc-dev as stored looks left-handed');
  const leap = readLeapPoses(`${findKnownSet('leap')}/confidence2.json.lz`);
  const right = leap.handedness.map((h, i) => (h === 'right' ? i : -1)).filter((i) => i >= 0), left = leap.handedness.map((h, i) => (h === 'left' ? i : -1)).filter((i) => i >= 0);
  const take = (idx: number[]) => { const o = new Float64Array(idx.length * 63); idx.forEach((s, k) => o.set(leap.joints.subarray(s * 63, s * 63 + 63), k * 63)); return o; };
  assert.ok(right.length > 100 && left.length > 100);
  assert.ok(positive(chiralityScores(take(right))) > 0.95, 'Leap right hands stay right-handed in the camera frame');
  assert.ok(positive(chiralityScores(mirrorX(take(left)))) > 0.95, 'Leap left hands mirrored');
});

test('size normalisation: a uniformly scaled copy of a set is at zero MMD once size is removed', () => {
  const j = posedSet(80, 12);
  const big = Float64Array.from(j, (v) => v * 1.2);
  const hand = new Array(80).fill('right');
  const metric = comparePoseSets(j, hand, big, hand), norm = comparePoseSets(j, hand, big, hand, { normalizeTo: 0.09 });
  assert.ok(metric.mmd.mmd2 > 1e-3, `metric ${metric.mmd.mmd2}`);
  assert.ok(norm.mmd.mmd2 < 1e-9, `normalised ${norm.mmd.mmd2}`);
  assert.equal(norm.coverage[0].fraction, 1);
});
