/**
 * Float32 WebAssembly-SIMD path for the training augmentation (kernels: lib/spectral/wasm/fft32.as, built into the
 * committed fft32.wasm). Real 2D transforms of one image channel at a time:
 *
 *   forward: columns as one batched transform (two real columns per complex vector when W is even), the Hermitian
 *            half of the column spectra (k < Hh = floor(H/2)+1) transposed to [W][Kp], then the rows as one batched
 *            transform  ->  spectrum S[v][k] = X[k][v] (k < Hh, all v): the "fast layout".
 *   inverse: the same steps backwards (inverse transforms = forward transforms with re/im planes swapped).
 *
 * Batches are padded to a multiple of 4 vectors (Kp = ceil4(Hh), V1 = ceil4(W/2)) so each f32x4 holds four
 * independent transforms. Supported: sizes whose prime factors are all ≤ 64 (224 = 2^5·7, 256, 225, 7×13, ...);
 * `fft32Supports` says so, and callers fall back to the float64 path otherwise.
 *
 * The only IO is reading the module bytes once (synchronously, so notebooks and workers can use it without await).
 * Not re-entrant: one engine per thread (module-level state), like the float64 scratch buffers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../util/paths.ts';
import type { ImageLike, FloatImage } from './spectrum.ts';
import { factorize as factorizeRadices } from './batched.ts';

interface Kernels {
  memory: WebAssembly.Memory;
  radix2(xr: number, xi: number, yr: number, yi: number, twr: number, twi: number, m: number, B: number): void;
  radix4(xr: number, xi: number, yr: number, yi: number, twr: number, twi: number, m: number, B: number): void;
  radix7(xr: number, xi: number, yr: number, yi: number, twr: number, twi: number, m: number, B: number): void;
  radix8(xr: number, xi: number, yr: number, yi: number, twr: number, twi: number, m: number, B: number): void;
  radixOdd(xr: number, xi: number, yr: number, yi: number, twr: number, twi: number, cs: number, sn: number, r: number, m: number, B: number): void;
  loadChannel(img: number, u8: number, C: number, c: number, H: number, W: number, packed: number, V1: number, zr: number, zi: number): void;
  unpack(zr: number, zi: number, V1: number, H: number, W: number, packed: number, Kp: number, tr: number, ti: number): void;
  pack(tr: number, ti: number, Kp: number, H: number, W: number, packed: number, V1: number, zr: number, zi: number): void;
  storeImage(zr: number, zi: number, V1: number, H: number, W: number, packed: number, scale: number, clip: number, lo: number, hi: number, out: number, C: number, c: number): void;
  mix(sr: number, si: number, ref: number, n: number, lambda: number, outr: number, outi: number): void;
  amplitude(sr: number, si: number, amp: number, n: number): void;
  copy(dst: number, src: number, bytes: number): void;
  loadU8Packed(img: number, C: number, c: number, H: number, W: number, zr: number, zi: number): void;
  loadF32Packed(img: number, C: number, c: number, H: number, W: number, zr: number, zi: number): void;
  unpackSimd(zr: number, zi: number, H: number, W: number, Kp: number, tr: number, ti: number): void;
  packSimd(tr: number, ti: number, Kp: number, H: number, W: number, zr: number, zi: number): void;
  storePackedSimd(zr: number, zi: number, H: number, W: number, scale: number, clip: number, lo: number, hi: number, out: number, C: number, c: number): void;
}

const FFT32_WASM_PATH = path.join(projectRoot, 'lib', 'spectral', 'wasm', 'fft32.wasm');

let kernels: Kernels | null = null;
let heapTop = 65536; // bump allocator over the module's memory (the kernel has no static data above 64 KiB)

function k(): Kernels {
  if (!kernels) {
    const mod = new WebAssembly.Module(fs.readFileSync(FFT32_WASM_PATH));
    kernels = new WebAssembly.Instance(mod, { env: { abort: () => { throw new Error('fft32.wasm abort'); } } }).exports as unknown as Kernels;
  }
  return kernels;
}

/** Reserve `bytes` (16-byte aligned) in the module memory, growing it as needed; returns the byte offset. */
function alloc(bytes: number): number {
  const kk = k(), at = heapTop;
  heapTop = (heapTop + bytes + 15) & ~15;
  const need = heapTop - kk.memory.buffer.byteLength;
  if (need > 0) kk.memory.grow(Math.ceil(need / 65536));
  return at;
}

// radix 8 first: fewer passes over memory (224 = 8·4·7)
const factorize = (n: number): number[] | null => factorizeRadices(n, [8, 4, 2]);

