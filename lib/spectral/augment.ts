/**
 * Amplitude-spectrum augmentations (pure math). Every one keeps the source phase exactly: a kept or mixed
 * amplitude Â multiplies the source coefficient by Â/|X| (a positive real), so arg X is untouched.
 *
 *  - amplitudeMix: Â = (1-λ)·A + λ·A_ref inside a window (FACT, Xu et al. CVPR 2021; λ ~ U(0, η) when sampled)
 *  - fdaSwap:      Â = A_ref in the centred (2b+1)² low-frequency window, b = floor(min(H,W)·β) (FDA, Yang & Soatto 2020)
 *  - amplitudeSwap: λ = 1 over the whole spectrum
 *  - amplitudePerturb: Â = A·exp(σ·z), z ~ N(0,1) per frequency or per radial band (Hermitian-consistent)
 *
 * Outputs are HWC float images clipped to `clip` (default 0..255; pass null for the raw result).
 * Windows are given in fftshift-ed indices, half-open, like the official code.
 */
import { fft2, ifft2, complexFromReal, type HalfSpectrum, type ComplexPlane } from './fft.ts';
import { channelSpectra, scratchChannelSpectra, imageFromSpectra, amplitude, halfGridGeometry, type ImageLike, type FloatImage } from './spectrum.ts';
import { fft32Supports, amplitudeMix32, toFastLayout } from './fft32.ts';
import { Rng } from '../util/rng.ts';
import { InputError } from '../util/errors.ts';

/** Rows and columns [start, end) of the fftshift-ed spectrum. */
export interface SpectrumWindow { rows: [number, number]; cols: [number, number] }
export type Clip = [number, number] | null;
const DEFAULT_CLIP: [number, number] = [0, 255];

/** FACT's window: crop = int(n·sqrt(ratio)), start = n//2 - crop//2 (even crops are asymmetric around DC). */
export function factWindow(H: number, W: number, ratio: number): SpectrumWindow {
  if (!(ratio > 0 && ratio <= 1)) throw new InputError('ratio', `must be in (0, 1], got ${ratio}`);
  const hc = Math.floor(H * Math.sqrt(ratio)), wc = Math.floor(W * Math.sqrt(ratio));
  const hs = (H >> 1) - (hc >> 1), ws = (W >> 1) - (wc >> 1);
  return { rows: [hs, hs + hc], cols: [ws, ws + wc] };
}

/** FDA's (numpy variant) window: b = floor(min(H,W)·β), rows/cols [c-b, c+b+1) around c = floor(n/2). */
export function fdaWindow(H: number, W: number, beta: number): SpectrumWindow {
  if (!(beta >= 0 && beta <= 0.5)) throw new InputError('beta', `must be in [0, 0.5], got ${beta}`);
  const b = Math.floor(Math.min(H, W) * beta), ch = H >> 1, cw = W >> 1;
  return { rows: [Math.max(0, ch - b), Math.min(H, ch + b + 1)], cols: [Math.max(0, cw - b), Math.min(W, cw + b + 1)] };
}

/** 1 where the (unshifted) frequency lies in the window. */
function windowMask(H: number, W: number, win: SpectrumWindow): Uint8Array {
  const m = new Uint8Array(H * W), sh = H >> 1, sw = W >> 1;
  for (let s = win.rows[0]; s < win.rows[1]; s++) {
    const h = (s - sh + H) % H; // shifted index s holds unshifted frequency index (s - floor(H/2)) mod H
    for (let t = win.cols[0]; t < win.cols[1]; t++) m[h * W + ((t - sw + W) % W)] = 1;
  }
  return m;
}

/** True when the window contains the conjugate of each of its frequencies (then the result is real). */
function isHermitianClosed(mask: Uint8Array, H: number, W: number): boolean {
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
    if (mask[h * W + w] !== mask[((H - h) % H) * W + ((W - w) % W)]) return false;
  }
  return true;
}

/** Reference amplitudes per channel on the half grid (precomputed once per reference image). */
export interface AmplitudeRef {
  height: number; width: number; channels: number; amp: (Float64Array | Float32Array)[];
  /** The same amplitudes rearranged for the float32 path (lib/spectral/fft32.ts), filled on first use. Do not mutate. */
  fast?: Float32Array[];
}

