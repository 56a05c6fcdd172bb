import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeImage, pairingPlan, maskFromLabels, maskUnion, type SoftMask } from '../../lib/image/compose.ts';
import { LABEL } from '../../lib/data/mask-labels.ts';
import type { Image } from '../../lib/image/io.ts';
import { InputError } from '../../lib/util/errors.ts';

const W = 6, H = 4;
function solid(r: number, g: number, b: number): Image<Float32Array> {
  const d = new Float32Array(W * H * 3);
  for (let p = 0; p < W * H; p++) { d[p * 3] = r; d[p * 3 + 1] = g; d[p * 3 + 2] = b; }
  return { data: d, width: W, height: H, channels: 3 };
}
function mask(f: (x: number, y: number) => number): SoftMask {
  const d = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) d[y * W + x] = f(x, y);
  return { data: d, width: W, height: H };
}
const px = (img: Image<Float32Array>, x: number, y: number) => Array.from(img.data.slice((y * W + x) * 3, (y * W + x) * 3 + 3));

test('hard masks take pixels from the right source', () => {
  const syn = solid(10, 20, 30), real = solid(200, 100, 50);
  const arm = mask((x) => (x === 0 ? 1 : 0)), obj = mask((x) => (x === 5 ? 1 : 0));
  const out = composeImage(syn, real, { arm, obj });
  for (let y = 0; y < H; y++) {
    assert.deepEqual(px(out, 0, y), [200, 100, 50]);
    assert.deepEqual(px(out, 5, y), [200, 100, 50]);
    for (let x = 1; x < 5; x++) assert.deepEqual(px(out, x, y), [10, 20, 30]);
  }
});

test('soft masks blend linearly and the union is clipped to 1', () => {
  const syn = solid(0, 0, 0), real = solid(100, 200, 40);
  const arm = mask((x) => (x === 1 ? 0.25 : x === 2 ? 0.8 : 0)), obj = mask((x) => (x === 1 ? 0.25 : x === 2 ? 0.8 : 0));
  const out = composeImage(syn, real, { arm, obj });
  assert.deepEqual(px(out, 1, 0).map((v) => Math.round(v * 1000) / 1000), [50, 100, 20]); // 0.5 real
  assert.deepEqual(px(out, 2, 0), [100, 200, 40]); // 1.6 clipped to 1: all real, no overshoot
  const u = maskUnion({ arm, obj }, W, H);
  assert.equal(u.data[2], 1);
  assert.equal(u.data[1], 0.5);
});

test('random RGB fill is seeded, per-region constant, and leaves unmasked pixels alone', () => {
  const syn = solid(1, 2, 3);
  const arm = mask((x) => (x < 2 ? 1 : 0)), obj = mask((x) => (x > 3 ? 1 : 0));
  const a = composeImage(syn, null, { arm, obj }, { fill: 'random-region', seed: 5, seedKeys: [0] });
  const b = composeImage(syn, null, { arm, obj }, { fill: 'random-region', seed: 5, seedKeys: [0] });
  const c = composeImage(syn, null, { arm, obj }, { fill: 'random-region', seed: 6, seedKeys: [0] });
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
  assert.deepEqual(px(a, 0, 0), px(a, 1, 3)); // one colour per region
  assert.notDeepEqual(px(a, 0, 0), px(a, 5, 0)); // arm and object colours differ
  assert.deepEqual(px(a, 2, 1), [1, 2, 3]);
  const n = composeImage(syn, null, { arm, obj }, { fill: 'random-pixel', seed: 5 });
  assert.notDeepEqual(px(n, 0, 0), px(n, 1, 0));
  assert.throws(() => composeImage(syn, null, { arm }, { fill: 'random-region' }), /needs a seed/);
});

test('sizes, channels and value ranges are checked with clear errors', () => {
  const syn = solid(0, 0, 0);
  const small: Image<Float32Array> = { data: new Float32Array(3 * 3 * 3), width: 3, height: 3, channels: 3 };
  assert.throws(() => composeImage(syn, small, {}, { where: { real: 'real/00000003.jpg' } }), (e: Error) => e instanceof InputError && /real\/00000003.jpg: image is 3×3 but the synthetic image is 6×4/.test(e.message));
  const bad = mask(() => 0); bad.data[7] = 1.5;
  assert.throws(() => composeImage(syn, syn, { obj: bad }, { where: { obj: 'masks/7.png' } }), /masks\/7.png: mask value at pixel 7 \(x=1, y=1\) is 1.5/);
  const gray: Image<Float32Array> = { data: new Float32Array(W * H), width: W, height: H, channels: 1 };
  assert.throws(() => composeImage(gray, syn, {}), /expected an RGB image/);
});

test('masks from label maps follow the 0/1/2/3 convention', () => {
  const labels: Image<Uint8Array> = { data: Uint8Array.from([0, 1, 2, 3, 3, 2]), width: 3, height: 2, channels: 1 };
  assert.deepEqual(Array.from(maskFromLabels(labels, [LABEL.object]).data), [0, 0, 0, 1, 1, 0]);
  assert.deepEqual(Array.from(maskFromLabels(labels, [LABEL.forearm]).data), [0, 0, 1, 0, 0, 1]);
});

test('pairing plans', () => {
  assert.deepEqual(pairingPlan(3, 5, 'same-index'), [0, 1, 2]);
  assert.throws(() => pairingPlan(6, 5, 'same-index'), /at least as many real samples/);
  assert.deepEqual(pairingPlan(5, 2, 'cyclic'), [0, 1, 0, 1, 0]);
  const r = pairingPlan(10, 10, 'random', 3);
  assert.deepEqual([...r].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // without replacement
  assert.deepEqual(r, pairingPlan(10, 10, 'random', 3));
  assert.notDeepEqual(r, pairingPlan(10, 10, 'random', 4));
});

test('rendered mask bytes decode to labels', async () => {
  const { labelsFromMask } = await import('../../lib/image/compose.ts');
  const img: Image<Uint8Array> = { data: Uint8Array.from([0, 255, 128, 64, 250, 70, 3]), width: 7, height: 1, channels: 1 };
  assert.deepEqual(Array.from(labelsFromMask(img).data), [0, 1, 2, 3, 1, 3, 0]);
  const raw: Image<Uint8Array> = { data: Uint8Array.from([0, 1, 2, 3]), width: 4, height: 1, channels: 1 };
  assert.deepEqual(Array.from(labelsFromMask(raw).data), [0, 1, 2, 3]);
});

test('label maps resize by nearest neighbour (no invented labels at edges)', async () => {
  const { resizeLabelsNearest } = await import('../../lib/image/compose.ts');
  const l: Image<Uint8Array> = { data: Uint8Array.from([0, 1, 3, 2]), width: 2, height: 2, channels: 1 };
  const r = resizeLabelsNearest(l, 4, 4);
  assert.deepEqual(Array.from(r.data), [0, 0, 1, 1, 0, 0, 1, 1, 3, 3, 2, 2, 3, 3, 2, 2]);
});
