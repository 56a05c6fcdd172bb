/** Finger recombination: a finger carried over from another pose bends as in that pose, wherever that hand was. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recombineFingers, FINGER_CHAINS25 } from '../../lib/hand/recombine.ts';
import { forwardKinematics, DOFS, N_DOF } from '../../lib/hand/model.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { Rng } from '../../lib/util/rng.ts';

const shape = genericHandRestShape('right');
const DEG = Math.PI / 180;
/** Seeded angles within the limits; the metacarpal flexes (palm joints) left at 0 so two poses share a palm. */
function angles(seed: number): number[] {
  const r = new Rng(seed);
  return DOFS.map((d) => (/cmc_flex$/.test(d.name) && !d.name.startsWith('thumb') ? 0 : r.uniform(d.min, d.max) * DEG * 0.7));
}
const maxDiff = (a: number[][], b: number[][], joints: number[]) => Math.max(...joints.map((j) => Math.hypot(a[j][0] - b[j][0], a[j][1] - b[j][1], a[j][2] - b[j][2])));

test('recombineFingers: the index finger of a rotated, moved donor pose bends as the donor does, the rest stays the base pose', () => {
  const a = angles(1), b = angles(2);
  const base = forwardKinematics(shape, { angles: a, global: { rotation: [0.1, -0.2, 0.05], translation: [0.01, 0.02, 0.4] } });
  const donor = forwardKinematics(shape, { angles: b, global: { rotation: [1.2, 0.4, -0.7], translation: [-0.3, 0.1, 0.9] } });
  const indexDofs = DOFS.flatMap((d, i) => (d.name.startsWith('index_') ? [i] : []));
  assert.equal(indexDofs.length, 4);
  const mixed = a.slice(); for (const i of indexDofs) mixed[i] = b[i];
  const expected = forwardKinematics(shape, { angles: mixed, global: { rotation: [0.1, -0.2, 0.05], translation: [0.01, 0.02, 0.4] } });
  const out = recombineFingers(base, [null, donor, null, null, null]);
  assert.ok(maxDiff(out, expected, Array.from({ length: 25 }, (_, j) => j)) < 1e-9, `recombined pose differs from the mixed angles' pose by ${maxDiff(out, expected, Array.from({ length: 25 }, (_, j) => j))} m`);
  // the donor's bend is not the base's: the finger did move
  assert.ok(maxDiff(out, base, [9]) > 0.01, 'the index tip should move');
  assert.equal(N_DOF, a.length);
});

test('recombineFingers: bone lengths are kept, no donor leaves the pose as it was, and wrong sizes are refused', () => {
  const base = forwardKinematics(shape, { angles: angles(3) });
  const donor = forwardKinematics(shape, { angles: angles(4), global: { rotation: [0, 2, 0], translation: [0, 0, 0.5] } });
  const out = recombineFingers(base, FINGER_CHAINS25.map(() => donor));
  for (const { hinge, moved } of FINGER_CHAINS25) {
    [hinge, ...moved].slice(1).forEach((j, k) => {
      const parent = k === 0 ? hinge : moved[k - 1];
      const len = (p: number[][]) => Math.hypot(p[j][0] - p[parent][0], p[j][1] - p[parent][1], p[j][2] - p[parent][2]);
      assert.ok(Math.abs(len(out) - len(donor)) < 1e-9);
    });
  }
  assert.deepEqual(recombineFingers(base, [null, null, null, null, null]), base);
  assert.throws(() => recombineFingers(base.slice(0, 21), [null, null, null, null, null]), /25 joints/);
  assert.throws(() => recombineFingers(base, [null, null]), /5 donors/);
});
