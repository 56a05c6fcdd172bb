import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nestedSubsets, sampleUniformAngles, fitAnglePrior, samplePriorAngles, jointsOfAngles, SATURATION_FRACTIONS, randomRotation } from '../../lib/hand/sampler.ts';
import { N_DOF, DOF_MIN, DOF_MAX } from '../../lib/hand/model.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { readHgcDev, readLeapPoses, readXyzJson, writePoseFile, readPoseFile, loadPoseSource, poseSetFromArrays, poseAt, type PoseSet } from '../../lib/data/pose-sets.ts';
import { findKnownSet } from '../../lib/util/paths.ts';
import { InputError } from '../../lib/util/errors.ts';
import { Rng } from '../../lib/util/rng.ts';
import { rotvecMatrix } from '../../lib/hand/math3.ts';

test('nested subsets: nested, deterministic, sized by fraction, seed-dependent', () => {
  const a = nestedSubsets(300, SATURATION_FRACTIONS, 5), b = nestedSubsets(300, SATURATION_FRACTIONS, 5);
  assert.deepEqual(a, b);
  for (let k = 1; k < a.length; k++) {
    const big = new Set(a[k].indices);
    assert.ok(a[k - 1].indices.every((i) => big.has(i)), `${a[k - 1].fraction} ⊂ ${a[k].fraction}`);
    assert.equal(a[k].indices.length, Math.round(a[k].fraction * 300));
  }
  assert.equal(new Set(a[9].indices).size, 300);
  assert.notDeepEqual(nestedSubsets(300, [0.1], 6)[0].indices, a[0].indices);
  assert.throws(() => nestedSubsets(10, [0], 1));
});

test('uniform sampler stays within limits, covers them and is seeded', () => {
  const x = sampleUniformAngles(2000, 1);
  assert.deepEqual(x, sampleUniformAngles(2000, 1));
  assert.notDeepEqual(x.subarray(0, N_DOF), sampleUniformAngles(1, 2));
  for (let k = 0; k < N_DOF; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < 2000; i++) { const v = x[i * N_DOF + k]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    assert.ok(lo >= DOF_MIN[k] && hi <= DOF_MAX[k]);
    const range = DOF_MAX[k] - DOF_MIN[k];
    assert.ok(lo < DOF_MIN[k] + 0.02 * range && hi > DOF_MAX[k] - 0.02 * range, `dof ${k} covered`);
  }
  const q = randomRotation(new Rng(1));
  const R = rotvecMatrix(q);
  assert.ok(Math.abs(R[0] * (R[4] * R[8] - R[5] * R[7]) - R[1] * (R[3] * R[8] - R[5] * R[6]) + R[2] * (R[3] * R[7] - R[4] * R[6]) - 1) < 1e-12);
});

test('Gaussian prior fitted to samples reproduces their mean and spread', () => {
  const rng = new Rng(9);
  const src = new Float64Array(4000 * N_DOF);
  for (let i = 0; i < 4000; i++) for (let k = 0; k < N_DOF; k++) src[i * N_DOF + k] = (DOF_MIN[k] + DOF_MAX[k]) / 2 + rng.normal() * 0.05 * (1 + (k % 3));
  const prior = fitAnglePrior(src);
  const s = samplePriorAngles(prior, 4000, 3);
  assert.deepEqual(s, samplePriorAngles(prior, 4000, 3));
  for (let k = 0; k < N_DOF; k++) {
    let m = 0, v = 0;
    for (let i = 0; i < 4000; i++) m += s[i * N_DOF + k] / 4000;
    for (let i = 0; i < 4000; i++) v += (s[i * N_DOF + k] - m) ** 2 / 4000;
    assert.ok(Math.abs(m - (DOF_MIN[k] + DOF_MAX[k]) / 2) < 0.01, `mean ${k}`);
    assert.ok(Math.abs(Math.sqrt(v) - 0.05 * (1 + (k % 3))) < 0.01, `std ${k}`);
  }
  const { j21, j25 } = jointsOfAngles(genericHandRestShape(), s.subarray(0, 10 * N_DOF));
  assert.equal(j21.length, 10 * 63); assert.equal(j25.length, 10 * 75);
});