/** Float32 path's layout of a reference (computed once per reference and cached on it). */
function fastRef(r: AmplitudeRef): Float32Array[] {
  return (r.fast ??= r.amp.map((a) => toFastLayout(a, r.height, r.width)));
}

/**
 * Arithmetic of the amplitude mix/swap: 'float64' (default for the single-image functions; fixtures and analysis) or
 * 'float32' (WebAssembly SIMD, lib/spectral/fft32.ts; the training default in applySpectralAugment/augmentBatch).
 * The float32 result agrees with float64 within 0.01 on 0..255 (tested; typically 1e-4). Windowed mixes (ratio < 1,
 * FDA) and sizes fft32 does not support always use float64.
 */
export type MixPrecision = 'float64' | 'float32';

export function amplitudeRef(img: ImageLike, float32 = false): AmplitudeRef {
  const amp = channelSpectra(img).map((s) => float32 ? Float32Array.from(amplitude(s)) : amplitude(s));
  return { height: img.height, width: img.width, channels: img.channels, amp };
}

function asRef(ref: ImageLike | AmplitudeRef): AmplitudeRef { return 'amp' in ref ? ref : amplitudeRef(ref); }

function checkSameShape(a: { height: number; width: number; channels: number }, b: { height: number; width: number; channels: number }, what: string): void {
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new InputError(what, `shape ${b.height}x${b.width}x${b.channels} does not match the source ${a.height}x${a.width}x${a.channels}`);
  }
}

/** Scale each coefficient so its amplitude becomes (1-λ)|X| + λ·A_ref (phase kept; X = 0 gets phase 0, as numpy). */
function mixInto(d: Float64Array, refAmp: ArrayLike<number>, lambda: number, mask: Uint8Array | null): void {
  const n = d.length >> 1;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const re = d[2 * i], im = d[2 * i + 1], a = Math.sqrt(re * re + im * im);
    const target = (1 - lambda) * a + lambda * refAmp[i];
    if (a > 0) { const s = target / a; d[2 * i] = re * s; d[2 * i + 1] = im * s; } else { d[2 * i] = target; d[2 * i + 1] = 0; }
  }
}

function clipInPlace(data: Float32Array, clip: Clip): void {
  if (!clip) return;
  const lo = clip[0], hi = clip[1];
  for (let i = 0, n = data.length; i < n; i++) { const v = data[i]; if (v < lo) data[i] = lo; else if (v > hi) data[i] = hi; }
}

/** Restrict a full-grid mask to the half grid (H × floor(W/2)+1). */
function halfMask(mask: Uint8Array, H: number, W: number): Uint8Array {
  const Wh = (W >> 1) + 1, m = new Uint8Array(H * Wh);
  for (let h = 0; h < H; h++) for (let w = 0; w < Wh; w++) m[h * Wh + w] = mask[h * W + w];
  return m;
}

export interface MixOptions {
  /** Window of the fftshift-ed spectrum to mix (default: the whole spectrum). */
  window?: SpectrumWindow;
  /** FACT's crop ratio (alternative to `window`). */
  ratio?: number;
  clip?: Clip;
  /** 'float64' (default) or 'float32' (fast path, whole-spectrum mixes only; see MixPrecision). */
  precision?: MixPrecision;
  /** Write the result into this array (H·W·C values) and return it as the image data (saves a 600 KB allocation at 224). */
  out?: Float32Array;
}

/**
 * Amplitude mix: per channel, Â = (1-λ)·A_src + λ·A_ref inside the window, source phase kept, then clipped.
 * Hermitian-closed windows use the real fast path; asymmetric ones (FACT's even crops) take the real part of the
 * complex inverse, as the official code does.
 */
