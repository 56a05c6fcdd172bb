/**
 * Spectra of HWC images: per-channel half spectra, amplitude, phase, log-amplitude, luminance, back to images.
 * Pure math (no IO). Images are `Image`-like: { data, width, height, channels } with HWC data, values 0..255.
 */
import { rfft2, irfft2, type HalfSpectrum, type ComplexPlane } from './fft.ts';

export interface ImageLike { data: ArrayLike<number>; width: number; height: number; channels: number }
export interface FloatImage { data: Float32Array; width: number; height: number; channels: 1 | 3 | 4 }

/** ITU-R BT.601 luma weights (Pillow's convert('L') and sharp's grayscale use the same). */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/** Standard deviation of the luminance a contrast-normalised image is scaled to (0..255 pixel units). */
export const CONTRAST_STD = 64;

/**
 * Per-image contrast normalisation: every channel shifted by the luminance mean and scaled by CONTRAST_STD / the
 * luminance standard deviation (one affine map for all channels, so colour ratios stay). A flat image is only
 * centred. Spectra of normalised images compare structure, not exposure.
 */
export function contrastNormalize(img: ImageLike): FloatImage {
  const { width: W, height: H, channels: C } = img, n = W * H, d = img.data;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const y = C >= 3 ? LUMA_WEIGHTS[0] * d[i * C] + LUMA_WEIGHTS[1] * d[i * C + 1] + LUMA_WEIGHTS[2] * d[i * C + 2] : d[i * C];
    s += y; s2 += y * y;
  }
  const mean = s / n, sd = Math.sqrt(Math.max(0, s2 / n - mean * mean));
  const k = sd > 1e-9 ? CONTRAST_STD / sd : 1;
  const out = new Float32Array(n * C);
  for (let i = 0; i < out.length; i++) out[i] = (d[i] - mean) * k;
  return { data: out, width: W, height: H, channels: C as 1 | 3 | 4 };
}

/**
 * The common size two sets are compared at, like for like: both are brought to it by the same resampling (sharp's
 * bicubic, which low-passes when it shrinks) from their native sizes, so neither keeps frequencies the other lost.
 * Default: the largest power of two strictly below both native sizes (224 and 256 → 128). A requested size above
 * a set's native size is refused (upsampling invents no spectrum); equal to it leaves that set unresampled.
 */
export function commonSpectrumSize(nativeA: number, nativeB: number, requested?: number): { size: number; note: string | null } {
  const lo = Math.min(nativeA, nativeB);
  if (requested !== undefined) {
    if (requested > lo) throw new RangeError(`spectrum size ${requested} is above a set's native size (${nativeA} and ${nativeB}); use at most ${lo}`);
    return { size: requested, note: requested === nativeA || requested === nativeB ? `size ${requested} equals a native size: that set is not resampled, the other is (not like for like)` : null };
  }
  return { size: 2 ** Math.ceil(Math.log2(lo) - 1), note: null };
}

/** Spectra (non-redundant halves) of every channel of an HWC image. */
export function channelSpectra(img: ImageLike, reuse?: HalfSpectrum[]): HalfSpectrum[] {
  const out: HalfSpectrum[] = [];
  for (let c = 0; c < img.channels; c++) out.push(rfft2(img.data, img.height, img.width, img.channels, c, reuse?.[c]));
  return out;
}

const scratchSpectra = new Map<string, HalfSpectrum[]>();
/** Per-shape spectrum buffers for hot paths that do not keep their spectra (one set per thread). */
export function scratchChannelSpectra(height: number, width: number, channels: number): HalfSpectrum[] {
  const key = `${height}x${width}x${channels}`;
  let s = scratchSpectra.get(key);
  if (!s) {
    const halfWidth = (width >> 1) + 1;
    s = Array.from({ length: channels }, () => ({ height, width, halfWidth, data: new Float64Array(2 * height * halfWidth) }));
    scratchSpectra.set(key, s);
  }
  return s;
}

