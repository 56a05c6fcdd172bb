/**
 * Exact 2D discrete Fourier transforms of any size, in float64 (pure math, no IO), on top of the batched
 * kernels (batched.ts) and the 1D plans (fft-plan.ts). Conventions follow numpy: forward
 * X[k] = Σ x[n]·e^{-2πi kn/N}, inverse scaled by 1/N. Complex data is interleaved [re0, im0, re1, im1, ...]
 * in Float64Arrays; planes are row-major, H×W.
 */
import { batchFft } from './batched.ts';

/** A complex H×W plane, interleaved, row-major. */
export interface ComplexPlane { height: number; width: number; data: Float64Array }

/**
 * A real plane's spectrum, non-redundant half: H rows × (floor(W/2)+1) columns, interleaved complex.
 * The rest follows from Hermitian symmetry X[h][w] = conj(X[-h mod H][-w mod W]).
 */
export interface HalfSpectrum { height: number; width: number; halfWidth: number; data: Float64Array }

function transformRowsCols(p: ComplexPlane, inverse: boolean): ComplexPlane {
  const { height: H, width: W } = p, N = H * W, d = p.data;
  const re = new Float64Array(N), im = new Float64Array(N), sr = new Float64Array(N), si = new Float64Array(N);
  // rows: transposed layout [w][h] so the H rows are the batch
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) { const k = 2 * (h * W + w); re[w * H + h] = d[k]; im[w * H + h] = d[k + 1]; }
  const rows = batchFft(W), cols = batchFft(H);
  if (inverse) rows.inverse(re, im, H, sr, si); else rows.forward(re, im, H, sr, si);
  // columns: layout [h][w], the W columns are the batch
  for (let w = 0; w < W; w++) for (let h = 0; h < H; h++) { sr[h * W + w] = re[w * H + h]; si[h * W + w] = im[w * H + h]; }
  if (inverse) cols.inverse(sr, si, W, re, im); else cols.forward(sr, si, W, re, im);
  const out = new Float64Array(2 * N);
  for (let i = 0; i < N; i++) { out[2 * i] = sr[i]; out[2 * i + 1] = si[i]; }
  return { height: H, width: W, data: out };
}

/** Full complex 2D DFT (numpy.fft.fft2). */
export function fft2(p: ComplexPlane): ComplexPlane { return transformRowsCols(p, false); }
/** Full complex inverse 2D DFT with the 1/(H·W) scale (numpy.fft.ifft2). */
export function ifft2(p: ComplexPlane): ComplexPlane { return transformRowsCols(p, true); }

/** A complex plane from a real one (imaginary parts zero). `stride`/`offset` read one channel of an HWC buffer. */
export function complexFromReal(values: ArrayLike<number>, height: number, width: number, stride = 1, offset = 0): ComplexPlane {
  const data = new Float64Array(2 * height * width);
  for (let i = 0, j = offset; i < height * width; i++, j += stride) data[2 * i] = values[j];
  return { height, width, data };
}

/** Scratch for the real transforms, keyed by size (one set per thread; the functions are not re-entrant). */
class RealScratch {
  readonly rowRe: Float64Array; readonly rowIm: Float64Array; readonly colRe: Float64Array; readonly colIm: Float64Array;
  readonly tmpRe: Float64Array; readonly tmpIm: Float64Array;
  constructor(H: number, W: number) {
    const P = (H + 1) >> 1, Wh = (W >> 1) + 1, big = Math.max(W * P, H * Wh);
    this.rowRe = new Float64Array(W * P); this.rowIm = new Float64Array(W * P);
    this.colRe = new Float64Array(H * Wh); this.colIm = new Float64Array(H * Wh);
    this.tmpRe = new Float64Array(big); this.tmpIm = new Float64Array(big);
  }
}
const scratchCache = new Map<string, RealScratch>();
function scratch(H: number, W: number): RealScratch {
  const k = `${H}x${W}`; let s = scratchCache.get(k);
  if (!s) { s = new RealScratch(H, W); scratchCache.set(k, s); }
  return s;
}