export function amplitudeMix(src: ImageLike, ref: ImageLike | AmplitudeRef, lambda: number, opts: MixOptions = {}): FloatImage {
  if (!(lambda >= 0 && lambda <= 1)) throw new InputError('lambda', `must be in [0, 1], got ${lambda}`);
  const r = asRef(ref);
  checkSameShape(src, r, 'reference image');
  const H = src.height, W = src.width;
  const win = opts.window ?? (opts.ratio !== undefined && opts.ratio !== 1 ? factWindow(H, W, opts.ratio) : null);
  const mask = win ? windowMask(H, W, win) : null;
  const clip = opts.clip === undefined ? DEFAULT_CLIP : opts.clip;
  if (!mask && opts.precision === 'float32' && fft32Supports(H, W)) return amplitudeMix32(src, fastRef(r), lambda, clip, opts.out);
  let out: FloatImage;
  if (!mask || isHermitianClosed(mask, H, W)) {
    const hm = mask ? halfMask(mask, H, W) : null;
    const specs = channelSpectra(src, scratchChannelSpectra(H, W, src.channels));
    for (let c = 0; c < specs.length; c++) mixInto(specs[c].data, r.amp[c], lambda, hm);
    out = imageFromSpectra(specs, src.channels);
  } else {
    const full = r.amp.map((a) => expandHalfAmp(a, H, W));
    out = complexPathMix(src, full, lambda, mask);
  }
  clipInPlace(out.data, clip);
  if (opts.out) { checkOut(opts.out, out.data.length); opts.out.set(out.data); out.data = opts.out; }
  return out;
}

function checkOut(out: Float32Array, n: number): void {
  if (out.length !== n) throw new InputError('out', `has ${out.length} values, the image needs ${n}`);
}

function expandHalfAmp(a: ArrayLike<number>, H: number, W: number): Float64Array {
  const Wh = (W >> 1) + 1, out = new Float64Array(H * W);
  for (let h = 0; h < H; h++) { const hm = (H - h) % H; for (let w = 0; w < W; w++) out[h * W + w] = w < Wh ? a[h * Wh + w] : a[hm * Wh + (W - w)]; }
  return out;
}

/** Full complex path: fft2 per channel, mix inside mask, real part of ifft2 (float64 planes, unclipped). */
function complexPathMixPlanes(src: ImageLike, refAmpFull: ArrayLike<number>[], lambda: number, mask: Uint8Array): Float64Array[] {
  const H = src.height, W = src.width, planes: Float64Array[] = [];
  for (let c = 0; c < src.channels; c++) {
    const X = fft2(complexFromReal(src.data, H, W, src.channels, c));
    mixInto(X.data, refAmpFull[c], lambda, mask);
    const x = ifft2(X), p = new Float64Array(H * W);
    for (let i = 0; i < H * W; i++) p[i] = x.data[2 * i];
    planes.push(p);
  }
  return planes;
}

function complexPathMix(src: ImageLike, refAmpFull: ArrayLike<number>[], lambda: number, mask: Uint8Array): FloatImage {
  const planes = complexPathMixPlanes(src, refAmpFull, lambda, mask);
  return interleave(planes, src.height, src.width);
}

function interleave(planes: ArrayLike<number>[], H: number, W: number): FloatImage {
  const C = planes.length, data = new Float32Array(H * W * C);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) data[i * C + c] = planes[c][i];
  return { data, width: W, height: H, channels: C as 1 | 3 | 4 };
}

function fullAmplitudes(img: ImageLike): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < img.channels; c++) out.push(amplitude(fft2(complexFromReal(img.data, img.height, img.width, img.channels, c))));
  return out;
}

/**
 * FACT's `colorful_spectrum_mix(img1, img2, alpha, ratio)` with its random λ given: both directions, float64
 * before clipping (HWC planes interleaved) and the official uint8 output (np.uint8(np.clip(x, 0, 255)): truncation).
 */
export function factSpectrumMix(img1: ImageLike, img2: ImageLike, lambda: number, ratio = 1.0): { img21: Float64Array; img12: Float64Array; img21u8: Uint8Array; img12u8: Uint8Array } {
  checkSameShape(img1, img2, 'img2');
  const H = img1.height, W = img1.width, C = img1.channels;
  const mask = windowMask(H, W, factWindow(H, W, ratio));
  const a1 = fullAmplitudes(img1), a2 = fullAmplitudes(img2);
  const toHwc = (planes: Float64Array[]): Float64Array => {
    const d = new Float64Array(H * W * C);
    for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) d[i * C + c] = planes[c][i];
    return d;
  };
  const img21 = toHwc(complexPathMixPlanes(img1, a2, lambda, mask));
  const img12 = toHwc(complexPathMixPlanes(img2, a1, lambda, mask));
  const trunc = (x: Float64Array): Uint8Array => { const u = new Uint8Array(x.length); for (let i = 0; i < x.length; i++) u[i] = Math.trunc(Math.min(255, Math.max(0, x[i]))); return u; };
  return { img21, img12, img21u8: trunc(img21), img12u8: trunc(img12) };
}

