/**
 * Batched FFT along axis 0 of planar complex data laid out [n][V] (V transforms of length n, vector index fastest),
 * used for the rows and columns of 2D images. Stockham autosort (decimation in frequency) with radix 4, 2, 7 and
 * generic small odd kernels; every inner loop runs over a contiguous block of s·V values, which is what makes it fast
 * in JS. Lengths with a prime factor above MAX_RADIX fall back to one FftPlan per vector (Bluestein).
 * Forward sign -1, no scaling (numpy convention); inverse through conjugation, scaled by 1/n.
 */
import { fftPlan } from './fft-plan.ts';

export const MAX_RADIX = 64;

/**
 * n as a product of radices: the `powersOfTwo` first (largest first, fewer passes over memory), then odd primes.
 * Null when a prime factor exceeds MAX_RADIX (callers then use another method).
 */
export function factorize(n: number, powersOfTwo: readonly number[] = [4, 2]): number[] | null {
  const f: number[] = [];
  for (const r of powersOfTwo) while (n % r === 0) { f.push(r); n /= r; }
  for (let p = 3; n > 1; p += 2) {
    while (n % p === 0) { if (p > MAX_RADIX) return null; f.push(p); n /= p; }
    if (p * p > n && n > 1) { if (n > MAX_RADIX) return null; f.push(n); n = 1; }
  }
  return f;
}

interface Pass { r: number; m: number; s: number; twRe: Float64Array; twIm: Float64Array; cos: Float64Array; sin: Float64Array }

export class BatchFft {
  readonly n: number;
  private readonly passes: Pass[] | null;

  constructor(n: number) {
    this.n = n;
    const f = n === 1 ? [] : factorize(n);
    if (!f) { this.passes = null; return; }
    const passes: Pass[] = [];
    let len = n, s = 1;
    for (const r of f) {
      const m = len / r, twRe = new Float64Array(m * r), twIm = new Float64Array(m * r);
      for (let p = 0; p < m; p++) for (let u = 0; u < r; u++) {
        const a = -2 * Math.PI * ((p * u) % len) / len;
        twRe[p * r + u] = Math.cos(a); twIm[p * r + u] = Math.sin(a);
      }
      const cos = new Float64Array(r * r), sin = new Float64Array(r * r);
      for (let u = 0; u < r; u++) for (let t = 0; t < r; t++) { const a = 2 * Math.PI * ((u * t) % r) / r; cos[u * r + t] = Math.cos(a); sin[u * r + t] = Math.sin(a); }
      passes.push({ r, m, s, twRe, twIm, cos, sin });
      len = m; s *= r;
    }
    this.passes = passes;
  }

  /**
   * In-place forward transform of V vectors: re/im hold [n][V]. sRe/sIm: scratch of the same size.
   */
  forward(re: Float64Array, im: Float64Array, V: number, sRe: Float64Array, sIm: Float64Array): void {
    const n = this.n;
    if (n === 1) return;
    if (!this.passes) { this.perVector(re, im, V); return; }
    let xr = re, xi = im, yr = sRe, yi = sIm;
    for (const ps of this.passes) {
      const B = ps.s * V;
      if (ps.r === 4) radix4(xr, xi, yr, yi, ps, B);
      else if (ps.r === 2) radix2(xr, xi, yr, yi, ps, B);
      else if (ps.r === 7) radix7(xr, xi, yr, yi, ps, B);
      else radixOdd(xr, xi, yr, yi, ps, B);
      const tr = xr, ti = xi; xr = yr; xi = yi; yr = tr; yi = ti;
    }
    if (xr !== re) { re.set(xr.subarray(0, n * V)); im.set(xi.subarray(0, n * V)); }
  }

  /** In-place inverse (1/n scaled). */
  inverse(re: Float64Array, im: Float64Array, V: number, sRe: Float64Array, sIm: Float64Array): void {
    const N = this.n * V;
    for (let i = 0; i < N; i++) im[i] = -im[i];
    this.forward(re, im, V, sRe, sIm);
    const sc = 1 / this.n;
    for (let i = 0; i < N; i++) { re[i] *= sc; im[i] *= -sc; }
  }

  private perVector(re: Float64Array, im: Float64Array, V: number): void {
    const n = this.n, plan = fftPlan(n), a = new Float64Array(2 * n), b = new Float64Array(2 * n);
    for (let v = 0; v < V; v++) {
      for (let k = 0; k < n; k++) { a[2 * k] = re[k * V + v]; a[2 * k + 1] = im[k * V + v]; }
      plan.forward(b, a);
      for (let k = 0; k < n; k++) { re[k * V + v] = b[2 * k]; im[k * V + v] = b[2 * k + 1]; }
    }
  }
}

