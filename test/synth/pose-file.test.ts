import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPoseSet } from '../../lib/synth/driver.ts';
import { poseSetFromArrays, writePoseFile } from '../../lib/data/pose-sets.ts';
import { N_DOF } from '../../lib/hand/model.ts';
import { InputError } from '../../lib/util/errors.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-posefile-'));
const joints = (k: number) => Array.from({ length: 21 }, (_, j) => [0.01 * j, 0.002 * k, 0.4]);

test('the renderer reads the model angles of a handgap pose file', () => {
  const set = poseSetFromArrays('two', [joints(0), joints(1)], 'right', {}, 'hand');
  const angles = [Array.from({ length: N_DOF }, (_, i) => 0.01 * i), Array.from({ length: N_DOF }, (_, i) => -0.02 * i)];
  set.angles = Float64Array.from(angles.flat());
  const file = path.join(tmp(), 'poses.json');
  writePoseFile(file, set);
  const rows = loadPoseSet(file);
  assert.equal(rows.length, 2);
  rows.forEach((r, i) => r.forEach((v, k) => assert.ok(Math.abs(v - angles[i][k]) < 1e-6)));
});

test('a pose file without angles, or with the wrong angle count, is one clear error naming the file', () => {
  const dir = tmp();
  const noAngles = path.join(dir, 'joints-only.json');
  writePoseFile(noAngles, poseSetFromArrays('j', [joints(0)], 'right'));
  assert.throws(() => loadPoseSet(noAngles), (e: unknown) => e instanceof InputError && /joints-only\.json/.test(e.message) && /angles/.test(e.message));
  const wrong = path.join(dir, 'wrong.json');
  const set = poseSetFromArrays('w', [joints(0)], 'right');
  set.angles = Float64Array.from([0.1, 0.2, 0.3]);
  writePoseFile(wrong, set);
  assert.throws(() => loadPoseSet(wrong), (e: unknown) => e instanceof InputError && /wrong\.json/.test(e.message) && new RegExp(`${N_DOF}`).test(e.message));
  const plainList = path.join(dir, 'angles.json');
  fs.writeFileSync(plainList, JSON.stringify([Array(N_DOF).fill(0)]));
  assert.throws(() => loadPoseSet(plainList), /angles\.json.*handgap-poses/);
});