/** True when the float32 SIMD path handles an H×W image (every prime factor of H and W ≤ MAX_RADIX = 64). */
export function fft32Supports(H: number, W: number): boolean {
  return H >= 1 && W >= 2 && Number.isInteger(H) && Number.isInteger(W) && factorize(H) !== null && factorize(W) !== null;
}

const ceil4 = (n: number): number => (n + 3) & ~3;

interface Pass { r: number; m: number; twr: number; twi: number; cs: number; sn: number }

/** Batched transform of length n along axis 0 ([n][V], V a multiple of 4); twiddles live in module memory. */
class Plan32 {
  readonly passes: Pass[];
  constructor(readonly n: number) {
    const f = n === 1 ? [] : factorize(n)!;
    const kk = k(), passes: Pass[] = [];
    let len = n;
    for (const r of f) {
      const m = len / r, twr = alloc(4 * m * r), twi = alloc(4 * m * r);
      let cs = 0, sn = 0;
      const tr = new Float32Array(kk.memory.buffer, twr, m * r), ti = new Float32Array(kk.memory.buffer, twi, m * r);
      for (let p = 0; p < m; p++) for (let u = 0; u < r; u++) {
        const a = -2 * Math.PI * ((p * u) % len) / len; // angles in float64, rounded once to float32
        tr[p * r + u] = Math.cos(a); ti[p * r + u] = Math.sin(a);
      }
      if (r !== 2 && r !== 4 && r !== 7 && r !== 8) {
        cs = alloc(4 * r * r); sn = alloc(4 * r * r);
        const c = new Float32Array(kk.memory.buffer, cs, r * r), s = new Float32Array(kk.memory.buffer, sn, r * r);
        for (let u = 0; u < r; u++) for (let t = 0; t < r; t++) { const a = 2 * Math.PI * ((u * t) % r) / r; c[u * r + t] = Math.cos(a); s[u * r + t] = Math.sin(a); }
      }
      passes.push({ r, m, twr, twi, cs, sn });
      len = m;
    }
    this.passes = passes;
  }

  /** True when the passes ping-pong an odd number of times: then the input should be put in the scratch planes. */
  get odd(): boolean { return this.passes.length % 2 === 1; }

  /**
   * Forward transform of V vectors from planes (ir, ii) into (re, im); (sr, si) is scratch. When (ir, ii) is the scratch
   * pair and the pass count is odd, or (ir, ii) = (re, im) and it is even, no copy is needed.
   */
  forward(re: number, im: number, V: number, sr: number, si: number, ir = re, ii = im): void {
    const kk = k();
    let xr = ir, xi = ii, yr = ir === re ? sr : re, yi = ir === re ? si : im, s = 1;
    for (const p of this.passes) {
      const B = s * V;
      if (p.r === 8) kk.radix8(xr, xi, yr, yi, p.twr, p.twi, p.m, B);
      else if (p.r === 4) kk.radix4(xr, xi, yr, yi, p.twr, p.twi, p.m, B);
      else if (p.r === 2) kk.radix2(xr, xi, yr, yi, p.twr, p.twi, p.m, B);
      else if (p.r === 7) kk.radix7(xr, xi, yr, yi, p.twr, p.twi, p.m, B);
      else kk.radixOdd(xr, xi, yr, yi, p.twr, p.twi, p.cs, p.sn, p.r, p.m, B);
      [xr, yr] = [yr, xr]; [xi, yi] = [yi, xi];
      s *= p.r;
    }
    if (xr !== re) { kk.copy(re, xr, 4 * this.n * V); kk.copy(im, xi, 4 * this.n * V); } // only when the input pair was not chosen by `odd`
  }
}

/** Per-size state: plans, layout constants and buffers in module memory. */
class Engine32 {
  readonly packed: boolean; readonly simd: boolean; readonly V1: number; readonly Hh: number; readonly Kp: number;
  readonly colPlan: Plan32; readonly rowPlan: Plan32;
  readonly zr: number; readonly zi: number; readonly tr: number; readonly ti: number; readonly sr: number; readonly si: number;
  /** The reference amplitudes currently copied into the ref region (identity; callers must not mutate them). */
  loadedRef: Float32Array[] = [];
  private img = 0; private imgBytes = 0; private out = 0; private outBytes = 0; private ref = 0; private refBytes = 0;

  constructor(readonly H: number, readonly W: number) {
    this.packed = W % 2 === 0;
    this.V1 = ceil4(this.packed ? W >> 1 : W);
    this.Hh = (H >> 1) + 1; this.Kp = ceil4(this.Hh);
    // SIMD layout steps (4×4 transposes) when the blocks tile exactly: 224×224, 256×256, ...
    this.simd = this.packed && (W >> 1) % 4 === 0 && H % 4 === 0 && this.Kp <= H;
    this.colPlan = new Plan32(H); this.rowPlan = new Plan32(W);
    const big = 4 * Math.max(H * this.V1, W * this.Kp);
    this.zr = alloc(4 * H * this.V1); this.zi = alloc(4 * H * this.V1);
    this.tr = alloc(4 * W * this.Kp); this.ti = alloc(4 * W * this.Kp);
    this.sr = alloc(big); this.si = alloc(big);
  }