/** FDA low-frequency amplitude swap: the (2b+1)² centred window takes the reference amplitude. */
export function fdaSwap(src: ImageLike, ref: ImageLike | AmplitudeRef, beta: number, opts: { clip?: Clip } = {}): FloatImage {
  return amplitudeMix(src, ref, 1, { window: fdaWindow(src.height, src.width, beta), clip: opts.clip });
}

/** Whole-spectrum amplitude swap (λ = 1): reference amplitude with the source phase. */
export function amplitudeSwap(src: ImageLike, ref: ImageLike | AmplitudeRef, opts: MixOptions = {}): FloatImage {
  return amplitudeMix(src, ref, 1, opts);
}

export interface PerturbOptions {
  /** Strength: log-amplitude noise standard deviation. */
  sigma: number;
  /** One draw per frequency (default) or per radial band of |f|. */
  mode?: 'frequency' | 'radial';
  /** Number of radial bands over [0, 0.5·√2] cycles/pixel (radial mode). Default 16. */
  bands?: number;
  /** Leave the DC term (mean brightness) untouched. Default true. */
  keepDc?: boolean;
  /** Draw a separate noise field per channel (default true) or share one across channels. */
  perChannel?: boolean;
  clip?: Clip;
}

/** Random multiplicative amplitude noise Â = A·exp(σ·z), phase kept; the noise is symmetric so the output is real. */
export function amplitudePerturb(src: ImageLike, rng: Rng, opts: PerturbOptions): FloatImage {
  const { sigma } = opts;
  if (!(sigma >= 0)) throw new InputError('sigma', `must be >= 0, got ${sigma}`);
  const H = src.height, W = src.width, Wh = (W >> 1) + 1, geom = halfGridGeometry(H, W);
  const bands = opts.bands ?? 16, mode = opts.mode ?? 'frequency', keepDc = opts.keepDc ?? true;
  const specs = channelSpectra(src, scratchChannelSpectra(H, W, src.channels));
  let shared: Float64Array | null = null;
  const field = (): Float64Array => {
    const f = new Float64Array(H * Wh);
    if (mode === 'radial') {
      const z = Array.from({ length: bands }, () => Math.exp(sigma * rng.normal()));
      const rmax = Math.SQRT1_2 + 1e-12;
      for (let i = 0; i < f.length; i++) f[i] = z[Math.min(bands - 1, Math.floor((geom.radius[i] / rmax) * bands))];
    } else {
      for (let i = 0; i < f.length; i++) f[i] = Math.exp(sigma * rng.normal());
      // columns 0 and W/2 hold both members of conjugate pairs (h, H-h): give them one factor
      for (const w of W % 2 === 0 ? [0, W >> 1] : [0]) for (let h = 1; h < H; h++) if (h > H - h) f[h * Wh + w] = f[(H - h) * Wh + w];
    }
    if (keepDc) f[0] = 1;
    return f;
  };
  for (let c = 0; c < specs.length; c++) {
    const f = opts.perChannel === false ? (shared ??= field()) : field();
    const d = specs[c].data;
    for (let i = 0; i < f.length; i++) { d[2 * i] *= f[i]; d[2 * i + 1] *= f[i]; }
  }
  const out = imageFromSpectra(specs, src.channels);
  clipInPlace(out.data, opts.clip === undefined ? DEFAULT_CLIP : opts.clip);
  return out;
}

/**
 * A pool of reference images for the mix/swap augmentations (e.g. other training images, or real images).
 * Amplitudes are computed on first use and cached (float32, at most `maxCached`).
 */
export class ReferencePool {
  private readonly cache = new Map<number, AmplitudeRef>();
  constructor(readonly size: number, private readonly get: (i: number) => ImageLike, private readonly maxCached = 512) {
    if (size < 1) throw new InputError('reference pool', 'is empty');
  }
  static fromImages(images: ImageLike[]): ReferencePool { return new ReferencePool(images.length, (i) => images[i]); }
  amplitude(i: number): AmplitudeRef {
    let a = this.cache.get(i);
    if (!a) {
      a = amplitudeRef(this.get(i), true);
      if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(i, a);
    }
    return a;
  }
}

