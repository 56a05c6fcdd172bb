import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { rfft2f32, irfft2f32, fft32Supports, amplitudeMix32, toFastLayout } from '../../lib/spectral/fft32.ts';
import { fft32MatchesSource } from '../../lib/spectral/wasm/build.ts';
import { fft2, complexFromReal } from '../../lib/spectral/fft.ts';
import { amplitudeMix, amplitudeSwap, amplitudeRef, applySpectralAugment, augmentBatch, ReferencePool } from '../../lib/spectral/augment.ts';
import { Rng } from '../../lib/util/rng.ts';

type Img = { data: Uint8Array; width: number; height: number; channels: number };
function randomImage(H: number, W: number, C: number, seed: number): Img {
  const rng = new Rng(seed), d = new Uint8Array(H * W * C);
  // smooth structure plus noise, like a photo (large DC, decaying spectrum)
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) {
    const v = 128 + 60 * Math.sin((h + 3 * c) / 9) * Math.cos(w / 7) + 40 * (rng.random() - 0.5);
    d[(h * W + w) * C + c] = Math.max(0, Math.min(255, Math.round(v)));
  }
  return { data: d, width: W, height: H, channels: C };
}

/** Naive 2D DFT of channel c (float64): X[k][v] = Σ x[h][w] e^{-2πi(kh/H + vw/W)}. */
function naiveDft(img: Img, c: number): { re: Float64Array; im: Float64Array } {
  const { height: H, width: W, channels: C } = img, re = new Float64Array(H * W), im = new Float64Array(H * W);
  for (let k = 0; k < H; k++) for (let v = 0; v < W; v++) {
    let sr = 0, si = 0;
    for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
      const a = -2 * Math.PI * (((k * h) % H) / H + ((v * w) % W) / W), x = img.data[(h * W + w) * C + c];
      sr += x * Math.cos(a); si += x * Math.sin(a);
    }
    re[k * W + v] = sr; im[k * W + v] = si;
  }
  return { re, im };
}

