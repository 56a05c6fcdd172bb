/** lib/hand/lbs.ts on a small synthetic model in the MANO JSON format (2-joint chain, 6 vertices). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLbsModel, lbs, shapedVertices, regressJoints } from '../../lib/hand/lbs.ts';
import { InputError } from '../../lib/util/errors.ts';

// A bar along +x: joint 0 at the origin, joint 1 at x = 1. Vertices 0–2 ride joint 0, 3–5 joint 1,
// vertex 2 and 3 are blended 50/50.
const model = () => ({
  template: [[0, 0.1, 0], [0.5, 0.1, 0], [0.9, 0.1, 0], [1.1, 0.1, 0], [1.5, 0.1, 0], [2, 0.1, 0]],
  faces: [[0, 1, 2], [2, 3, 4], [3, 4, 5]],
  weights: [[1, 0], [1, 0], [0.5, 0.5], [0.5, 0.5], [0, 1], [0, 1]],
  // J0 = v0 → (0, 0.1, 0); J1 = 0.5·v2 + 0.5·v3 → (1, 0.1, 0)
  jointRegressor: [[1, 0, 0, 0, 0, 0], [0, 0, 0.5, 0.5, 0, 0]],
  parents: [-1, 0],
  shapedirs: Array.from({ length: 6 }, (_, v) => [[v * 0.1], [0], [0]]), // β0 stretches along x
  posedirs: Array.from({ length: 6 }, () => [new Array(9).fill(0), new Array(9).fill(0), [0, 0, 0, 0, 0, 0, 0, 0, 0.5]]), // z offset from (R1 − I)[2][2]
});

const close = (a: number[], b: number[], tol = 1e-9) => a.every((x, i) => Math.abs(x - b[i]) < tol);

test('lbs: zero pose and shape give the template; translation moves everything', () => {
  const m = parseLbsModel(model());
  const out = lbs(m, [], [[0, 0, 0], [0, 0, 0]], [1, 2, 3]);
  out.vertices.forEach((v, i) => assert.ok(close(v, [m.template[i][0] + 1, m.template[i][1] + 2, m.template[i][2] + 3]), `vertex ${i}`));
  assert.ok(close(out.joints[1], [2, 2.1, 3]));
});

test('lbs: rotating the child joint moves only its vertices (blended ones half way), about the joint', () => {
  const m = parseLbsModel({ ...model(), posedirs: undefined });
  const out = lbs(m, [], [[0, 0, 0], [0, 0, Math.PI / 2]]);
  // Vertices of joint 0 stay.
  assert.ok(close(out.vertices[0], [0, 0.1, 0]) && close(out.vertices[1], [0.5, 0.1, 0]));
  // Vertex 5 (x = 2, y = 0.1) rotates 90° about joint 1 at (1, 0.1): → (1, 1.1).
  assert.ok(close(out.vertices[5], [1, 1.1, 0]), `vertex 5 at ${out.vertices[5]}`);
  // Blended vertex 3 = average of the rigid and the rotated position.
  const rigid = [1.1, 0.1, 0], rotated = [1, 0.2, 0];
  assert.ok(close(out.vertices[3], [(rigid[0] + rotated[0]) / 2, (rigid[1] + rotated[1]) / 2, 0]));
  assert.ok(close(out.joints[1], [1, 0.1, 0]), 'the rotated joint itself stays');
});

test('lbs: rotating the root rotates the whole chain; shape and pose blend shapes are linear', () => {
  const m = parseLbsModel(model());
  const out = lbs(m, [], [[0, 0, Math.PI], [0, 0, 0]]);
  // About the root joint J0 = v0 = (0, 0.1, 0): (x, y) → (−x, 0.2 − y).
  out.vertices.forEach((v, i) => assert.ok(close(v, [-m.template[i][0], 0.2 - m.template[i][1], 0]), `vertex ${i}`));
  const vs = shapedVertices(m, [2]);
  assert.ok(close(vs[5], [2 + 2 * 0.5, 0.1, 0]));
  // J1 = (v2 + v3) / 2 of the shaped mesh: x = (0.9 + 0.2·2 + 1.1 + 0.3·2) / 2 = 1.5.
  assert.ok(close(regressJoints(m, vs)[1], [1.5, 0.1, 0]));
  // Pose blend shape: rotating joint 1 by 90° about x gives (R − I)[2][2] = cos − 1 = −1 → z offset −0.5 before skinning.
  const bent = lbs(m, [], [[0, 0, 0], [Math.PI / 2, 0, 0]]);
  assert.ok(Math.abs(bent.vertices[0][2] - -0.5) < 1e-9, `vertex 0 z = ${bent.vertices[0][2]}`);
});

test('parseLbsModel: wrong shapes are named', () => {
  assert.throws(() => parseLbsModel({ ...model(), weights: [[1, 0]] }, 'mano.json'), (e: unknown) => e instanceof InputError && /mano\.json: weights: expected V×J = 6×2/.test((e as Error).message));
  assert.throws(() => parseLbsModel({ ...model(), parents: [0, 0] }, 'm'), /parents\[0\]/);
  assert.throws(() => parseLbsModel({ ...model(), faces: [[0, 1, 9]] }, 'm'), /faces/);
  assert.throws(() => parseLbsModel({ ...model(), weights: model().weights.map((r, i) => (i === 4 ? [0.2, 0.2] : r)) }, 'm'), /weights\[4\] sums to 0.4000/);
});