test('hgc-dev reader: 300 left hands in metres; xyz reader validates and names bad entries', () => {
  const set = readHgcDev();
  assert.equal(set.count, 300);
  assert.ok(set.handedness.every((h) => h === 'left'));
  const p = poseAt(set, 0);
  const bone = Math.hypot(p[10][0] - p[9][0], p[10][1] - p[9][1], p[10][2] - p[9][2]);
  assert.ok(bone > 0.03 && bone < 0.07, `middle MCP→PIP ${bone} m`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hand-'));
  const bad = path.join(dir, 'training_xyz.json');
  fs.writeFileSync(bad, JSON.stringify([p, p.slice(0, 20)]));
  assert.throws(() => readXyzJson(bad), (e: unknown) => e instanceof InputError && /training_xyz\.json\[1\]/.test((e as Error).message));
  // RHD-ordered file: converted to canonical
  const rhd = [p[0], p[4], p[3], p[2], p[1], p[8], p[7], p[6], p[5], p[12], p[11], p[10], p[9], p[16], p[15], p[14], p[13], p[20], p[19], p[18], p[17]];
  fs.writeFileSync(bad, JSON.stringify([rhd]));
  assert.deepEqual(poseAt(readXyzJson(bad, { skeleton: 'rhd' }), 0), p);
  fs.rmSync(dir, { recursive: true });
});

test('pose files round-trip; loadPoseSource recognises them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hand-'));
  const set = poseSetFromArrays('t', [Array.from({ length: 21 }, (_, j) => [j * 0.01, -j * 0.001, 0.5])], 'right', { seed: 4 });
  set.angles = Float64Array.from({ length: N_DOF }, (_, k) => k * 0.01);
  const f = path.join(dir, 'poses.json');
  writePoseFile(f, set, { sampler: 'test' });
  const back = loadPoseSource(f);
  assert.equal(back.count, 1);
  poseAt(back, 0).forEach((q, j) => q.forEach((v, c) => assert.ok(Math.abs(v - poseAt(set, 0)[j][c]) < 1e-7)));
  assert.equal(back.meta.seed, 4); assert.equal(back.meta.sampler, 'test');
  back.angles!.forEach((v, k) => assert.ok(Math.abs(v - set.angles![k]) < 1e-7));
  fs.writeFileSync(f, JSON.stringify({ format: 'handgap-poses', xyz: [[[0, 0]]] }));
  assert.throws(() => readPoseFile(f), /xyz\[0\]/);
  fs.rmSync(dir, { recursive: true });
});

test('Leap recordings decode (format 1 and packed format 2) into plausible 21-joint hands', () => {
  const dir = findKnownSet('leap');
  assert.ok(dir, 'leap recordings found');
  for (const [file, n] of [['wave.json.lz', 111], ['pinch-57fps.json.lz', 133]] as const) {
    const set = readLeapPoses(path.join(dir!, file), { cache: false });
    assert.equal(set.count, n, file);
    const cachedTwice: PoseSet[] = [readLeapPoses(path.join(dir!, file)), readLeapPoses(path.join(dir!, file))];
    for (const c of cachedTwice as PoseSet[]) assert.deepEqual(c.joints, set.joints, 'cached conversion equals a fresh decode');
    assert.ok(set.handedness.every((h) => h === 'right'));
    for (const i of [0, n - 1]) {
      const p = poseAt(set, i);
      const len = (a: number, b: number) => Math.hypot(p[a][0] - p[b][0], p[a][1] - p[b][1], p[a][2] - p[b][2]);
      assert.ok(len(9, 10) > 0.03 && len(9, 10) < 0.07, `${file} middle proximal ${len(9, 10)}`);
      assert.ok(len(0, 9) > 0.05 && len(0, 9) < 0.12, `${file} wrist→middle MCP ${len(0, 9)}`);
      assert.ok(p.every((q) => q[2] > 0), 'in front of the camera');
    }
  }
});