/**
 * Forward 2D DFT of a real plane, returning the non-redundant half (numpy.fft.rfft2 layout).
 * Fast path: rows 2j and 2j+1 form one complex row (all row pairs in one batched transform), then only
 * floor(W/2)+1 columns are transformed. `stride`/`offset` pick one channel of an interleaved HWC buffer.
 * `out` may be passed to avoid allocation.
 */
export function rfft2(values: ArrayLike<number>, height: number, width: number, stride = 1, offset = 0, out?: HalfSpectrum): HalfSpectrum {
  const H = height, W = width, Wh = (W >> 1) + 1, P = (H + 1) >> 1;
  const res = out ?? { height: H, width: W, halfWidth: Wh, data: new Float64Array(2 * H * Wh) };
  const s = scratch(H, W), zr = s.rowRe, zi = s.rowIm, cr = s.colRe, ci = s.colIm;
  // z_j = row(2j) + i·row(2j+1), stored transposed [w][j]
  for (let j = 0; j < P; j++) {
    const h0 = 2 * j, two = h0 + 1 < H;
    let a = offset + h0 * W * stride, b = a + W * stride;
    for (let w = 0, k = j; w < W; w++, k += P, a += stride, b += stride) { zr[k] = values[a]; zi[k] = two ? values[b] : 0; }
  }
  batchFft(W).forward(zr, zi, P, s.tmpRe, s.tmpIm);
  // A[k] = (Z[k] + conj Z[-k]) / 2 (row 2j), B[k] = (Z[k] - conj Z[-k]) / 2i (row 2j+1), into [h][k] for the columns
  for (let k = 0; k < Wh; k++) {
    const kk = k === 0 ? 0 : W - k, r1 = k * P, r2 = kk * P;
    for (let j = 0; j < P; j++) {
      const ar = zr[r1 + j], ai = zi[r1 + j], br = zr[r2 + j], bi = -zi[r2 + j];
      const o = 2 * j * Wh + k;
      cr[o] = 0.5 * (ar + br); ci[o] = 0.5 * (ai + bi);
      if (2 * j + 1 < H) { cr[o + Wh] = 0.5 * (ai - bi); ci[o + Wh] = -0.5 * (ar - br); }
    }
  }
  batchFft(H).forward(cr, ci, Wh, s.tmpRe, s.tmpIm);
  const d = res.data;
  for (let i = 0, n = H * Wh; i < n; i++) { d[2 * i] = cr[i]; d[2 * i + 1] = ci[i]; }
  return res;
}

/**
 * Inverse of rfft2: a Hermitian half spectrum back to a real H×W plane (numpy.fft.irfft2 with s=(H, W)).
 * The half spectrum is not modified. Output written at `stride`/`offset` into `out` if given.
 */
