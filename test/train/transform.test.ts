import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareSample, restoreXyz, drawAugment, DEFAULT_AUGMENT, warp, cropMap, type AugmentDraw } from '../../lib/train/pipeline/transform.ts';
import { Rng } from '../../lib/util/rng.ts';
import { project } from '../../lib/data/geometry.ts';
import type { Mat3 } from '../../lib/data/types.ts';

const K: Mat3 = [[300, 0, 100], [0, 300, 80], [0, 0, 1]];
// a plausible hand 0.5 m in front of the camera (metres)
const xyz = Array.from({ length: 21 }, (_, j) => [0.01 * Math.cos(j) + 0.004 * (j % 5), 0.012 * Math.sin(j * 0.7) - 0.003 * Math.floor(j / 4), 0.5 + 0.002 * j]);

function brightest(img: Float32Array, size: number): [number, number] {
  let best = -1, bu = 0, bv = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const v = img[(y * size + x) * 3];
    if (v > best) { best = v; bu = x + 0.5; bv = y + 0.5; }
  }
  return [bu, bv];
}

test('augmentations move the 2D labels with the pixels (draw a joint, find it after the transform)', () => {
  const W = 200, H = 160, size = 64;
  const uv = project(xyz, K);
  for (const joint of [4, 8, 12, 20]) {
    // a 3×3 bright blob centred on the joint's pixel
    const src = new Float32Array(W * H * 3);
    const cu = Math.floor(uv[joint][0]), cv = Math.floor(uv[joint][1]);
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) src[((cv + dy) * W + cu + dx) * 3] = dx === 0 && dy === 0 ? 1 : 0.6;
    const centre = [cu + 0.5, cv + 0.5];
    // label at the blob centre (pixel centres are at +0.5)
    const xyzJ = xyz.map((p) => [...p]);
    const z = xyzJ[joint][2];
    xyzJ[joint] = [(centre[0] - K[0][2]) * z / K[0][0], (centre[1] - K[1][2]) * z / K[1][1], z];
    const draws: AugmentDraw[] = [
      { scale: 1, theta: 0, tx: 0, ty: 0, flip: false, brightness: 0, contrast: 1, saturation: 1 },
      { scale: 0.8, theta: 0.5, tx: 0.05, ty: -0.04, flip: false, brightness: 0, contrast: 1, saturation: 1 },
      { scale: 1.2, theta: -0.4, tx: -0.06, ty: 0.03, flip: true, brightness: 0, contrast: 1, saturation: 1 },
    ];
    for (const draw of draws) {
      const p = prepareSample({ data: src, width: W, height: H, channels: 3 }, xyzJ, K, false, draw, { size, margin: 0.3 });
      const [fu, fv] = brightest(p.image, size);
      const lu = p.uv[joint * 2] * size, lv = p.uv[joint * 2 + 1] * size;
      assert.ok(Math.hypot(fu - lu, fv - lv) <= 1.0, `joint ${joint}, draw ${JSON.stringify(draw)}: pixel at (${fu}, ${fv}), label at (${lu.toFixed(2)}, ${lv.toFixed(2)})`);
    }
  }
});

test('3D labels: restoreXyz inverts the rotation/flip/normalisation; flips swap the hand side', () => {
  const draw: AugmentDraw = { scale: 1.1, theta: 0.3, tx: 0, ty: 0, flip: true, brightness: 0, contrast: 1, saturation: 1 };
  const src = new Float32Array(200 * 160 * 3);
  const p = prepareSample({ data: src, width: 200, height: 160, channels: 3 }, xyz, K, false, draw, { size: 32, margin: 0.3 });
  assert.equal(p.left, true);
  const back = restoreXyz(p.xyz, p.draw, p.root, p.scale);
  for (let j = 0; j < 21; j++) for (let c = 0; c < 3; c++) assert.ok(Math.abs(back[j][c] - xyz[j][c]) < 1e-6);
  // left hands are mirrored to right by default (canonicalRight)
  const q = prepareSample({ data: src, width: 200, height: 160, channels: 3 }, xyz, K, true, { ...draw, flip: false }, { size: 32, margin: 0.3 });
  assert.equal(q.draw.flip, true);
  assert.equal(q.left, false);
});

