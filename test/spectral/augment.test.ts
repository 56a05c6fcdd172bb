import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amplitudeMix, amplitudePerturb, amplitudeSwap, fdaSwap, augmentBatch, ReferencePool, factWindow, fdaWindow } from '../../lib/spectral/augment.ts';
import { channelSpectra, phase, amplitude } from '../../lib/spectral/spectrum.ts';
import { Rng } from '../../lib/util/rng.ts';

/** A smooth mid-grey image with mild texture: augmentations of it stay inside 0..255 (no clipping). */
function softImage(rng: Rng, H: number, W: number) {
  const data = new Uint8Array(H * W * 3);
  const fx = rng.uniform(1, 4), fy = rng.uniform(1, 4);
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < 3; c++) {
    data[(h * W + w) * 3 + c] = Math.round(128 + 30 * Math.sin(2 * Math.PI * (fx * w / W + fy * h / H) + c) + rng.uniform(-10, 10));
  }
  return { data, height: H, width: W, channels: 3 };
}

/** Max |Δphase| (wrapped) over frequencies where both amplitudes are clearly non-zero. */
function phaseDiff(a: { data: ArrayLike<number>; height: number; width: number; channels: number }, b: typeof a): number {
  const sa = channelSpectra(a), sb = channelSpectra(b);
  let worst = 0;
  for (let c = 0; c < sa.length; c++) {
    const pa = phase(sa[c]), pb = phase(sb[c]), aa = amplitude(sa[c]), ab = amplitude(sb[c]);
    for (let i = 0; i < pa.length; i++) {
      if (aa[i] < 50 || ab[i] < 50) continue; // float32 output: rounding noise ~1e-2 in the spectrum
      let d = Math.abs(pa[i] - pb[i]); if (d > Math.PI) d = 2 * Math.PI - d;
      worst = Math.max(worst, d);
    }
  }
  return worst;
}

function unclipped(img: { data: Float32Array }): boolean { return img.data.every((v) => v > 0 && v < 255); }

test('every augmentation keeps the source phase exactly where nothing was clipped (224×224 and odd 45×37)', () => {
  const rng = new Rng(9);
  for (const [H, W] of [[224, 224], [45, 37]]) {
    const src = softImage(rng, H, W), ref = softImage(rng, H, W);
    const outs = {
      mix: amplitudeMix(src, ref, 0.7),
      mixWindow: amplitudeMix(src, ref, 0.5, { window: fdaWindow(H, W, 0.1) }),
      swap: amplitudeSwap(src, ref),
      fda: fdaSwap(src, ref, 0.05),
      perturb: amplitudePerturb(src, new Rng(1), { sigma: 0.3 }),
      perturbRadial: amplitudePerturb(src, new Rng(2), { sigma: 0.3, mode: 'radial' }),
    };
    for (const [name, out] of Object.entries(outs)) {
      // outputs are float32: the check uses coefficients well above the rounding noise
      assert.ok(unclipped(out), `${name} ${H}x${W} clipped, test image too strong`);
      const d = phaseDiff(src, out);
      assert.ok(d < 1e-4, `${name} ${H}x${W}: phase changed by ${d}`);
    }
    // and the amplitude did change
    const a0 = amplitude(channelSpectra(src)[0]), a1 = amplitude(channelSpectra(outs.mix)[0]);
    let changed = 0; for (let i = 1; i < a0.length; i++) changed = Math.max(changed, Math.abs(a0[i] - a1[i]));
    assert.ok(changed > 1, 'amplitude unchanged');
  }
});

test('amplitude mix: λ = 0 is the identity, λ = 1 equals the swap, output clipped to 0..255', () => {
  const rng = new Rng(4), src = softImage(rng, 32, 32), ref = { data: Uint8Array.from({ length: 32 * 32 * 3 }, () => rng.int(0, 256)), height: 32, width: 32, channels: 3 };
  const id = amplitudeMix(src, ref, 0);
  for (let i = 0; i < id.data.length; i++) assert.ok(Math.abs(id.data[i] - src.data[i]) < 1e-4);
  const one = amplitudeMix(src, ref, 1, { clip: null }), sw = amplitudeSwap(src, ref, { clip: null });
  assert.deepEqual(one.data, sw.data);
  assert.ok(one.data.some((v) => v < 0 || v > 255), 'expected a raw result outside 0..255 for a noise reference');
  const clipped = amplitudeMix(src, ref, 1);
  assert.ok(clipped.data.every((v) => v >= 0 && v <= 255));
  assert.throws(() => amplitudeMix(src, { ...ref, width: 16, data: ref.data.slice(0, 16 * 32 * 3) }, 0.5), /reference image/);
});

test('windows follow the official definitions', () => {
  assert.deepEqual(factWindow(224, 224, 0.5), { rows: [33, 191], cols: [33, 191] });
  assert.deepEqual(factWindow(256, 256, 0.5), { rows: [38, 219], cols: [38, 219] });
  assert.deepEqual(fdaWindow(224, 224, 0.05), { rows: [101, 124], cols: [101, 124] });
  assert.deepEqual(fdaWindow(256, 256, 0.1), { rows: [103, 154], cols: [103, 154] });
});

test('seeded batch augmentation: same seed and keys give the same images and records; draws depend on the key', () => {
  const rng = new Rng(2), imgs = Array.from({ length: 4 }, () => softImage(rng, 24, 24));
  const pool = ReferencePool.fromImages(imgs);
  const aug = { kind: 'mix' as const, eta: 1 };
  const a = augmentBatch(imgs, [10, 11, 12, 13], aug, 42, pool);
  const b = augmentBatch(imgs.slice(1), [11, 12, 13], aug, 42, pool);
  assert.deepEqual(a.records.slice(1), b.records);
  assert.deepEqual(a.images[2].data, b.images[1].data);
  assert.notEqual(a.records[0].lambda, a.records[1].lambda);
  for (const r of a.records) assert.ok(r.lambda! >= 0 && r.lambda! < 1);
  const p = augmentBatch(imgs, [1, 2, 3, 4], { kind: 'perturb', sigma: 0.2 }, 7);
  const q = augmentBatch(imgs, [1, 2, 3, 4], { kind: 'perturb', sigma: 0.2 }, 8);
  assert.notDeepEqual(p.images[0].data, q.images[0].data);
});

test('unit-range images: the batch clip argument keeps outputs in 0..1', () => {
  const rng = new Rng(6), imgs = Array.from({ length: 3 }, () => ({ data: Float32Array.from({ length: 16 * 16 * 3 }, () => rng.random()), width: 16, height: 16, channels: 3 }));
  const out = augmentBatch(imgs, [0, 1, 2], { kind: 'perturb', sigma: 1.5 }, 3, undefined, [0, 1]);
  for (const im of out.images) assert.ok(im.data.every((v) => v >= 0 && v <= 1));
  assert.ok(out.images.some((im) => im.data.some((v) => v === 0 || v === 1)), 'strong noise should hit the range limits');
});