// Stockham DIF pass, radix r: inputs at (p + t·m)·B + i, outputs at (r·p + u)·B + i, times W_len^{p·u}.

function radix2(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, ps: Pass, B: number): void {
  const { m, twRe, twIm } = ps;
  for (let p = 0; p < m; p++) {
    const wr = twRe[2 * p + 1], wi = twIm[2 * p + 1];
    const a0 = p * B, a1 = (p + m) * B, o0 = 2 * p * B, o1 = o0 + B;
    if (p === 0) {
      for (let i = 0; i < B; i++) {
        const ar = xr[a0 + i], ai = xi[a0 + i], br = xr[a1 + i], bi = xi[a1 + i];
        yr[o0 + i] = ar + br; yi[o0 + i] = ai + bi; yr[o1 + i] = ar - br; yi[o1 + i] = ai - bi;
      }
      continue;
    }
    for (let i = 0; i < B; i++) {
      const ar = xr[a0 + i], ai = xi[a0 + i], br = xr[a1 + i], bi = xi[a1 + i];
      yr[o0 + i] = ar + br; yi[o0 + i] = ai + bi;
      const dr = ar - br, di = ai - bi;
      yr[o1 + i] = dr * wr - di * wi; yi[o1 + i] = dr * wi + di * wr;
    }
  }
}

function radix4(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, ps: Pass, B: number): void {
  const { m, twRe, twIm } = ps;
  for (let p = 0; p < m; p++) {
    const w1r = twRe[4 * p + 1], w1i = twIm[4 * p + 1], w2r = twRe[4 * p + 2], w2i = twIm[4 * p + 2], w3r = twRe[4 * p + 3], w3i = twIm[4 * p + 3];
    const a0 = p * B, a1 = (p + m) * B, a2 = (p + 2 * m) * B, a3 = (p + 3 * m) * B;
    const o0 = 4 * p * B, o1 = o0 + B, o2 = o1 + B, o3 = o2 + B;
    for (let i = 0; i < B; i++) {
      const x0r = xr[a0 + i], x0i = xi[a0 + i], x1r = xr[a1 + i], x1i = xi[a1 + i];
      const x2r = xr[a2 + i], x2i = xi[a2 + i], x3r = xr[a3 + i], x3i = xi[a3 + i];
      const t0r = x0r + x2r, t0i = x0i + x2i, t1r = x0r - x2r, t1i = x0i - x2i;
      const t2r = x1r + x3r, t2i = x1i + x3i, t3r = x1r - x3r, t3i = x1i - x3i;
      yr[o0 + i] = t0r + t2r; yi[o0 + i] = t0i + t2i;
      const b1r = t1r + t3i, b1i = t1i - t3r, b2r = t0r - t2r, b2i = t0i - t2i, b3r = t1r - t3i, b3i = t1i + t3r;
      yr[o1 + i] = b1r * w1r - b1i * w1i; yi[o1 + i] = b1r * w1i + b1i * w1r;
      yr[o2 + i] = b2r * w2r - b2i * w2i; yi[o2 + i] = b2r * w2i + b2i * w2r;
      yr[o3 + i] = b3r * w3r - b3i * w3i; yi[o3 + i] = b3r * w3i + b3i * w3r;
    }
  }
}

const C1 = Math.cos(2 * Math.PI / 7), C2 = Math.cos(4 * Math.PI / 7), C3 = Math.cos(6 * Math.PI / 7);
const S1 = Math.sin(2 * Math.PI / 7), S2 = Math.sin(4 * Math.PI / 7), S3 = Math.sin(6 * Math.PI / 7);

