/**
 * Exact discrete Fourier transforms of any length, in float64 (pure math, no IO).
 *
 * 1D plans: powers of two go to fft.js (radix-4); n = 2^p·m with a small odd part m (m ≤ 64, e.g. 224 = 32·7)
 * use one Cooley–Tukey split (m fft.js transforms of length 2^p, twiddles, 2^p direct DFTs of length m);
 * any other length uses Bluestein's chirp-z algorithm on top of a power-of-two fft.js convolution.
 * Conventions follow numpy: forward X[k] = Σ x[n]·e^{-2πi kn/N}, inverse scaled by 1/N.
 *
 * Complex data is interleaved [re0, im0, re1, im1, ...] in Float64Arrays. 2D planes are row-major, H×W.
 */
import FFTJS from 'fft.js';
import { batchFft } from './batched.ts';

interface FftJs {
  transform(out: ArrayLike<number>, data: ArrayLike<number>): void;
  inverseTransform(out: ArrayLike<number>, data: ArrayLike<number>): void;
}
const FFTCtor = FFTJS as unknown as new (size: number) => FftJs;

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
const nextPow2 = (n: number): number => { let p = 1; while (p < n) p <<= 1; return p; };

/** Largest odd part handled by the direct split before switching to Bluestein. */
const MAX_DIRECT_ODD = 64;

