import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { forwardKinematics, forwardKinematicsBatch, fkInto, boneLengths25, N_DOF, DOFS, DOF_MIN, DOF_MAX, zeroAngles, withinLimits, joints21From25 } from '../../lib/hand/model.ts';
import { rotvecMatrix } from '../../lib/hand/math3.ts';
import { sampleUniformAngles } from '../../lib/hand/sampler.ts';
import { Rng } from '../../lib/util/rng.ts';

const shape = genericHandRestShape();
const dofIndex = (name: string) => DOFS.findIndex((d) => d.name === name);

test('glTF parser: generic-hand rest joints in metres, asset frame', () => {
  // index tip and wrist as stored in right.glb (node translations under an identity Armature)
  assert.ok(Math.abs(shape.rest[9 * 3] - 0.026966929) < 1e-6 && Math.abs(shape.rest[9 * 3 + 1] + 0.113641992) < 1e-6);
  assert.ok(Math.abs(shape.rest[0] - 0.039126083) < 1e-6 && Math.abs(shape.rest[1] - 0.055775475) < 1e-6);
  const middle = Math.hypot(shape.rest[14 * 3] - shape.rest[0], shape.rest[14 * 3 + 1] - shape.rest[1], shape.rest[14 * 3 + 2] - shape.rest[2]);
  assert.ok(middle > 0.15 && middle < 0.2, `wrist→middle tip ${middle} m`);
});

test('rest pose reproduces the rest skeleton; flexion moves toward the palm, abduction sideways', () => {
  const j = forwardKinematics(shape, { angles: zeroAngles() });
  for (let k = 0; k < 25; k++) for (let c = 0; c < 3; c++) assert.ok(Math.abs(j[k][c] - shape.rest[k * 3 + c]) < 1e-12);
  const a = zeroAngles(); a[dofIndex('index_mcp_flex')] = Math.PI / 2;
  const f = forwardKinematics(shape, { angles: a });
  assert.ok(f[9][0] < j[9][0] - 0.05, 'index tip moves to the palmar side (−x)');
  const b = zeroAngles(); b[dofIndex('index_mcp_abd')] = 0.5;
  const g = forwardKinematics(shape, { angles: b });
  assert.ok(g[9][2] > j[9][2] + 0.02, 'positive abduction: toward the little finger (+z)');
  assert.deepEqual(g[6], j[6], 'the MCP itself does not move');
});

test('bone lengths are preserved under random poses and global transforms', () => {
  const restLen = boneLengths25(shape.rest);
  const angles = sampleUniformAngles(50, 7);
  const rng = new Rng(3);
  const rots = Float64Array.from({ length: 150 }, () => rng.normal());
  const out = forwardKinematicsBatch(shape, angles, { rotations: rots, translations: new Float64Array(150).fill(0.4) });
  for (let i = 0; i < 50; i++) {
    const len = boneLengths25(out, i * 75);
    for (let k = 0; k < 24; k++) assert.ok(Math.abs(len[k] - restLen[k]) < 1e-12, `pose ${i} bone ${k}`);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(out[i * 75 + c] - 0.4) < 1e-15, 'wrist at the translation');
  }
});

test('limits are enforced: angles beyond a limit give the pose at the limit', () => {
  const over = zeroAngles(), at = zeroAngles();
  for (let k = 0; k < N_DOF; k++) { over[k] = DOF_MAX[k] + 0.7; at[k] = DOF_MAX[k]; }
  assert.deepEqual(forwardKinematics(shape, { angles: over }), forwardKinematics(shape, { angles: at }));
  for (let k = 0; k < N_DOF; k++) { over[k] = DOF_MIN[k] - 1; at[k] = DOF_MIN[k]; }
  assert.deepEqual(forwardKinematics(shape, { angles: over }), forwardKinematics(shape, { angles: at }));
  assert.equal(withinLimits(over), false);
  assert.ok(withinLimits(sampleUniformAngles(1, 1)));
  // PIP and DIP are flexion-only: a single DOF each
  for (const f of ['index', 'middle', 'ring', 'little']) for (const j of ['pip', 'dip']) assert.equal(DOFS.filter((d) => d.name.startsWith(`${f}_${j}`)).length, 1);
  assert.equal(DOFS.filter((d) => d.name.startsWith('thumb_cmc')).length, 3);
});

test('batched FK equals single FK, and global placement is R·(p − wrist) + t', () => {
  const angles = sampleUniformAngles(5, 11);
  const rot = Float64Array.of(0.3, -0.2, 1.1, 0, 0, 0, 1, 2, 3, 0.1, 0.1, 0.1, -2, 0, 0);
  const tr = Float64Array.from({ length: 15 }, (_, i) => i * 0.01);
  const batch = forwardKinematicsBatch(shape, angles, { rotations: rot, translations: tr });
  for (let i = 0; i < 5; i++) {
    const single = forwardKinematics(shape, { angles: angles.subarray(i * N_DOF, (i + 1) * N_DOF), global: { rotation: [rot[i * 3], rot[i * 3 + 1], rot[i * 3 + 2]], translation: [tr[i * 3], tr[i * 3 + 1], tr[i * 3 + 2]] } });
    const local = forwardKinematics(shape, { angles: angles.subarray(i * N_DOF, (i + 1) * N_DOF) });
    const R = rotvecMatrix(rot.subarray(i * 3, i * 3 + 3));
    for (let k = 0; k < 25; k++) for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(single[k][c] - batch[i * 75 + k * 3 + c]) < 1e-15);
      const d = [0, 1, 2].map((q) => local[k][q] - local[0][q]);
      const expect = R[c * 3] * d[0] + R[c * 3 + 1] * d[1] + R[c * 3 + 2] * d[2] + tr[i * 3 + c];
      assert.ok(Math.abs(single[k][c] - expect) < 1e-12);
    }
    assert.equal(joints21From25(single).length, 21);
  }
  // fkInto without clamping goes past the limits
  const a = zeroAngles(); a[dofIndex('index_pip_flex')] = DOF_MAX[dofIndex('index_pip_flex')] + 0.5;
  const c1 = fkInto(shape, a, null, null, new Float64Array(75), true), c2 = fkInto(shape, a, null, null, new Float64Array(75), false);
  assert.notDeepEqual(Array.from(c1), Array.from(c2));
});
