/**
 * Objects held in the hand: signed distances of the shapes, and on rendered samples (Blender, 64 px, 2
 * samples) the grasp contact (≥ 2 finger tips within 3 mm of the surface) and the interpenetration
 * (no vertex of the posed hand Blender rendered deeper than 3 mm inside the object).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signedDistance, MAX_OBJECT_PENETRATION, MAX_CONTACT_GAP, GRASP_KINDS, type GraspObject } from '../../lib/synth/grasp.ts';
import { validateConfig } from '../../lib/synth/config.ts';
import { runRender } from '../../lib/synth/driver.ts';
import { readFreihand } from '../../lib/data/freihand.ts';
import { readImage } from '../../lib/image/io.ts';
import { MASK_BYTES } from '../../lib/data/mask-labels.ts';
import { project } from '../../lib/synth/spec.ts';

const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];

test('signed distances: ball, box and can at known points (negative inside)', () => {
  const ball = { kind: 'ball' as const, radius: 0.03, center: [0, 0, 0.5], axes: I };
  assert.ok(Math.abs(signedDistance(ball, [0, 0, 0.5]) + 0.03) < 1e-12);
  assert.ok(Math.abs(signedDistance(ball, [0.05, 0, 0.5]) - 0.02) < 1e-12);
  const box = { kind: 'box' as const, halfExtents: [0.02, 0.03, 0.04], center: [0, 0, 0], axes: I };
  assert.ok(Math.abs(signedDistance(box, [0.025, 0, 0]) - 0.005) < 1e-12);
  assert.ok(Math.abs(signedDistance(box, [0.019, 0, 0]) + 0.001) < 1e-12);
  // a can lying along the camera x axis (local z = camera x): axes' columns are the local axes
  const can = { kind: 'can' as const, radius: 0.03, length: 0.1, center: [0, 0, 0], axes: [0, 0, 1, 0, 1, 0, -1, 0, 0] };
  assert.ok(Math.abs(signedDistance(can, [0.07, 0, 0]) - 0.02) < 1e-12, 'beyond the end cap');
  assert.ok(Math.abs(signedDistance(can, [0, 0.04, 0]) - 0.01) < 1e-12, 'beside the side wall');
});

test('rendered held objects: ≥ 2 finger tips within 3 mm of the surface, the rendered hand no deeper than 3 mm inside, object pixels in the mask', { timeout: 900_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-grasp-'));
  try {
    const cfg = validateConfig({ seed: 3, image: { width: 64, height: 64, format: 'png' }, objects: { enabled: true, probability: 1 }, pose: { grasp: 1 }, render: { samples: 2 }, hdri: { enabled: false }, outputs: { verts: true } });
    const s = await runRender({ config: cfg, out: tmp, n: 6, quiet: true, workers: 1 });
    assert.equal(s.rendered, 6);
    const set = readFreihand(tmp, { verts: true });
    let held = 0, visible = 0;
    const kinds = new Set<string>();
    for (const smp of set.samples) {
      const objs = (smp.meta?.objects ?? []) as GraspObject[];
      if (!objs.length) continue;
      held++;
      const o = objs[0];
      kinds.add(o.kind);
      assert.ok((GRASP_KINDS as readonly string[]).includes(o.kind));
      const deepest = Math.max(...smp.verts!.map((v) => -signedDistance(o, v)));
      assert.ok(deepest <= MAX_OBJECT_PENETRATION + 1e-4, `sample ${smp.index} (${o.kind}): a hand vertex ${(deepest * 1000).toFixed(2)} mm inside`);
      const tips = [4, 8, 12, 16, 20].filter((j) => Math.abs(signedDistance(o, smp.xyz![j])) <= MAX_CONTACT_GAP + 1e-4);
      assert.ok(tips.length >= 2, `sample ${smp.index} (${o.kind}): tips in contact ${tips.join(',')}`);
      const mask = await readImage(smp.maskPath!, { gray: true });
      // Blender placed the object where the spec says: its visible pixels centre within its projected size of the projected centre
      let n = 0, su = 0, sv = 0;
      mask.data.forEach((b, k) => { if (b === MASK_BYTES.object) { n++; su += k % 64; sv += Math.floor(k / 64); } });
      if (n >= 10) {
        visible++;
        const [u, v] = project(smp.K, [o.center])[0];
        const size = Math.max(o.radius ?? 0, ...(o.halfExtents ?? []), (o.length ?? 0) / 2) * smp.K[0][0] / o.center[2];
        assert.ok(Math.hypot(su / n - u, sv / n - v) < size + 2, `sample ${smp.index}: object pixels centre (${(su / n).toFixed(1)}, ${(sv / n).toFixed(1)}) vs projected centre (${u.toFixed(1)}, ${v.toFixed(1)}), size ${size.toFixed(1)} px`);
      }
    }
    assert.ok(held >= 3, `only ${held} of 6 samples hold an object`);
    assert.ok(visible >= 1, 'no held object is visible in any mask');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