/** Luminance spectrum as the BT.601 combination of the R, G, B spectra (the DFT is linear, so no extra transform). */
export function luminanceSpectrum(rgb: HalfSpectrum[]): HalfSpectrum {
  if (rgb.length < 3) return rgb[0];
  const [r, g, b] = rgb, d = new Float64Array(r.data.length);
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0; i < d.length; i++) d[i] = wr * r.data[i] + wg * g.data[i] + wb * b.data[i];
  return { ...r, data: d };
}

type Spec = HalfSpectrum | ComplexPlane;

/** |X| per frequency (same grid as the spectrum). */
export function amplitude(spec: Spec, out?: Float64Array): Float64Array {
  const d = spec.data, n = d.length >> 1, a = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) { const re = d[2 * i], im = d[2 * i + 1]; a[i] = Math.sqrt(re * re + im * im); }
  return a;
}

/** arg X per frequency, in (-π, π] (numpy.angle; 0 where X = 0). */
export function phase(spec: Spec): Float64Array {
  const d = spec.data, n = d.length >> 1, p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = Math.atan2(d[2 * i + 1], d[2 * i]);
  return p;
}

/** log(1 + |X|): the log-amplitude used throughout (finite at zero amplitude). */
export function logAmplitude(spec: Spec): Float64Array {
  const a = amplitude(spec);
  for (let i = 0; i < a.length; i++) a[i] = Math.log1p(a[i]);
  return a;
}

/** Back from per-channel half spectra to an HWC float image (unclipped). */
export function imageFromSpectra(specs: HalfSpectrum[], channels = specs.length): FloatImage {
  const { height: H, width: W } = specs[0];
  const data = new Float32Array(H * W * channels);
  for (let c = 0; c < channels; c++) irfft2(specs[c], data, channels, c); // written straight into the HWC buffer
  return { data, width: W, height: H, channels: channels as 1 | 3 | 4 };
}

/**
 * Frequency of each cell of a half grid (H × (floor(W/2)+1)) in cycles per pixel, and its multiplicity in the
 * full spectrum (2 for cells whose conjugate lies outside the half grid, else 1).
 */
export interface HalfGridGeometry { height: number; width: number; halfWidth: number; fy: Float64Array; fx: Float64Array; radius: Float64Array; weight: Float64Array }
const geomCache = new Map<string, HalfGridGeometry>();
export function halfGridGeometry(H: number, W: number): HalfGridGeometry {
  const key = `${H}x${W}`; const hit = geomCache.get(key); if (hit) return hit;
  const Wh = (W >> 1) + 1, n = H * Wh;
  const fy = new Float64Array(n), fx = new Float64Array(n), radius = new Float64Array(n), weight = new Float64Array(n);
  for (let h = 0; h < H; h++) for (let w = 0; w < Wh; w++) {
    const i = h * Wh + w, y = (h <= (H - 1) >> 1 ? h : h - H) / H, x = w / W;
    // a cell at w=0 or at the Nyquist column (even W) is its own column's conjugate partner; others stand for two cells
    fy[i] = y; fx[i] = x; radius[i] = Math.hypot(y, x);
    weight[i] = (w === 0 || 2 * w === W) ? 1 : 2;
  }
  const g = { height: H, width: W, halfWidth: Wh, fy, fx, radius, weight };
  geomCache.set(key, g);
  return g;
}

/**
 * Mean luminance amplitude |X| over the frequencies whose radius lies in [lo, hi) cycles per pixel (each half-grid
 * cell weighted by its multiplicity in the full spectrum). E.g. the 0.35–0.5 band measures residual render noise.
 */
export function bandAmplitude(img: ImageLike, band: [number, number]): number {
  const amp = amplitude(luminanceSpectrum(channelSpectra(img)));
  const g = halfGridGeometry(img.height, img.width);
  let s = 0, n = 0;
  for (let i = 0; i < amp.length; i++) if (g.radius[i] >= band[0] && g.radius[i] < band[1]) { s += g.weight[i] * amp[i]; n += g.weight[i]; }
  return n > 0 ? s / n : NaN;
}