/** Max |float32 fast-layout spectrum − reference| over k < Hh, relative to the largest reference amplitude. */
function relError(img: Img, c: number, ref: { re: ArrayLike<number>; im: ArrayLike<number> }): number {
  const s = rfft2f32(img)[c], H = img.height, W = img.width, Hh = (H >> 1) + 1;
  let err = 0, peak = 0;
  for (let k = 0; k < Hh; k++) for (let v = 0; v < W; v++) {
    const rr = ref.re[k * W + v], ri = ref.im[k * W + v];
    peak = Math.max(peak, Math.hypot(rr, ri));
    err = Math.max(err, Math.hypot(s.re[v * s.Kp + k] - rr, s.im[v * s.Kp + k] - ri));
  }
  return err / peak;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('the committed fft32.wasm equals a rebuild of fft32.as', () => {
  assert.ok(fft32MatchesSource(), 'rebuild differs: run node --import tsx lib/spectral/wasm/build.ts');
});

test('float32 forward transform matches a naive DFT (small sizes, packed/unpacked, SIMD/scalar layout steps)', () => {
  // 8×8 and 12×16 take the SIMD layout steps; 7×13 (odd width: unpacked), 6×10, 1×5, 5×4 the scalar ones
  for (const [H, W] of [[8, 8], [12, 16], [7, 13], [6, 10], [1, 5], [5, 4], [9, 2]]) {
    const img = randomImage(H, W, 3, H * 100 + W);
    for (const c of [0, 2]) {
      const e = relError(img, c, naiveDft(img, c));
      assert.ok(e < 2e-6, `${H}×${W} channel ${c}: relative error ${e}`);
    }
  }
});

test('float32 forward matches the float64 fft2 at 224×224, 225×225 and 7×13; inverse(forward(x)) = x', () => {
  for (const [H, W] of [[224, 224], [225, 225], [7, 13], [256, 256]]) {
    const img = randomImage(H, W, 3, H + W);
    const X = fft2(complexFromReal(img.data, H, W, 3, 1)).data;
    const re = new Float64Array(H * W), im = new Float64Array(H * W);
    for (let i = 0; i < H * W; i++) { re[i] = X[2 * i]; im[i] = X[2 * i + 1]; }
    const e = relError(img, 1, { re, im });
    assert.ok(e < 1e-6, `${H}×${W}: relative error ${e}`);
    const back = irfft2f32(rfft2f32(img));
    const d = maxAbsDiff(back.data, img.data);
    assert.ok(d < 1e-3, `${H}×${W}: round trip error ${d}`);
  }
});

test('float32 amplitude mix agrees with the float64 path within 0.01 on 0..255 (224, odd 225, 7×13, swap)', () => {
  for (const [H, W] of [[224, 224], [225, 225], [7, 13]]) {
    const src = randomImage(H, W, 3, 1), ref = randomImage(H, W, 3, 2);
    const r = amplitudeRef(ref, true);
    for (const lambda of [0, 0.3, 1]) {
      const a = amplitudeMix(src, r, lambda), b = amplitudeMix(src, r, lambda, { precision: 'float32' });
      const d = maxAbsDiff(a.data, b.data);
      assert.ok(d <= 0.01, `${H}×${W} λ=${lambda}: max difference ${d}`);
      if (lambda > 0) assert.ok(maxAbsDiff(b.data, src.data) > 1, 'the mix changes the image');
    }
    const d = maxAbsDiff(amplitudeSwap(src, r).data, amplitudeSwap(src, r, { precision: 'float32' }).data);
    assert.ok(d <= 0.01, `${H}×${W} swap: ${d}`);
  }
});

test('float32 amplitude mix handles 1 and 4 channels', () => {
  for (const [H, W, C] of [[224, 224, 1], [9, 14, 4], [8, 8, 4]]) {
    const src = randomImage(H, W, C, 7), r = amplitudeRef(randomImage(H, W, C, 8), true);
    const d = maxAbsDiff(amplitudeMix(src, r, 0.4).data, amplitudeMix(src, r, 0.4, { precision: 'float32' }).data);
    assert.ok(d <= 0.01, `${H}×${W}×${C}: ${d}`);
  }
});

test('float32 path on float 0..1 images (as the training pipeline passes them) agrees within 0.01/255', () => {
  for (const [H, W] of [[224, 224], [7, 13]]) {
    const unit = (im: Img) => ({ ...im, data: Float32Array.from(im.data, (v) => v / 255) });
    const src = unit(randomImage(H, W, 3, 3)), ref = unit(randomImage(H, W, 3, 4)), r = amplitudeRef(ref, true);
    const a = amplitudeMix(src, r, 0.7, { clip: [0, 1] }), b = amplitudeMix(src, r, 0.7, { clip: [0, 1], precision: 'float32' });
    const d = maxAbsDiff(a.data, b.data);
    assert.ok(d <= 0.01 / 255, `${H}×${W}: ${d}`);
    assert.ok(maxAbsDiff(b.data, src.data) > 0.01);
  }
});

test('float32 amplitude mix keeps the source phase and sets the mixed amplitude', () => {
  const H = 224, W = 224, src = randomImage(H, W, 3, 5), ref = randomImage(H, W, 3, 6), lambda = 0.6;
  const r = amplitudeRef(ref, true);
  const out = amplitudeMix(src, r, lambda, { precision: 'float32', clip: null }); // no clipping: the spectrum is exact
  for (const c of [0, 1, 2]) {
    const X = fft2(complexFromReal(src.data, H, W, 3, c)).data, Y = fft2(complexFromReal(out.data, H, W, 3, c)).data;
    const R = fft2(complexFromReal(ref.data, H, W, 3, c)).data;
    let peak = 0;
    for (let i = 0; i < H * W; i++) peak = Math.max(peak, Math.hypot(X[2 * i], X[2 * i + 1]));
    let worstPhase = 0, worstAmp = 0;
    for (let i = 0; i < H * W; i++) {
      const ax = Math.hypot(X[2 * i], X[2 * i + 1]), ay = Math.hypot(Y[2 * i], Y[2 * i + 1]), ar = Math.hypot(R[2 * i], R[2 * i + 1]);
      worstAmp = Math.max(worstAmp, Math.abs(ay - ((1 - lambda) * ax + lambda * ar)) / peak);
      if (ax > 1e-3 * peak && ay > 1e-3 * peak) {
        let dp = Math.abs(Math.atan2(Y[2 * i + 1], Y[2 * i]) - Math.atan2(X[2 * i + 1], X[2 * i]));
        if (dp > Math.PI) dp = 2 * Math.PI - dp;
        worstPhase = Math.max(worstPhase, dp);
      }
    }
    assert.ok(worstPhase < 1e-3, `channel ${c}: phase moved by ${worstPhase} rad`);
    assert.ok(worstAmp < 1e-5, `channel ${c}: amplitude off by ${worstAmp} of the peak`);
  }
});

test('training path: seeded, deterministic, float32 by default, same draws as float64, `out` honoured', () => {
  const H = 224, W = 224, imgs = [1, 2, 3, 4].map((s) => randomImage(H, W, 3, 10 + s));
  const pool = ReferencePool.fromImages([randomImage(H, W, 3, 20), randomImage(H, W, 3, 21)]);
  const a = augmentBatch(imgs, [0, 1, 2, 3], { kind: 'mix', eta: 1 }, 42, pool);
  const b = augmentBatch(imgs, [0, 1, 2, 3], { kind: 'mix', eta: 1 }, 42, pool);
  const f64 = augmentBatch(imgs, [0, 1, 2, 3], { kind: 'mix', eta: 1 }, 42, pool, undefined, 'float64');
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.records, f64.records);
  for (let i = 0; i < imgs.length; i++) {
    assert.ok(Buffer.from(a.images[i].data.buffer).equals(Buffer.from(b.images[i].data.buffer)), `image ${i} not reproducible`);
    assert.ok(maxAbsDiff(a.images[i].data, f64.images[i].data) <= 0.01);
  }
  const out = new Float32Array(H * W * 3);
  const r = applySpectralAugment(imgs[0], { kind: 'mix', eta: 1 }, Rng.derive(42, 'spectral', 0), pool, undefined, { out });
  assert.equal(r.image.data, out);
  assert.deepEqual(Array.from(out.subarray(0, 1000)), Array.from(a.images[0].data.subarray(0, 1000)));
  assert.throws(() => applySpectralAugment(imgs[0], { kind: 'mix', eta: 1 }, new Rng(1), pool, undefined, { out: new Float32Array(5) }), /out/);
});

test('sizes with a prime factor above 64 fall back to float64; a bad reference layout is refused', () => {
  assert.equal(fft32Supports(224, 224), true);
  assert.equal(fft32Supports(134, 134), false); // 2·67
  const src = randomImage(6, 67, 3, 1), ref = randomImage(6, 67, 3, 2), r = amplitudeRef(ref, true);
  const d = maxAbsDiff(amplitudeMix(src, r, 0.5).data, amplitudeMix(src, r, 0.5, { precision: 'float32' }).data);
  assert.equal(d, 0); // the same float64 computation
  assert.throws(() => amplitudeMix32(randomImage(8, 8, 3, 1), [new Float32Array(3), new Float32Array(3), new Float32Array(3)], 0.5, null), /reference amplitude/);
  assert.equal(toFastLayout(r.amp[0], 6, 67).length, 67 * 4);
});
