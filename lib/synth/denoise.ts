/**
 * A guided denoiser for low-sample Cycles renders (pure). Debian's Blender has no OpenImageDenoise, so
 * the worker writes the linear colour with Cycles' own feature passes (albedo, normal, object index)
 * and this module removes the Monte-Carlo noise:
 *
 * 1. demodulation: irradiance = colour / albedo, so texture detail (creases, nails, pores) is never
 *    blurred — it comes back unchanged when the filtered irradiance is multiplied by the albedo again;
 * 2. an edge-avoiding à-trous wavelet filter (5×5 B3-spline taps, dilated 1, 2, 4, … px) on the
 *    irradiance, whose weights stop at object boundaries (index), creases of the surface (normal),
 *    albedo edges and differences larger than the local noise level (a per-pixel variance estimate
 *    that is filtered along with the image, as in SVGF);
 * 3. the background (object index 0: the HDRI seen directly, noise-free up to anti-aliasing) is kept.
 *
 * Images are HWC float32, top row first. `linearToSrgb8` is the 'Standard' view transform (clip, sRGB
 * curve) the worker's Blender-written images use, so a denoised and a Blender-written image of the
 * same render differ only by the noise removed.
 */

export interface AuxPasses {
  width: number;
  height: number;
  /** linear scene colour, HW×3 */ color: Float32Array;
  /** diffuse+specular albedo, HW×3 */ albedo: Float32Array;
  /** world-space shading normal, HW×3 */ normal: Float32Array;
  /** object pass index per pixel (0 background, 1 hand, 2 forearm, 3 objects, MIXED_INDEX), HW */ index: Float32Array;
}

/** Index of a supersampled pixel whose sub-pixels show different objects (a silhouette pixel): the filter
 *  averages it only with other such pixels, so an edge's anti-aliased mix is never pulled toward either side. */
export const MIXED_INDEX = 255;

export interface DenoiseOptions {
  /** à-trous levels (filter support 4·(2^levels − 1) + 1 px) */ levels: number;
  /** normal weight exponent: max(0, n·n')^sigmaNormal */ sigmaNormal: number;
  /** luminance weight: exp(−|Δl| / (sigmaLuminance · σ_noise)) */ sigmaLuminance: number;
  /** albedo weight: exp(−|Δa|² / sigmaAlbedo²) */ sigmaAlbedo: number;
}

/** Chosen by measurement against 2048-sample references (bench/render.ts): PSNR in the hand region. */
export const DEFAULT_DENOISE: DenoiseOptions = { levels: 4, sigmaNormal: 32, sigmaLuminance: 6, sigmaAlbedo: 0.2 };

const B3 = [1 / 16, 1 / 4, 3 / 8, 1 / 4, 1 / 16];
/** albedo floor for demodulation (dark albedo would amplify noise) */
const ALBEDO_FLOOR = 0.02;