/** A reusable forward/inverse transform of one length. Not re-entrant (owns scratch buffers). */
export class FftPlan {
  readonly n: number;
  readonly method: 'trivial' | 'fftjs' | 'split' | 'direct' | 'bluestein';
  private readonly fftjs: FftJs | null = null;
  // split: n = p·m
  private readonly p: number = 1;
  private readonly m: number = 1;
  private readonly twiddle: Float64Array = new Float64Array(0); // [n2*p + k1] complex, W_n^{n2·k1}
  private readonly rootsM: Float64Array = new Float64Array(0); // W_m^j, j < m, complex
  private readonly subIn: Float64Array = new Float64Array(0);
  private readonly subTmp: Float64Array = new Float64Array(0);
  private readonly subOut: Float64Array = new Float64Array(0); // m blocks of p complex
  private readonly cosM: Float64Array = new Float64Array(0); // [k·m + j] = cos(2π jk/m)
  private readonly sinM: Float64Array = new Float64Array(0);
  private readonly pairS: Float64Array = new Float64Array(0);
  private readonly pairD: Float64Array = new Float64Array(0);
  // bluestein
  private readonly chirp: Float64Array = new Float64Array(0); // c_k = e^{-iπk²/n}
  private readonly kernelF: Float64Array = new Float64Array(0); // FFT of conj chirp, length M
  private readonly bufA: Float64Array = new Float64Array(0);
  private readonly bufB: Float64Array = new Float64Array(0);
  private readonly conjBuf: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`FftPlan: length must be a positive integer, got ${n}`);
    this.n = n;
    this.conjBuf = new Float64Array(2 * n);
    if (n === 1) { this.method = 'trivial'; return; }
    if (isPow2(n)) { this.method = 'fftjs'; this.fftjs = new FFTCtor(n); return; }
    let p = 1; while ((n % (2 * p)) === 0) p *= 2;
    const m = n / p;
    if (m <= MAX_DIRECT_ODD) {
      this.p = p; this.m = m;
      this.method = p === 1 ? 'direct' : 'split';
      this.rootsM = new Float64Array(2 * m);
      for (let j = 0; j < m; j++) { const a = -2 * Math.PI * j / m; this.rootsM[2 * j] = Math.cos(a); this.rootsM[2 * j + 1] = Math.sin(a); }
      if (p > 1) {
        this.fftjs = new FFTCtor(p);
        this.twiddle = new Float64Array(2 * n);
        for (let n2 = 0; n2 < m; n2++) for (let k1 = 0; k1 < p; k1++) {
          const a = -2 * Math.PI * ((n2 * k1) % n) / n, i = 2 * (n2 * p + k1);
          this.twiddle[i] = Math.cos(a); this.twiddle[i + 1] = Math.sin(a);
        }
        this.subIn = new Float64Array(2 * p); this.subTmp = new Float64Array(2 * p);
        this.subOut = new Float64Array(2 * n);
        this.cosM = new Float64Array(m * m); this.sinM = new Float64Array(m * m);
        for (let k = 0; k < m; k++) for (let j = 0; j < m; j++) {
          const a = 2 * Math.PI * ((j * k) % m) / m;
          this.cosM[k * m + j] = Math.cos(a); this.sinM[k * m + j] = Math.sin(a);
        }
        this.pairS = new Float64Array(m + 1); this.pairD = new Float64Array(m + 1);
      }
      return;
    }
    this.method = 'bluestein';
    const M = nextPow2(2 * n - 1);
    this.fftjs = new FFTCtor(M);
    this.chirp = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const a = -Math.PI * ((k * k) % (2 * n)) / n; // k² mod 2n keeps the angle exact for large k
      this.chirp[2 * k] = Math.cos(a); this.chirp[2 * k + 1] = Math.sin(a);
    }
    const b = new Float64Array(2 * M);
    for (let k = 0; k < n; k++) {
      b[2 * k] = this.chirp[2 * k]; b[2 * k + 1] = -this.chirp[2 * k + 1];
      if (k > 0) { b[2 * (M - k)] = this.chirp[2 * k]; b[2 * (M - k) + 1] = -this.chirp[2 * k + 1]; }
    }
    this.kernelF = new Float64Array(2 * M);
    this.fftjs.transform(this.kernelF, b);
    this.bufA = new Float64Array(2 * M);
    this.bufB = new Float64Array(2 * M);
  }

  /** out = DFT(input); both interleaved complex of length n; out must not alias input. */
  forward(out: Float64Array, input: Float64Array): void {
    const n = this.n;
    switch (this.method) {
      case 'trivial': out[0] = input[0]; out[1] = input[1]; return;
      case 'fftjs': this.fftjs!.transform(out, input); return;
      case 'direct': this.directDft(out, 0, 1, input, 0, 1, n); return;
      case 'split': this.splitForward(out, input); return;
      case 'bluestein': this.bluesteinForward(out, input); return;
    }
  }

  /** out = IDFT(input) with the 1/n scale (numpy's ifft). */
  inverse(out: Float64Array, input: Float64Array): void {
    const n = this.n, c = this.conjBuf;
    for (let i = 0; i < 2 * n; i += 2) { c[i] = input[i]; c[i + 1] = -input[i + 1]; }
    this.forward(out, c);
    const s = 1 / n;
    for (let i = 0; i < 2 * n; i += 2) { out[i] *= s; out[i + 1] *= -s; }
  }

  /** Direct O(len²) DFT of a strided complex sequence of length len = this.m (uses rootsM). */
  private directDft(out: Float64Array, oOff: number, oStride: number, x: Float64Array, xOff: number, xStride: number, len: number): void {
    const r = this.rootsM;
    for (let k = 0; k < len; k++) {
      let sr = 0, si = 0, idx = 0;
      for (let j = 0; j < len; j++) {
        const xi = 2 * (xOff + j * xStride), wr = r[2 * idx], wi = r[2 * idx + 1];
        const ar = x[xi], ai = x[xi + 1];
        sr += ar * wr - ai * wi; si += ar * wi + ai * wr;
        idx += k; if (idx >= len) idx -= len;
      }
      const oi = 2 * (oOff + k * oStride);
      out[oi] = sr; out[oi + 1] = si;
    }
  }

  private splitForward(out: Float64Array, x: Float64Array): void {
    const { p, m } = this;
    const sub = this.subIn, tmp = this.subTmp, y = this.subOut, tw = this.twiddle;
    // m transforms of length p over the stride-m subsequences, then twiddled: y[n2][k1]
    for (let n2 = 0; n2 < m; n2++) {
      for (let n1 = 0, s = 2 * n2; n1 < p; n1++, s += 2 * m) { sub[2 * n1] = x[s]; sub[2 * n1 + 1] = x[s + 1]; }
      this.fftjs!.transform(tmp, sub);
      const base = 2 * n2 * p;
      for (let i = 0; i < 2 * p; i += 2) {
        const ar = tmp[i], ai = tmp[i + 1], wr = tw[base + i], wi = tw[base + i + 1];
        y[base + i] = ar * wr - ai * wi; y[base + i + 1] = ar * wi + ai * wr;
      }
    }
    if (m === 7) { this.radix7(out, y, p); return; }
    // p DFTs of odd length m: X[k1 + p·k2] = Σ_n2 y[n2][k1]·W_m^{n2·k2}, outputs k2 and m-k2 computed together
    const half = (m - 1) >> 1, cosT = this.cosM, sinT = this.sinM, sr = this.pairS, dr = this.pairD;
    for (let k1 = 0; k1 < p; k1++) {
      const a0r = y[2 * k1], a0i = y[2 * k1 + 1];
      let dcr = a0r, dci = a0i;
      for (let j = 1; j <= half; j++) {
        const ia = 2 * (j * p + k1), ib = 2 * ((m - j) * p + k1);
        const s_r = y[ia] + y[ib], s_i = y[ia + 1] + y[ib + 1];
        sr[2 * j] = s_r; sr[2 * j + 1] = s_i;
        dr[2 * j] = y[ia] - y[ib]; dr[2 * j + 1] = y[ia + 1] - y[ib + 1];
        dcr += s_r; dci += s_i;
      }
      out[2 * k1] = dcr; out[2 * k1 + 1] = dci;
      for (let k2 = 1; k2 <= half; k2++) {
        let ar = a0r, ai = a0i, br = 0, bi = 0;
        const row = k2 * m;
        for (let j = 1; j <= half; j++) {
          const c = cosT[row + j], s = sinT[row + j]; // cos(2πjk/m), sin(2πjk/m)
          ar += sr[2 * j] * c; ai += sr[2 * j + 1] * c;
          br += dr[2 * j + 1] * s; bi -= dr[2 * j] * s;
        }
        const o1 = 2 * (k1 + p * k2), o2 = 2 * (k1 + p * (m - k2));
        out[o1] = ar + br; out[o1 + 1] = ai + bi;
        out[o2] = ar - br; out[o2 + 1] = ai - bi;
      }
    }
  }

  /** The length-7 DFTs of the split, unrolled (224 = 32·7 is the FreiHAND image size). */
  private radix7(out: Float64Array, y: Float64Array, p: number): void {
    const c1 = Math.cos(2 * Math.PI / 7), c2 = Math.cos(4 * Math.PI / 7), c3 = Math.cos(6 * Math.PI / 7);
    const s1 = Math.sin(2 * Math.PI / 7), s2 = Math.sin(4 * Math.PI / 7), s3 = Math.sin(6 * Math.PI / 7);
    const p2 = 2 * p;
    for (let k1 = 0; k1 < p; k1++) {
      const i0 = 2 * k1, i1 = i0 + p2, i2 = i1 + p2, i3 = i2 + p2, i4 = i3 + p2, i5 = i4 + p2, i6 = i5 + p2;
      const a0r = y[i0], a0i = y[i0 + 1];
      const s1r = y[i1] + y[i6], s1i = y[i1 + 1] + y[i6 + 1], d1r = y[i1] - y[i6], d1i = y[i1 + 1] - y[i6 + 1];
      const s2r = y[i2] + y[i5], s2i = y[i2 + 1] + y[i5 + 1], d2r = y[i2] - y[i5], d2i = y[i2 + 1] - y[i5 + 1];
      const s3r = y[i3] + y[i4], s3i = y[i3 + 1] + y[i4 + 1], d3r = y[i3] - y[i4], d3i = y[i3 + 1] - y[i4 + 1];
      out[i0] = a0r + s1r + s2r + s3r; out[i0 + 1] = a0i + s1i + s2i + s3i;
      // k = 1, 2, 3 and their mirrors 6, 5, 4: X = A ± B, A = a0 + Σ cos·s, B = Σ sin·(d_i, -d_r)
      const A1r = a0r + c1 * s1r + c2 * s2r + c3 * s3r, A1i = a0i + c1 * s1i + c2 * s2i + c3 * s3i;
      const B1r = s1 * d1i + s2 * d2i + s3 * d3i, B1i = -(s1 * d1r + s2 * d2r + s3 * d3r);
      const A2r = a0r + c2 * s1r + c3 * s2r + c1 * s3r, A2i = a0i + c2 * s1i + c3 * s2i + c1 * s3i;
      const B2r = s2 * d1i - s3 * d2i - s1 * d3i, B2i = -(s2 * d1r - s3 * d2r - s1 * d3r);
      const A3r = a0r + c3 * s1r + c1 * s2r + c2 * s3r, A3i = a0i + c3 * s1i + c1 * s2i + c2 * s3i;
      const B3r = s3 * d1i - s1 * d2i + s2 * d3i, B3i = -(s3 * d1r - s1 * d2r + s2 * d3r);
      out[i1] = A1r + B1r; out[i1 + 1] = A1i + B1i; out[i6] = A1r - B1r; out[i6 + 1] = A1i - B1i;
      out[i2] = A2r + B2r; out[i2 + 1] = A2i + B2i; out[i5] = A2r - B2r; out[i5 + 1] = A2i - B2i;
      out[i3] = A3r + B3r; out[i3 + 1] = A3i + B3i; out[i4] = A3r - B3r; out[i4 + 1] = A3i - B3i;
    }
  }

  private bluesteinForward(out: Float64Array, x: Float64Array): void {
    const n = this.n, a = this.bufA, b = this.bufB, c = this.chirp, K = this.kernelF;
    a.fill(0);
    for (let k = 0; k < 2 * n; k += 2) {
      const xr = x[k], xi = x[k + 1], cr = c[k], ci = c[k + 1];
      a[k] = xr * cr - xi * ci; a[k + 1] = xr * ci + xi * cr;
    }
    this.fftjs!.transform(b, a);
    for (let i = 0; i < b.length; i += 2) {
      const br = b[i], bi = b[i + 1], kr = K[i], ki = K[i + 1];
      b[i] = br * kr - bi * ki; b[i + 1] = br * ki + bi * kr;
    }
    this.fftjs!.inverseTransform(a, b);
    for (let k = 0; k < 2 * n; k += 2) {
      const ar = a[k], ai = a[k + 1], cr = c[k], ci = c[k + 1];
      out[k] = ar * cr - ai * ci; out[k + 1] = ar * ci + ai * cr;
    }
  }
}

const planCache = new Map<number, FftPlan>();
/** Shared plan per length (plans are cheap to keep; JS is single-threaded per worker). */
export function fftPlan(n: number): FftPlan {
  let p = planCache.get(n);
  if (!p) { p = new FftPlan(n); planCache.set(n, p); }
  return p;
}

/** 1D forward DFT of an interleaved complex array (new array). */
export function fft1(x: Float64Array): Float64Array {
  const n = x.length / 2, out = new Float64Array(2 * n);
  fftPlan(n).forward(out, x); return out;
}

/** 1D inverse DFT (1/n scaled). */
export function ifft1(x: Float64Array): Float64Array {
  const n = x.length / 2, out = new Float64Array(2 * n);
  fftPlan(n).inverse(out, x); return out;
}

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

/** Real parts of a complex plane (np.real). */
export function realPart(p: ComplexPlane): Float64Array {
  const n = p.height * p.width, out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = p.data[2 * i];
  return out;
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
