/**
 * Exact 1D discrete Fourier transforms of any length, in float64 (pure math, no IO).
 *
 * Powers of two go to fft.js (radix-4); n = 2^p·m with a small odd part m (m ≤ 64, e.g. 224 = 32·7) use one
 * Cooley–Tukey split (m fft.js transforms of length 2^p, twiddles, 2^p direct DFTs of length m); any other
 * length uses Bluestein's chirp-z algorithm on top of a power-of-two fft.js convolution.
 * Conventions follow numpy: forward X[k] = Σ x[n]·e^{-2πi kn/N}, inverse scaled by 1/N.
 * Complex data is interleaved [re0, im0, re1, im1, ...] in Float64Arrays. The 2D transforms (fft.ts) and the
 * batched kernels (batched.ts) build on these plans.
 */
import FFTJS from 'fft.js';

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