test('random erasing: drawn last and only when configured (other draws unchanged), paints the drawn rectangle, labels untouched', () => {
  const plain = drawAugment(DEFAULT_AUGMENT, new Rng(5));
  const erased = drawAugment({ ...DEFAULT_AUGMENT, erase: { p: 1, maxSide: 0.5 } }, new Rng(5));
  assert.equal(plain.erase, null);
  assert.deepEqual({ ...erased, erase: null }, plain, 'the other draws do not move when erasing is switched on');
  const [u0, v0, w, h] = erased.erase!.rect;
  assert.ok(u0 >= 0 && v0 >= 0 && u0 + w <= 1 && v0 + h <= 1 && w > 0 && w <= 0.5 && h > 0 && h <= 0.5, `rect ${erased.erase!.rect}`);
  const W = 200, H = 160, size = 64;
  const src = { data: new Float32Array(W * H * 3).fill(0.5), width: W, height: H, channels: 3 };
  const still = { ...erased, colour: undefined, brightness: 0, contrast: 1, saturation: 1 };
  const a = prepareSample(src, xyz, K, false, { ...still, erase: null }, { size, margin: 0.2 });
  const b = prepareSample(src, xyz, K, false, still, { size, margin: 0.2 });
  assert.deepEqual(Array.from(b.uv), Array.from(a.uv));
  const x = Math.floor((u0 + w / 2) * size), y = Math.floor((v0 + h / 2) * size);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(b.image[(y * size + x) * 3 + c] - erased.erase!.fill[c]) < 1e-6, 'inside: the fill colour');
  const changed = b.image.reduce((n, v, i) => n + (v !== a.image[i] ? 1 : 0), 0) / 3;
  const expected = (Math.min(size, Math.round((u0 + w) * size)) - Math.round(u0 * size)) * (Math.min(size, Math.round((v0 + h) * size)) - Math.round(v0 * size));
  assert.ok(changed <= expected && changed > 0.9 * expected, `${changed} pixels changed, rectangle has ${expected}`);
});

test('warp: shrinking 4x averages the footprint of each output pixel (1-px stripes become mid grey, not aliased stripes); at source size it is the plain bilinear sample', () => {
  const W = 256, size = 64;
  const stripes = { data: Float32Array.from({ length: W * W }, (_, i) => (i % W) % 2), width: W, height: W, channels: 1 };
  const still = drawAugment({ ...DEFAULT_AUGMENT, scale: [1, 1], rotationDeg: 0, translate: 0, colour: null }, new Rng(1));
  const shrunk = warp(stripes, cropMap({ cx: W / 2, cy: W / 2, side: W }, size, still));
  const inner = Array.from(shrunk).filter((_, i) => i % size > 0 && i % size < size - 1 && i >= size && i < size * (size - 1));
  assert.ok(inner.every((v) => Math.abs(v - 0.5) < 1e-6), `min ${Math.min(...inner)}, max ${Math.max(...inner)}`);
  const same = warp(stripes, cropMap({ cx: W / 2, cy: W / 2, side: W }, W, still));
  assert.deepEqual(Array.from(same.subarray(W * 10, W * 10 + 8)), [0, 1, 0, 1, 0, 1, 0, 1]);
});

test('background randomisation: drawn last and only when configured, replaces only the mask\'s background pixels, needs a mask, repeats by seed', () => {
  const plain = drawAugment(DEFAULT_AUGMENT, new Rng(9));
  const drawn = drawAugment({ ...DEFAULT_AUGMENT, background: { p: 1 } }, new Rng(9));
  assert.equal(plain.background, null);
  assert.deepEqual({ ...drawn, background: null }, plain, 'the other draws do not move when background randomisation is switched on');
  const W = 128, H = 128, size = 64;
  const src = { data: new Float32Array(W * H * 3).fill(0.5), width: W, height: H, channels: 3 };
  // foreground: the left half of the source image
  const fg = { data: Float32Array.from({ length: W * H }, (_, p) => (p % W < W / 2 ? 1 : 0)), width: W, height: H };
  const still: AugmentDraw = { ...drawn, scale: 1, theta: 0, tx: 0, ty: 0, flip: false, brightness: 0, contrast: 1, saturation: 1 };
  const box = { cx: W / 2, cy: H / 2, side: W };
  const a = prepareSample(src, xyz, K, false, still, { size, margin: 0.2, box, foreground: fg });
  const b = prepareSample(src, xyz, K, false, still, { size, margin: 0.2, box, foreground: fg });
  assert.deepEqual(Array.from(a.image), Array.from(b.image), 'same seed, same clutter');
  const none = prepareSample(src, xyz, K, false, still, { size, margin: 0.2, box });
  assert.ok(none.image.every((v) => Math.abs(v - 0.5) < 1e-6), 'no mask: the image is left as it is');
  let fgChanged = 0, bgChanged = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const d = Math.abs(a.image[(y * size + x) * 3] - 0.5) + Math.abs(a.image[(y * size + x) * 3 + 1] - 0.5) + Math.abs(a.image[(y * size + x) * 3 + 2] - 0.5);
    if (x < size / 2 - 1 && d > 1e-6) fgChanged++;
    if (x > size / 2 && d > 1e-3) bgChanged++;
  }
  assert.equal(fgChanged, 0, 'foreground pixels keep the render');
  assert.ok(bgChanged > 0.8 * (size / 2 - 1) * size, `background pixels replaced: ${bgChanged}`);
  const other = prepareSample(src, xyz, K, false, { ...still, background: { seed: still.background!.seed + 1 } }, { size, margin: 0.2, box, foreground: fg });
  assert.notDeepEqual(Array.from(other.image), Array.from(a.image), 'another seed, another clutter');
});
