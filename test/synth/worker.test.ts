/**
 * The Blender worker really renders (small images, few samples): camera model (K round trip, a known 3D
 * point found where K projects it, OpenCV axes), labels (read-back joints equal the requested joints and
 * project inside the hand-or-forearm mask).
 */
import { test } from 'node:test';
import { useBlenderWorker } from '../helpers/blender.ts';
import assert from 'node:assert/strict';
import path from 'node:path';
import { validateConfig } from '../../lib/synth/config.ts';
import { expandSample, project, type RenderSpec, type Mat3 } from '../../lib/synth/spec.ts';
import { MASK_BYTES } from '../../lib/data/mask-labels.ts';
import { genericHandRestShape, genericHandMesh } from '../../lib/hand/asset.ts';
import { poseRig, skinMesh } from '../../lib/hand/skinning.ts';
import { realLabels } from '../../lib/synth/driver.ts';
import { readImage } from '../../lib/image/io.ts';

/** 8-bit sRGB → linear intensity (centroids must be taken on linear light). */
function srgbToLinear(b: number): number { const c = b / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }
const lin = srgbToLinear;

const bx = useBlenderWorker('worker');


test('camera: K round-trips, known 3D points land where K projects them, OpenCV axes (x right, y down)', async () => {
  // Non-square images (landscape and portrait), off-centre principal point; the hand is parked far outside the view.
  for (const [W, H] of [[96, 72], [72, 96]]) {
  const K: Mat3 = [[80, 0, 40.3], [0, 80, 30.7], [0, 0, 1]];
  const points = [[0, 0, 1], [0.3, 0, 1], [0, 0.2, 1], [-0.25, -0.15, 1]];
  const base = expandSample(validateConfig({ image: { width: W, height: H } }), 0, { shape: genericHandRestShape(), hdris: [] }).spec;
  const spec: RenderSpec = {
    ...base, K, width: W, height: H, joints25: base.joints25.map((p) => [p[0] + 50, p[1], p[2] + 10]),
    hdri: null, backgroundColor: [0, 0, 0], forearm: null, objects: [], computeOcclusion: false,
    markers: points.map((p) => ({ point: p, radius: 0.015 })),
    render: { ...base.render, samples: 32, adaptive: false, filterWidth: 1.0 },
    outputs: { rgb: path.join(bx.tmp, 'cam.png') },
  };
  const r = await bx.worker.render(spec);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) assert.ok(Math.abs(r.K[a][b] - K[a][b]) < 1e-6, `K[${a}][${b}] ${r.K[a][b]} vs ${K[a][b]}`);
  const img = await readImage(path.join(bx.tmp, 'cam.png'), { gray: true });
  const expected = project(K, points);
  for (const [i, [u, v]] of expected.entries()) {
    let sw = 0, su = 0, sv = 0;
    for (let y = Math.max(0, Math.round(v) - 4); y <= Math.min(H - 1, Math.round(v) + 4); y++) {
      for (let x = Math.max(0, Math.round(u) - 4); x <= Math.min(W - 1, Math.round(u) + 4); x++) {
        const w = srgbToLinear(img.data[y * W + x]); sw += w; su += w * x; sv += w * y;
      }
    }
    assert.ok(sw > 1, `marker ${i}: nothing bright near the projected pixel (${u.toFixed(1)}, ${v.toFixed(1)})`);
    assert.ok(Math.abs(su / sw - u) < 0.1 && Math.abs(sv / sw - v) < 0.1, `marker ${i}: centroid (${(su / sw).toFixed(2)}, ${(sv / sw).toFixed(2)}) vs projected (${u.toFixed(2)}, ${v.toFixed(2)})`);
  }
  // OpenCV axes: +x is to the right of the principal point, +y below it.
  assert.ok(expected[1][0] > K[0][2] + 10 && expected[2][1] > K[1][2] + 10);
  }
});

test('anti-aliasing: render.filterWidth reaches Cycles, and a 2×2 supersampled image is the size asked for with a soft rim', async () => {
  const W = 64, H = 64;
  const base = expandSample(validateConfig({ image: { width: W, height: H } }), 0, { shape: genericHandRestShape(), hdris: [] }).spec;
  /** pixels between 10% and 90% of the marker disc's brightness: its anti-aliased rim */
  const rimPixels = async (filterWidth: number, supersample: number): Promise<number> => {
    const file = path.join(bx.tmp, `filter-${filterWidth}-${supersample}.png`);
    await bx.worker.render({
      ...base, K: [[60, 0, 31.5], [0, 60, 31.5], [0, 0, 1]], width: W, height: H, joints25: base.joints25.map((p) => [p[0] + 50, p[1], p[2] + 10]),
      hdri: null, backgroundColor: [0, 0, 0], forearm: null, objects: [], computeOcclusion: false,
      markers: [{ point: [0, 0, 1], radius: 0.2 }],
      render: { ...base.render, samples: 64, adaptive: false, filterWidth, supersample }, outputs: { rgb: file },
    });
    const img = await readImage(file, { gray: true });
    assert.deepEqual([img.width, img.height], [W, H], `filter ${filterWidth} px, supersample ${supersample}: image size`);
    const max = Math.max(...img.data);
    return img.data.filter((v) => v > 0.1 * max && v < 0.9 * max).length;
  };
  const point = await rimPixels(0.01, 1), wide = await rimPixels(3, 1), grid = await rimPixels(0.01, 2);
  // The disc's rim is ~75 px around: a 3-px filter spreads it over ~3 px; point samples leave few partial pixels;
  // the 2×2 sub-pixel grid gives every pixel the rim crosses a partial value.
  assert.ok(wide > 1.8 * point, `rim pixels: filter 3 px ${wide}, point samples ${point}`);
  assert.ok(grid > 1.5 * point, `rim pixels: 2×2 supersampled ${grid}, point samples ${point}`);
});