  /** Number of values of one channel's spectrum in the fast layout ([W][Kp]). */
  get spectrumSize(): number { return this.W * this.Kp; }

  private region(which: 'img' | 'out' | 'ref', bytes: number): number {
    if (which === 'img') { if (bytes > this.imgBytes) { this.img = alloc(bytes); this.imgBytes = bytes; } return this.img; }
    if (which === 'out') { if (bytes > this.outBytes) { this.out = alloc(bytes); this.outBytes = bytes; } return this.out; }
    if (bytes > this.refBytes) { this.ref = alloc(bytes); this.refBytes = bytes; this.loadedRef = []; }
    return this.ref;
  }

  /** Copy an HWC image into module memory; returns its offset and whether it is uint8. */
  putImage(img: ImageLike): { at: number; u8: boolean } {
    const n = img.height * img.width * img.channels, kk = k();
    if (img.data instanceof Uint8Array || img.data instanceof Uint8ClampedArray) {
      const at = this.region('img', n);
      new Uint8Array(kk.memory.buffer, at, n).set(img.data);
      return { at, u8: true };
    }
    const at = this.region('img', 4 * n);
    new Float32Array(kk.memory.buffer, at, n).set(img.data as ArrayLike<number>);
    return { at, u8: false };
  }

  /** Forward transform of channel c of the image at `at`: spectrum left in (tr, ti), fast layout. */
  forwardChannel(at: number, u8: boolean, C: number, c: number): void {
    const kk = k(), { H, W, V1, Kp } = this, p = this.packed ? 1 : 0;
    // each step writes where the next transform's ping-pong makes its result land in (zr, zi) / (tr, ti)
    const [cr, ci] = this.colPlan.odd ? [this.sr, this.si] : [this.zr, this.zi];
    if (this.simd) (u8 ? kk.loadU8Packed : kk.loadF32Packed)(at, C, c, H, W, cr, ci);
    else kk.loadChannel(at, u8 ? 1 : 0, C, c, H, W, p, V1, cr, ci);
    this.colPlan.forward(this.zr, this.zi, V1, this.sr, this.si, cr, ci);
    const [rr, ri] = this.rowPlan.odd ? [this.sr, this.si] : [this.tr, this.ti];
    if (this.simd) kk.unpackSimd(this.zr, this.zi, H, W, Kp, rr, ri);
    else kk.unpack(this.zr, this.zi, V1, H, W, p, Kp, rr, ri);
    this.rowPlan.forward(this.tr, this.ti, Kp, this.sr, this.si, rr, ri);
  }

  /** Where inverseChannel expects its input spectrum (so that no plane copies are needed). */
  get inverseInput(): [number, number] { return this.rowPlan.odd ? [this.sr, this.si] : [this.tr, this.ti]; }

  /** Inverse transform of the spectrum at `inverseInput` into channel c of the float32 HWC image at `out` (scaled, clipped). */
  inverseChannel(out: number, C: number, c: number, clip: [number, number] | null): void {
    const kk = k(), { H, W, V1, Kp } = this, p = this.packed ? 1 : 0;
    const [ir, ii] = this.inverseInput;
    this.rowPlan.forward(this.ti, this.tr, Kp, this.si, this.sr, ii, ir); // swapped planes: unscaled inverse, into (tr, ti)
    const [cr, ci] = this.colPlan.odd ? [this.sr, this.si] : [this.zr, this.zi];
    if (this.simd) kk.packSimd(this.tr, this.ti, Kp, H, W, cr, ci);
    else kk.pack(this.tr, this.ti, Kp, H, W, p, V1, cr, ci);
    this.colPlan.forward(this.zi, this.zr, V1, this.si, this.sr, ci, cr);
    if (this.simd) kk.storePackedSimd(this.zr, this.zi, H, W, 1 / (H * W), clip ? 1 : 0, clip ? clip[0] : 0, clip ? clip[1] : 0, out, C, c);
    else kk.storeImage(this.zr, this.zi, V1, H, W, p, 1 / (H * W), clip ? 1 : 0, clip ? clip[0] : 0, clip ? clip[1] : 0, out, C, c);
  }

  outRegion(bytes: number): number { return this.region('out', bytes); }
  refRegion(bytes: number): number { return this.region('ref', bytes); }
}

const engines = new Map<string, Engine32>();
function engine(H: number, W: number): Engine32 {
  const key = `${H}x${W}`;
  let e = engines.get(key);
  if (!e) { e = new Engine32(H, W); engines.set(key, e); }
  return e;
}