export function irfft2(spec: HalfSpectrum, out?: Float64Array | Float32Array, stride = 1, offset = 0): Float64Array | Float32Array {
  const { height: H, width: W, halfWidth: Wh } = spec, P = (H + 1) >> 1;
  const res = out ?? new Float64Array(H * W);
  const s = scratch(H, W), zr = s.rowRe, zi = s.rowIm, cr = s.colRe, ci = s.colIm, d = spec.data;
  for (let i = 0, n = H * Wh; i < n; i++) { cr[i] = d[2 * i]; ci[i] = d[2 * i + 1]; }
  batchFft(H).inverse(cr, ci, Wh, s.tmpRe, s.tmpIm);
  // rows: Z = A + i·B with A, B the Hermitian-completed spectra of rows 2j, 2j+1; ifft(Z) = a + i·b.
  // numpy's irfft ignores the imaginary part of the DC and Nyquist bins; so do we.
  const full = H >> 1, W2 = 2 * Wh;
  for (let k = 0; k < W; k++) {
    const mirror = k >= Wh, kk = mirror ? W - k : k, selfConj = k === 0 || 2 * k === W, zo = k * P;
    if (selfConj) {
      for (let j = 0, o = kk; j < full; j++, o += W2) { zr[zo + j] = cr[o]; zi[zo + j] = cr[o + Wh]; }
    } else if (!mirror) {
      for (let j = 0, o = kk; j < full; j++, o += W2) { zr[zo + j] = cr[o] - ci[o + Wh]; zi[zo + j] = ci[o] + cr[o + Wh]; }
    } else {
      for (let j = 0, o = kk; j < full; j++, o += W2) { zr[zo + j] = cr[o] + ci[o + Wh]; zi[zo + j] = cr[o + Wh] - ci[o]; }
    }
    if (full < P) { // odd H: the last row has no partner
      const o = 2 * full * Wh + kk;
      zr[zo + full] = cr[o]; zi[zo + full] = selfConj ? 0 : (mirror ? -ci[o] : ci[o]);
    }
  }
  batchFft(W).inverse(zr, zi, P, s.tmpRe, s.tmpIm);
  for (let j = 0; j < P; j++) {
    const two = 2 * j + 1 < H;
    let a = offset + 2 * j * W * stride, b = a + W * stride;
    for (let w = 0, k = j; w < W; w++, k += P, a += stride, b += stride) { res[a] = zr[k]; if (two) res[b] = zi[k]; }
  }
  return res;
}

/** The full H×W spectrum from a half spectrum, by Hermitian symmetry. */
export function expandHalf(spec: HalfSpectrum): ComplexPlane {
  const { height: H, width: W, halfWidth: Wh } = spec;
  const data = new Float64Array(2 * H * W);
  for (let h = 0; h < H; h++) {
    const hm = h === 0 ? 0 : H - h;
    for (let w = 0; w < W; w++) {
      const o = 2 * (h * W + w);
      if (w < Wh) { const i = 2 * (h * Wh + w); data[o] = spec.data[i]; data[o + 1] = spec.data[i + 1]; }
      else { const i = 2 * (hm * Wh + (W - w)); data[o] = spec.data[i]; data[o + 1] = -spec.data[i + 1]; }
    }
  }
  return { height: H, width: W, data };
}

/** Expand a real per-frequency map given on the half grid (H×Wh) to the full H×W grid (even symmetry). */
export function expandHalfReal(values: ArrayLike<number>, H: number, W: number): Float64Array {
  const Wh = (W >> 1) + 1, out = new Float64Array(H * W);
  for (let h = 0; h < H; h++) {
    const hm = h === 0 ? 0 : H - h;
    for (let w = 0; w < W; w++) out[h * W + w] = w < Wh ? values[h * Wh + w] : values[hm * Wh + (W - w)];
  }
  return out;
}

/** numpy.fft.fftshift for a real or complex (itemSize 2) H×W plane: DC moves to (floor(H/2), floor(W/2)). */
export function fftshift<T extends Float64Array | Float32Array>(values: T, height: number, width: number, itemSize: 1 | 2 = 1): T {
  return roll2(values, height, width, itemSize, height >> 1, width >> 1);
}

/** numpy.fft.ifftshift: inverse of fftshift (differs for odd sizes). */
export function ifftshift<T extends Float64Array | Float32Array>(values: T, height: number, width: number, itemSize: 1 | 2 = 1): T {
  return roll2(values, height, width, itemSize, height - (height >> 1), width - (width >> 1));
}

function roll2<T extends Float64Array | Float32Array>(values: T, H: number, W: number, item: number, dh: number, dw: number): T {
  const out = new (values.constructor as new (n: number) => T)(values.length);
  for (let h = 0; h < H; h++) {
    const th = (h + dh) % H;
    for (let w = 0; w < W; w++) {
      const tw = (w + dw) % W, s = item * (h * W + w), t = item * (th * W + tw);
      for (let c = 0; c < item; c++) out[t + c] = values[s + c];
    }
  }
  return out;
}