test('girth: thicker palm and fingers across the bones (Blender equals lib/hand/skinning.ts), same joints, labels within 3 mm', async () => {
  const render = async (girth: number) => {
    const cfg = validateConfig({ image: { width: 128, height: 128 }, render: { samples: 4 }, objects: { enabled: false }, forearm: { enabled: false }, shape: { girth: [girth, girth] } });
    const { spec, params } = expandSample(cfg, 1, { shape: genericHandRestShape(), hdris: bx.hdris });
    const out = { rgb: path.join(bx.tmp, `girth-${girth}.jpg`), mask: path.join(bx.tmp, `girth-${girth}.png`) };
    return { spec, params, r: await bx.worker.render({ ...spec, outputs: out }) };
  };
  const thin = await render(1), thick = await render(1.3);
  assert.equal(thin.params.pose.handGirth, undefined, 'girth 1 leaves the sample record as before');
  assert.equal(thick.params.pose.handGirth, 1.3);
  assert.deepEqual(thick.spec.joints25, thin.spec.joints25, 'girth draws on its own stream: the pose is unchanged');
  const ts = skinMesh(genericHandMesh(), poseRig(genericHandRestShape().rest, thick.spec.joints25.flat(), 1.3));
  const vErr = Math.max(...thick.r.verts.flatMap((p, v) => p.map((x, k) => Math.abs(x - ts[v * 3 + k]))));
  assert.ok(vErr < 1e-5, `Blender's posed vertices at girth 1.3 differ from lib/hand/skinning.ts by ${vErr} m`);
  // the training labels (real convention) come from the posed skin: ring centroids stay near the bone axis (the palm's
  // cross-sections are not symmetric about it: its joints move by up to ~2 mm at girth 1.3), tips move along it
  const a = realLabels(thin.r.verts), b = realLabels(thick.r.verts);
  const gaps = b.map((p, j) => Math.hypot(p[0] - a[j][0], p[1] - a[j][1], p[2] - a[j][2]));
  assert.ok(Math.max(...gaps) < 0.003, `labels move by less than 3 mm: ${gaps.map((g) => (1000 * g).toFixed(2)).join(' ')} mm`);
  assert.ok(thick.r.maskCounts.hand > 1.15 * thin.r.maskCounts.hand, `hand pixels: girth 1.3 ${thick.r.maskCounts.hand}, girth 1 ${thin.r.maskCounts.hand}`);
});

test('labels: read-back joints equal the requested ones and project inside the dilated hand-or-forearm mask', async () => {
  const cfg = validateConfig({ image: { width: 128, height: 128 }, render: { samples: 4 }, objects: { enabled: false } });
  for (let i = 0; i < 3; i++) {
    const { spec } = expandSample(cfg, i, { shape: genericHandRestShape(), hdris: bx.hdris });
    const out = { rgb: path.join(bx.tmp, `s${i}.jpg`), mask: path.join(bx.tmp, `s${i}.png`) };
    const r = await bx.worker.render({ ...spec, outputs: out });
    const err = Math.max(...r.joints25.flatMap((p, j) => p.map((v, k) => Math.abs(v - spec.joints25[j][k]))));
    assert.ok(err < 1e-5, `sample ${i}: read-back joints differ by ${err} m`);
    assert.equal(r.xyz.length, 21);
    // The labels come from Blender's posed vertices; lib/hand/skinning.ts poses the same mesh in TypeScript.
    const ts = skinMesh(genericHandMesh(), poseRig(genericHandRestShape().rest, spec.joints25.flat()));
    const vErr = Math.max(...r.verts.flatMap((p, v) => p.map((x, k) => Math.abs(x - ts[v * 3 + k]))));
    assert.ok(vErr < 1e-5, `sample ${i}: Blender's posed vertices differ from lib/hand/skinning.ts by ${vErr} m`);
    const labels = realLabels(r.verts);
    assert.equal(labels.length, 21);
    const gaps = labels.map((p, j) => Math.hypot(p[0] - r.xyz[j][0], p[1] - r.xyz[j][1], p[2] - r.xyz[j][2]));
    assert.ok(gaps.every((g) => g < 0.03), `real-convention labels within 3 cm of the rig joints: ${gaps.map((g) => (100 * g).toFixed(1)).join(' ')} cm`);
    assert.ok(Math.max(...gaps) > 0.005, 'real-convention labels are a different definition from the rig joints');
    const mask = await readImage(out.mask, { gray: true });
    const okValue = (x: number, y: number) => {
      const m = mask.data[y * mask.width + x];
      return m === MASK_BYTES.hand || m === MASK_BYTES.forearm;
    };
    const dil = 2;
    for (const [j, [u, v]] of [...project(r.K, r.xyz), ...project(r.K, labels)].entries()) {
      const x0 = Math.round(u), y0 = Math.round(v);
      let hit = false;
      for (let y = y0 - dil; y <= y0 + dil && !hit; y++) for (let x = x0 - dil; x <= x0 + dil && !hit; x++) {
        if (x >= 0 && y >= 0 && x < mask.width && y < mask.height && okValue(x, y)) hit = true;
      }
      assert.ok(hit, `sample ${i} joint ${j} at (${u.toFixed(1)}, ${v.toFixed(1)}) is outside the hand/forearm mask`);
    }
    assert.ok(r.maskCounts.hand > 200, `sample ${i}: hand covers only ${r.maskCounts.hand} px`);
  }
});