function radix7(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, ps: Pass, B: number): void {
  const { m, twRe, twIm } = ps;
  const tr = new Float64Array(7), ti = new Float64Array(7);
  for (let p = 0; p < m; p++) {
    for (let u = 0; u < 7; u++) { tr[u] = twRe[7 * p + u]; ti[u] = twIm[7 * p + u]; }
    const a = [0, 1, 2, 3, 4, 5, 6].map((t) => (p + t * m) * B), o = 7 * p * B;
    const [a0, a1, a2, a3, a4, a5, a6] = a;
    const w1r = tr[1], w1i = ti[1], w2r = tr[2], w2i = ti[2], w3r = tr[3], w3i = ti[3], w4r = tr[4], w4i = ti[4], w5r = tr[5], w5i = ti[5], w6r = tr[6], w6i = ti[6];
    for (let i = 0; i < B; i++) {
      const q0r = xr[a0 + i], q0i = xi[a0 + i];
      const s1r = xr[a1 + i] + xr[a6 + i], s1i = xi[a1 + i] + xi[a6 + i], d1r = xr[a1 + i] - xr[a6 + i], d1i = xi[a1 + i] - xi[a6 + i];
      const s2r = xr[a2 + i] + xr[a5 + i], s2i = xi[a2 + i] + xi[a5 + i], d2r = xr[a2 + i] - xr[a5 + i], d2i = xi[a2 + i] - xi[a5 + i];
      const s3r = xr[a3 + i] + xr[a4 + i], s3i = xi[a3 + i] + xi[a4 + i], d3r = xr[a3 + i] - xr[a4 + i], d3i = xi[a3 + i] - xi[a4 + i];
      yr[o + i] = q0r + s1r + s2r + s3r; yi[o + i] = q0i + s1i + s2i + s3i;
      const A1r = q0r + C1 * s1r + C2 * s2r + C3 * s3r, A1i = q0i + C1 * s1i + C2 * s2i + C3 * s3i;
      const B1r = S1 * d1i + S2 * d2i + S3 * d3i, B1i = -(S1 * d1r + S2 * d2r + S3 * d3r);
      const A2r = q0r + C2 * s1r + C3 * s2r + C1 * s3r, A2i = q0i + C2 * s1i + C3 * s2i + C1 * s3i;
      const B2r = S2 * d1i - S3 * d2i - S1 * d3i, B2i = -(S2 * d1r - S3 * d2r - S1 * d3r);
      const A3r = q0r + C3 * s1r + C1 * s2r + C2 * s3r, A3i = q0i + C3 * s1i + C1 * s2i + C2 * s3i;
      const B3r = S3 * d1i - S1 * d2i + S2 * d3i, B3i = -(S3 * d1r - S1 * d2r + S2 * d3r);
      let br = A1r + B1r, bi = A1i + B1i;
      yr[o + B + i] = br * w1r - bi * w1i; yi[o + B + i] = br * w1i + bi * w1r;
      br = A2r + B2r; bi = A2i + B2i;
      yr[o + 2 * B + i] = br * w2r - bi * w2i; yi[o + 2 * B + i] = br * w2i + bi * w2r;
      br = A3r + B3r; bi = A3i + B3i;
      yr[o + 3 * B + i] = br * w3r - bi * w3i; yi[o + 3 * B + i] = br * w3i + bi * w3r;
      br = A3r - B3r; bi = A3i - B3i;
      yr[o + 4 * B + i] = br * w4r - bi * w4i; yi[o + 4 * B + i] = br * w4i + bi * w4r;
      br = A2r - B2r; bi = A2i - B2i;
      yr[o + 5 * B + i] = br * w5r - bi * w5i; yi[o + 5 * B + i] = br * w5i + bi * w5r;
      br = A1r - B1r; bi = A1i - B1i;
      yr[o + 6 * B + i] = br * w6r - bi * w6i; yi[o + 6 * B + i] = br * w6i + bi * w6r;
    }
  }
}

function radixOdd(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, ps: Pass, B: number): void {
  const { r, m, twRe, twIm, cos, sin } = ps;
  for (let p = 0; p < m; p++) {
    for (let u = 0; u < r; u++) {
      const o = (r * p + u) * B, wr = twRe[p * r + u], wi = twIm[p * r + u];
      for (let i = 0; i < B; i++) {
        let sr = 0, si = 0;
        for (let t = 0; t < r; t++) {
          const c = cos[u * r + t], s = sin[u * r + t], k = (p + t * m) * B + i;
          // a·e^{-iθ} = (ar c + ai s, ai c - ar s)
          sr += xr[k] * c + xi[k] * s; si += xi[k] * c - xr[k] * s;
        }
        yr[o + i] = sr * wr - si * wi; yi[o + i] = sr * wi + si * wr;
      }
    }
  }
}

const batchCache = new Map<number, BatchFft>();
export function batchFft(n: number): BatchFft {
  let b = batchCache.get(n);
  if (!b) { b = new BatchFft(n); batchCache.set(n, b); }
  return b;
}
