import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft2, ifft2, rfft2, irfft2, expandHalf, complexFromReal, fftshift, ifftshift } from '../../lib/spectral/fft.ts';
import { fft1, ifft1, FftPlan } from '../../lib/spectral/fft-plan.ts';
import { Rng } from '../../lib/util/rng.ts';

/** Naive O(n²) DFT of an interleaved complex array, sign -1 (forward). */
function naiveDft(x: Float64Array): Float64Array {
  const n = x.length / 2, out = new Float64Array(2 * n);
  const cos = new Float64Array(n), sin = new Float64Array(n);
  for (let j = 0; j < n; j++) { cos[j] = Math.cos(-2 * Math.PI * j / n); sin[j] = Math.sin(-2 * Math.PI * j / n); }
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const t = (k * j) % n, c = cos[t], s = sin[t];
      sr += x[2 * j] * c - x[2 * j + 1] * s; si += x[2 * j] * s + x[2 * j + 1] * c;
    }
    out[2 * k] = sr; out[2 * k + 1] = si;
  }
  return out;
}

/** Separable naive 2D DFT (exactly the definition, row then column sums). */
function naiveDft2(p: { height: number; width: number; data: Float64Array }): Float64Array {
  const { height: H, width: W } = p, d = new Float64Array(p.data);
  for (let h = 0; h < H; h++) d.set(naiveDft(d.slice(2 * h * W, 2 * (h + 1) * W)), 2 * h * W);
  const col = new Float64Array(2 * H);
  for (let w = 0; w < W; w++) {
    for (let h = 0; h < H; h++) { col[2 * h] = d[2 * (h * W + w)]; col[2 * h + 1] = d[2 * (h * W + w) + 1]; }
    const c = naiveDft(col);
    for (let h = 0; h < H; h++) { d[2 * (h * W + w)] = c[2 * h]; d[2 * (h * W + w) + 1] = c[2 * h + 1]; }
  }
  return d;
}

function maxRelErr(a: Float64Array, b: Float64Array): number {
  let m = 0, scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / scale;
}

function randomComplex(rng: Rng, n: number): Float64Array { const x = new Float64Array(2 * n); for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1); return x; }

test('1D plans of every method match a naive DFT', () => {
  const rng = new Rng(1);
  const methods = new Set<string>();
  for (const n of [1, 2, 3, 5, 7, 8, 12, 13, 64, 96, 97, 130, 224, 225, 256, 1000]) {
    const x = randomComplex(rng, n);
    methods.add(new FftPlan(n).method);
    assert.ok(maxRelErr(fft1(x), naiveDft(x)) < 1e-12, `forward n=${n}`);
    assert.ok(maxRelErr(ifft1(fft1(x)), x) < 1e-12, `round trip n=${n}`);
  }
  assert.deepEqual([...methods].sort(), ['bluestein', 'direct', 'fftjs', 'split', 'trivial']);
});

test('2D FFT matches a naive DFT for 224, 225, 7×13, 256, 1×5, 97×130', () => {
  const rng = new Rng(2);
  for (const [H, W] of [[224, 224], [225, 225], [7, 13], [256, 256], [1, 5], [97, 130]]) {
    const p = { height: H, width: W, data: randomComplex(rng, H * W) };
    const ref = naiveDft2(p);
    const X = fft2(p);
    assert.ok(maxRelErr(X.data, ref) < 1e-12, `fft2 ${H}x${W}: ${maxRelErr(X.data, ref)}`);
    assert.ok(maxRelErr(ifft2(X).data, p.data) < 1e-12, `ifft2(fft2) ${H}x${W}`);
    // Parseval: Σ|x|² = Σ|X|² / (H·W)
    let ex = 0, eX = 0;
    for (let i = 0; i < p.data.length; i++) { ex += p.data[i] ** 2; eX += X.data[i] ** 2; }
    assert.ok(Math.abs(ex - eX / (H * W)) / ex < 1e-12, `Parseval ${H}x${W}`);
  }
});

test('real fast path equals the full complex transform and inverts exactly', () => {
  const rng = new Rng(3);
  for (const [H, W] of [[224, 224], [225, 225], [7, 13], [13, 7], [256, 256], [1, 6], [6, 1], [9, 8]]) {
    const C = 3, img = new Float32Array(H * W * C);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(rng.uniform(0, 256));
    for (let c = 0; c < C; c++) {
      const half = rfft2(img, H, W, C, c);
      const full = fft2(complexFromReal(img, H, W, C, c));
      assert.ok(maxRelErr(expandHalf(half).data, full.data) < 1e-12, `rfft2 ${H}x${W} ch${c}`);
      const back = irfft2(half);
      let m = 0; for (let i = 0; i < H * W; i++) m = Math.max(m, Math.abs(back[i] - img[i * C + c]));
      assert.ok(m < 1e-9, `irfft2 ${H}x${W}: ${m}`);
    }
  }
});

test('fftshift moves DC to the centre and ifftshift undoes it (odd and even sizes)', () => {
  for (const [H, W] of [[4, 6], [5, 7]]) {
    const x = new Float64Array(H * W).map((_, i) => i);
    const s = fftshift(x, H, W);
    assert.equal(s[(H >> 1) * W + (W >> 1)], 0);
    assert.deepEqual(Array.from(ifftshift(s, H, W)), Array.from(x));
  }
});