/** One channel's spectrum in the fast layout: re/im [W][Kp], entry (v, k) = X[k][v] for k < Hh (padding lanes ≥ Hh). */
export interface Spectrum32 { height: number; width: number; Kp: number; re: Float32Array; im: Float32Array }

/** Forward real 2D DFT of every channel (float32, fast layout; for tests and statistics-style use). */
export function rfft2f32(img: ImageLike): Spectrum32[] {
  const e = engine(img.height, img.width), kk = k(), n = e.spectrumSize, out: Spectrum32[] = [];
  const { at, u8 } = e.putImage(img);
  for (let c = 0; c < img.channels; c++) {
    e.forwardChannel(at, u8, img.channels, c);
    out.push({ height: img.height, width: img.width, Kp: e.Kp, re: new Float32Array(kk.memory.buffer, e.tr, n).slice(), im: new Float32Array(kk.memory.buffer, e.ti, n).slice() });
  }
  return out;
}

/** Inverse of rfft2f32 (real HWC float32 image, optionally clipped). */
export function irfft2f32(specs: Spectrum32[], clip: [number, number] | null = null): FloatImage {
  const { height: H, width: W } = specs[0], C = specs.length, e = engine(H, W), kk = k(), n = e.spectrumSize;
  const out = e.outRegion(4 * H * W * C);
  for (let c = 0; c < C; c++) {
    const [ir, ii] = e.inverseInput;
    new Float32Array(kk.memory.buffer, ir, n).set(specs[c].re); new Float32Array(kk.memory.buffer, ii, n).set(specs[c].im);
    e.inverseChannel(out, C, c, clip);
  }
  return { data: new Float32Array(kk.memory.buffer, out, H * W * C).slice(), width: W, height: H, channels: C as 1 | 3 | 4 };
}

/**
 * Reference amplitudes given on numpy's rfft2 half grid ([H][floor(W/2)+1] per channel) rearranged into the fast layout
 * (|X[k][v]| = |X[-k][-v]| supplies v > W/2). Values are copied as float32, unchanged.
 */
export function toFastLayout(amp: ArrayLike<number>, H: number, W: number): Float32Array {
  const Wh = (W >> 1) + 1, Hh = (H >> 1) + 1, Kp = ceil4(Hh), out = new Float32Array(W * Kp);
  for (let v = 0; v < W; v++) {
    const mirror = v >= Wh, vv = mirror ? W - v : v;
    for (let kq = 0; kq < Hh; kq++) out[v * Kp + kq] = mirror ? amp[((H - kq) % H) * Wh + vv] : amp[kq * Wh + vv];
  }
  return out;
}

/**
 * Amplitude mix on the float32 path: per channel Â = (1-λ)·|X| + λ·A_ref over the whole spectrum, source phase kept,
 * result clipped to `clip` (null: raw). `refFast[c]`: reference amplitude of channel c in the fast layout (toFastLayout).
 */
export function amplitudeMix32(src: ImageLike, refFast: Float32Array[], lambda: number, clip: [number, number] | null, outData?: Float32Array): FloatImage {
  const H = src.height, W = src.width, C = src.channels, e = engine(H, W), kk = k(), n = e.spectrumSize;
  const refAt = e.refRegion(4 * n * C);
  if (e.loadedRef.length !== C || refFast.some((r, c) => r !== e.loadedRef[c])) { // a pooled reference is copied in once
    for (let c = 0; c < C; c++) {
      if (refFast[c].length !== n) throw new Error(`reference amplitude of channel ${c} has ${refFast[c].length} values, expected ${n}`);
      new Float32Array(kk.memory.buffer, refAt + 4 * n * c, n).set(refFast[c]);
    }
    e.loadedRef = refFast.slice();
  }
  const { at, u8 } = e.putImage(src);
  const out = e.outRegion(4 * H * W * C);
  for (let c = 0; c < C; c++) {
    e.forwardChannel(at, u8, C, c);
    const [ir, ii] = e.inverseInput;
    kk.mix(e.tr, e.ti, refAt + 4 * n * c, n, lambda, ir, ii);
    e.inverseChannel(out, C, c, clip);
  }
  // a fresh 600 KB array costs ~0.15 ms (allocation, page faults): callers that copy the result on may pass `outData`
  const view = new Float32Array(kk.memory.buffer, out, H * W * C);
  let data: Float32Array;
  if (outData) { if (outData.length !== view.length) throw new Error(`outData has ${outData.length} values, expected ${view.length}`); outData.set(view); data = outData; }
  else data = view.slice();
  return { data, width: W, height: H, channels: C as 1 | 3 | 4 };
}