/** An augmentation setting as the training pipeline configures it. `p`: probability of applying it (default 1). */
export type SpectralAugment =
  | { kind: 'mix'; eta: number; ratio?: number; p?: number }
  | { kind: 'swap'; ratio?: number; p?: number }
  | { kind: 'fda'; beta: number; p?: number }
  | { kind: 'perturb'; sigma: number; mode?: 'frequency' | 'radial'; bands?: number; p?: number }
  | { kind: 'none' };

/** What was drawn for one sample (record it with the output). */
export interface AugmentRecord { kind: SpectralAugment['kind'] | 'skipped'; lambda?: number; ref?: number }

/**
 * Apply one configured augmentation to one image with the given Rng; needs a pool for mix/swap/fda. `clip`: valid range
 * (0..255 default; [0, 1] for unit images). `precision`: arithmetic of mix/swap, 'float32' by default (training; the
 * WebAssembly SIMD path, within 0.01 of float64 on 0..255); pass 'float64' for analysis. The draws do not depend on it.
 */
export interface ApplyOptions {
  /** Arithmetic of mix/swap: 'float32' (default, training) or 'float64' (analysis). */
  precision?: MixPrecision;
  /** Output array of H·W·C values to write into (returned as image.data); a fresh array otherwise. Used by mix/swap and copies. */
  out?: Float32Array;
}

export function applySpectralAugment(img: ImageLike, aug: SpectralAugment, rng: Rng, pool?: ReferencePool, clip: Clip = DEFAULT_CLIP, opts: ApplyOptions = {}): { image: FloatImage; record: AugmentRecord } {
  const precision = opts.precision ?? 'float32', out = opts.out;
  if (out) checkOut(out, img.width * img.height * img.channels);
  const copy = (): FloatImage => {
    const data = out ?? new Float32Array(img.data.length);
    data.set(img.data);
    return { data, width: img.width, height: img.height, channels: img.channels as 1 | 3 | 4 };
  };
  if (aug.kind === 'none') return { image: copy(), record: { kind: 'none' } };
  if (aug.p !== undefined && rng.random() >= aug.p) return { image: copy(), record: { kind: 'skipped' } };
  if (aug.kind === 'perturb') return { image: amplitudePerturb(img, rng, { ...aug, clip }), record: { kind: 'perturb' } };
  if (!pool) throw new InputError(`augmentation ${aug.kind}`, 'needs a reference pool');
  const ref = rng.int(0, pool.size);
  const r = pool.amplitude(ref);
  if (aug.kind === 'mix') {
    const lambda = rng.uniform(0, aug.eta);
    return { image: amplitudeMix(img, r, lambda, { ratio: aug.ratio, clip, precision, out }), record: { kind: 'mix', lambda, ref } };
  }
  if (aug.kind === 'swap') return { image: amplitudeSwap(img, r, { ratio: aug.ratio, clip, precision, out }), record: { kind: 'swap', lambda: 1, ref } };
  return { image: fdaSwap(img, r, aug.beta, { clip }), record: { kind: 'fda', ref } };
}

/**
 * A batch: sample `keys[i]` (e.g. its dataset index) gets Rng.derive(seed, 'spectral', keys[i]), so the draw does not
 * depend on batch composition or worker sharding.
 */
export function augmentBatch(images: ImageLike[], keys: (number | string)[], aug: SpectralAugment, seed: number, pool?: ReferencePool, clip: Clip = DEFAULT_CLIP, precision: MixPrecision = 'float32'): { images: FloatImage[]; records: AugmentRecord[] } {
  if (keys.length !== images.length) throw new InputError('keys', `${keys.length} keys for ${images.length} images`);
  const out: FloatImage[] = [], records: AugmentRecord[] = [];
  images.forEach((img, i) => {
    const r = applySpectralAugment(img, aug, Rng.derive(seed, 'spectral', keys[i]), pool, clip, { precision });
    out.push(r.image); records.push(r.record);
  });
  return { images: out, records };
}

export type { HalfSpectrum, ComplexPlane };