const lum = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Denoised linear colour (HW×3). */
export function denoiseGuided(p: AuxPasses, opts: Partial<DenoiseOptions> = {}): Float32Array {
  const o = { ...DEFAULT_DENOISE, ...opts };
  const { width: W, height: H } = p;
  const N = W * H;
  if (p.color.length !== 3 * N || p.albedo.length !== 3 * N || p.normal.length !== 3 * N || p.index.length !== N) {
    throw new Error(`denoiseGuided: pass sizes do not match ${W}×${H}`);
  }
  const alb = new Float32Array(3 * N);
  let irr = new Float32Array(3 * N);
  const nrm = new Float32Array(3 * N);
  for (let i = 0; i < N; i++) {
    const nx = p.normal[3 * i], ny = p.normal[3 * i + 1], nz = p.normal[3 * i + 2];
    const nl = Math.hypot(nx, ny, nz) || 1;
    nrm[3 * i] = nx / nl; nrm[3 * i + 1] = ny / nl; nrm[3 * i + 2] = nz / nl;
    for (let c = 0; c < 3; c++) {
      const a = Math.max(ALBEDO_FLOOR, p.albedo[3 * i + c]);
      alb[3 * i + c] = a;
      irr[3 * i + c] = p.index[i] > 0 ? p.color[3 * i + c] / a : p.color[3 * i + c];
    }
  }
  // Noise variance of the irradiance's luminance: 3×3 spatial variance among same-object pixels.
  let variance = new Float32Array(N);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = y * W + x;
    if (p.index[i] <= 0) continue;
    let s = 0, s2 = 0, k = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
      const j = yy * W + xx;
      if (p.index[j] !== p.index[i]) continue;
      const l = lum(irr[3 * j], irr[3 * j + 1], irr[3 * j + 2]);
      s += l; s2 += l * l; k++;
    }
    variance[i] = k > 1 ? Math.max(0, s2 / k - (s / k) ** 2) * k / (k - 1) : 0;
  }

  let next = new Float32Array(3 * N);
  let nextVar = new Float32Array(N);
  const l = new Float32Array(N);
  const invSa2 = 1 / (o.sigmaAlbedo * o.sigmaAlbedo);
  const normalPow = (d: number) => d ** o.sigmaNormal;
  for (let level = 0; level < o.levels; level++) {
    const step = 1 << level;
    for (let i = 0; i < N; i++) l[i] = lum(irr[3 * i], irr[3 * i + 1], irr[3 * i + 2]);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const id = p.index[i];
      if (id <= 0) { next[3 * i] = irr[3 * i]; next[3 * i + 1] = irr[3 * i + 1]; next[3 * i + 2] = irr[3 * i + 2]; nextVar[i] = variance[i]; continue; }
      const li = l[i];
      const invSl = 1 / (o.sigmaLuminance * Math.sqrt(variance[i]) + 1e-4);
      const nxi = nrm[3 * i], nyi = nrm[3 * i + 1], nzi = nrm[3 * i + 2];
      const ari = alb[3 * i], agi = alb[3 * i + 1], abi = alb[3 * i + 2];
      let wr = 0, sr = 0, sg = 0, sb = 0, sv = 0;
      for (let ky = 0; ky < 5; ky++) {
        const yy = y + (ky - 2) * step;
        if (yy < 0 || yy >= H) continue;
        for (let kx = 0; kx < 5; kx++) {
          const xx = x + (kx - 2) * step;
          if (xx < 0 || xx >= W) continue;
          const j = yy * W + xx;
          if (p.index[j] !== id) continue;
          const dot = nxi * nrm[3 * j] + nyi * nrm[3 * j + 1] + nzi * nrm[3 * j + 2];
          if (dot <= 0) continue;
          const da = (ari - alb[3 * j]) ** 2 + (agi - alb[3 * j + 1]) ** 2 + (abi - alb[3 * j + 2]) ** 2;
          const w = B3[kx] * B3[ky] * normalPow(dot) * Math.exp(-Math.abs(li - l[j]) * invSl - da * invSa2);
          wr += w; sr += w * irr[3 * j]; sg += w * irr[3 * j + 1]; sb += w * irr[3 * j + 2]; sv += w * w * variance[j];
        }
      }
      next[3 * i] = sr / wr; next[3 * i + 1] = sg / wr; next[3 * i + 2] = sb / wr;
      nextVar[i] = sv / (wr * wr);
    }
    [irr, next] = [next, irr];
    [variance, nextVar] = [nextVar, variance];
  }
  const out = new Float32Array(3 * N);
  for (let i = 0; i < N; i++) for (let c = 0; c < 3; c++) out[3 * i + c] = p.index[i] > 0 ? irr[3 * i + c] * alb[3 * i + c] : p.color[3 * i + c];
  return out;
}

/** Blender's 'Standard' view transform to 8-bit sRGB: clip to [0, 1], sRGB transfer curve, round. */
export function linearToSrgb8(color: Float32Array): Uint8Array {
  const out = new Uint8Array(color.length);
  for (let i = 0; i < color.length; i++) {
    const v = Math.min(1, Math.max(0, color[i]));
    const s = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
    out[i] = Math.round(s * 255);
  }
  return out;
}
