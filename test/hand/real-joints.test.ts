import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genericHandRestShape, genericHandMesh } from '../../lib/hand/asset.ts';
import { buildLabelDefinition, labelsFromVertices } from '../../lib/hand/real-joints.ts';
import { poseRig, skinMesh } from '../../lib/hand/skinning.ts';
import { MAP_25_TO_21 } from '../../lib/hand/skeleton.ts';
import { rotvecMatrix, matVec } from '../../lib/hand/math3.ts';
import { readHgcDev, poseAt } from '../../lib/data/pose-sets.ts';
import { skeletonStats, proportionsGap } from '../../lib/analysis/gap.ts';
import { expandSample } from '../../lib/synth/spec.ts';
import { validateConfig } from '../../lib/synth/config.ts';

const shape = genericHandRestShape();
const mesh = genericHandMesh();
const def = buildLabelDefinition(mesh, shape.rest);
const nested = (f: ArrayLike<number>) => Array.from({ length: f.length / 3 }, (_, j) => [f[j * 3], f[j * 3 + 1], f[j * 3 + 2]]);

test('the asset mesh: 1360 vertices, skin weights sum to 1, rest skinning is the identity', () => {
  assert.equal(mesh.positions.length, 1360 * 3);
  for (let v = 0; v < 1360; v++) {
    const s = mesh.weights[v * 4] + mesh.weights[v * 4 + 1] + mesh.weights[v * 4 + 2] + mesh.weights[v * 4 + 3];
    assert.ok(Math.abs(s - 1) < 1e-3, `vertex ${v}: weights sum to ${s}`);
  }
  const posed = skinMesh(mesh, poseRig(shape.rest, shape.rest));
  assert.ok(Math.max(...posed.map((x, i) => Math.abs(x - mesh.positions[i]))) < 1e-12);
});

test('the convention: tips on the finger-tip surface, other joints inside the finger, and it moves with the skin', () => {
  const lab = labelsFromVertices(def, mesh.positions);
  const nearestSurface = (p: number[]) => { let d = Infinity; for (let v = 0; v < 1360; v++) d = Math.min(d, Math.hypot(mesh.positions[v * 3] - p[0], mesh.positions[v * 3 + 1] - p[1], mesh.positions[v * 3 + 2] - p[2])); return d; };
  for (let j = 0; j < 21; j++) {
    const p = [lab[j * 3], lab[j * 3 + 1], lab[j * 3 + 2]];
    const isTip = j % 4 === 0 && j > 0;
    if (isTip) {
      assert.equal(nearestSurface(p), 0, `tip ${j} is a surface vertex`);
      // beyond the rig's tip joint (which sits inside the pad) along the distal bone
      const t25 = MAP_25_TO_21[j], d25 = t25 - 1;
      const dir = [0, 1, 2].map((k) => shape.rest[t25 * 3 + k] - shape.rest[d25 * 3 + k]);
      const beyond = [0, 1, 2].reduce((s, k) => s + (p[k] - shape.rest[t25 * 3 + k]) * dir[k], 0);
      assert.ok(beyond > 0, `tip ${j} lies beyond the rig tip`);
    } else {
      assert.ok(nearestSurface(p) > 0.003, `joint ${j} is inside the hand (${(1000 * nearestSurface(p)).toFixed(1)} mm from the nearest vertex)`);
    }
  }
  // A similarity transform of the target skeleton moves the labels by the same transform (labels follow the skin).
  const R = rotvecMatrix([0.3, -1.1, 0.4]), s = 1.07, t = [0.02, -0.05, 0.5];
  const moved = nested(shape.rest).flatMap((p) => matVec(R, p).map((x, k) => s * x + t[k]));
  const lab2 = labelsFromVertices(def, skinMesh(mesh, poseRig(shape.rest, moved)));
  for (let j = 0; j < 21; j++) {
    const want = matVec(R, [lab[j * 3], lab[j * 3 + 1], lab[j * 3 + 2]]).map((x, k) => s * x + t[k]);
    const err = Math.hypot(...want.map((x, k) => x - lab2[j * 3 + k]));
    assert.ok(err < 1e-9, `joint ${j}: ${err} m after a similarity transform`);
  }
});

test('labels of posed default samples have hgc-dev proportions: every bone within ±10 %, proportions floor ≤ 4 mm (rig joints fail both)', () => {
  const set = readHgcDev();
  const real = Array.from({ length: set.count }, (_, i) => poseAt(set, i));
  const cfg = validateConfig({});
  const labels: number[][][] = [], rig: number[][][] = [];
  for (let i = 0; i < 120; i++) {
    const { spec } = expandSample(cfg, i, { shape, hdris: [] });
    labels.push(nested(labelsFromVertices(def, skinMesh(mesh, poseRig(shape.rest, spec.joints25.flat())))));
    rig.push(MAP_25_TO_21.map((k) => spec.joints25[k]));
  }
  const g = proportionsGap(real, skeletonStats(labels));
  const worst = Math.max(...g.boneRatio.map((r) => Math.abs(r - 1)));
  assert.ok(worst <= 0.1, `bone ratios ${g.boneRatio.map((r) => r.toFixed(2)).join(' ')}`);
  assert.ok(g.floorMm <= 4, `floor ${g.floorMm.toFixed(2)} mm`);
  const gr = proportionsGap(real, skeletonStats(rig));
  assert.ok(gr.floorMm > 5 && Math.max(...gr.boneRatio.map((r) => Math.abs(r - 1))) > 0.3, `rig joints: floor ${gr.floorMm.toFixed(2)} mm`);
});
