/**
 * Crop, augment and label-transform one sample (pure: pixels in, pixels and labels out).
 *
 * The crop is a similarity transform from the output image (N×N, pixel centres at +0.5) to the source
 * image: p_src = c + R(θ)·(p_out' − N/2)·(S·s/N) + t·S, where c and S are the hand crop box centre and
 * side (from the projected joints, with margin), s the scale jitter, θ the rotation, t the translation
 * (fraction of S) and p_out' = p_out with u mirrored when flipping. The 2D labels use the inverse map, so
 * they move exactly with the pixels. The 3D target (root-relative, divided by FreiHAND's bone scale) turns
 * with the image: rotating the picture by θ about the crop centre is (to first order, exactly at the
 * principal point) a camera roll, X' = Rz(−θ)·X; a flip negates x and swaps the hand side.
 */
import type { Mat3 } from '../../data/types.ts';
import type { Rng } from '../../util/rng.ts';
import { project, freihandScale, handCropBox } from '../../data/geometry.ts';
import { clutterImage, blendOverBackground } from '../../image/clutter.ts';

export interface AugmentConfig {
  scale: [number, number];       // crop side multiplier range, e.g. [0.9, 1.1]
  rotationDeg: number;           // uniform in ±rotationDeg
  translate: number;             // uniform in ±translate (fraction of the crop side)
  flip: boolean;                 // mirror with probability 0.5
  colour: { brightness: number; contrast: number; saturation: number } | null; // ± ranges
  /** random erasing: with probability p, one rectangle (sides up to maxSide of the crop) filled with a random colour */
  erase?: { p: number; maxSide: number } | null;
  /**
   * background randomisation: with probability p, the background of a sample with a label mask (renders) is
   * replaced by procedural clutter (lib/image/clutter.ts); samples without a mask (photos) are left as they are
   */
  background?: { p: number } | null;
}

export const NO_AUGMENT: AugmentConfig = { scale: [1, 1], rotationDeg: 0, translate: 0, flip: false, colour: null };
export const DEFAULT_AUGMENT: AugmentConfig = { scale: [0.9, 1.1], rotationDeg: 30, translate: 0.08, flip: false, colour: { brightness: 0.15, contrast: 0.2, saturation: 0.2 }, erase: null, background: null };

/** The random draws for one sample (recorded, so a sample can be re-made exactly). */
export interface AugmentDraw {
  scale: number; theta: number; tx: number; ty: number; flip: boolean; brightness: number; contrast: number; saturation: number;
  /** erased rectangle in output-crop fractions [u0, v0, width, height] and its fill colour [r, g, b] in [0, 1] */
  erase?: { rect: [number, number, number, number]; fill: [number, number, number] } | null;
  /** the clutter image's seed when this sample's background is replaced */
  background?: { seed: number } | null;
}

export function drawAugment(cfg: AugmentConfig, rng: Rng): AugmentDraw {
  return {
    scale: rng.uniform(cfg.scale[0], cfg.scale[1]),
    theta: (rng.uniform(-1, 1) * cfg.rotationDeg * Math.PI) / 180,
    tx: rng.uniform(-1, 1) * cfg.translate,
    ty: rng.uniform(-1, 1) * cfg.translate,
    flip: cfg.flip && rng.random() < 0.5,
    brightness: cfg.colour ? rng.uniform(-1, 1) * cfg.colour.brightness : 0,
    contrast: cfg.colour ? 1 + rng.uniform(-1, 1) * cfg.colour.contrast : 1,
    saturation: cfg.colour ? 1 + rng.uniform(-1, 1) * cfg.colour.saturation : 1,
    // drawn last (and only when configured), so the draws above stay what they were without erasing
    erase: cfg.erase && rng.random() < cfg.erase.p ? drawErase(cfg.erase.maxSide, rng) : null,
    // after erasing, for the same reason
    background: cfg.background && rng.random() < cfg.background.p ? { seed: rng.nextUint32() } : null,
  };
}

function drawErase(maxSide: number, rng: Rng): NonNullable<AugmentDraw['erase']> {
  const w = rng.uniform(0.1, 1) * maxSide, h = rng.uniform(0.1, 1) * maxSide;
  return { rect: [rng.uniform(0, 1 - w), rng.uniform(0, 1 - h), w, h], fill: [rng.random(), rng.random(), rng.random()] };
}

/**
 * Random erasing (Zhong et al. 2020): paint the drawn rectangle of the size×size crop with one colour. It hides
 * part of the hand now and then, so a joint must be found from its own surroundings, not from the rest of a
 * familiar gesture; the labels stay (an erased joint is still where it was).
 */
export function eraseRect(img: Float32Array, size: number, channels: number, erase: AugmentDraw['erase']): void {
  if (!erase) return;
  const [u0, v0, w, h] = erase.rect;
  const x0 = Math.round(u0 * size), y0 = Math.round(v0 * size), x1 = Math.min(size, Math.round((u0 + w) * size)), y1 = Math.min(size, Math.round((v0 + h) * size));
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < channels; c++) img[(y * size + x) * channels + c] = erase.fill[c % 3];
}

/** Output→source affine map: [a, b, c, d, e, f] with u_src = a·u + b·v + c, v_src = d·u + e·v + f. */
export interface CropMap { toSource: number[]; toOutput: number[]; size: number }

export function cropMap(box: { cx: number; cy: number; side: number }, size: number, draw: AugmentDraw): CropMap {
  const k = (box.side * draw.scale) / size, cos = Math.cos(draw.theta), sin = Math.sin(draw.theta);
  const fu = draw.flip ? -1 : 1, h = size / 2;
  const cx = box.cx + draw.tx * box.side, cy = box.cy + draw.ty * box.side;
  // u' = fu·(u − h), v' = v − h;  src = c + k·R·(u', v')
  const a = k * cos * fu, b = -k * sin, d = k * sin * fu, e = k * cos;
  const c = cx - a * h - b * h, f = cy - d * h - e * h;
  const det = a * e - b * d;
  const ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
  return { toSource: [a, b, c, d, e, f], toOutput: [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)], size };
}

export function mapPoint(m: number[], u: number, v: number): [number, number] {
  return [m[0] * u + m[1] * v + m[2], m[3] * u + m[4] * v + m[5]];
}

/**
 * Warp of an HWC float image into size×size×C through the output→source map (pixel centres at +0.5; outside the
 * source: 0): bilinear, box-prefiltered over each output pixel's footprint when the map shrinks.
 */
export function warp(src: { data: ArrayLike<number>; width: number; height: number; channels: number }, m: CropMap): Float32Array {
  const { width: W, height: H, channels: C, data } = src;
  const N = m.size, out = new Float32Array(N * N * C);
  const [a, b, c, d, e, f] = m.toSource;
  // An output pixel covers `scale` source pixels per side: average n×n bilinear samples over its footprint (a box
  // prefilter), or a 256 px photo shrunk to 64 px is point-sampled and aliased while a render made at 64 px is
  // not, a difference between the domains that is the pipeline's, not the data's. n = 1 at or above source size.
  const n = Math.max(1, Math.ceil(Math.sqrt(Math.abs(a * e - b * d)) - 1e-6)), wn = 1 / (n * n);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const o = (y * N + x) * C;
      for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) {
        const u = x + (sx + 0.5) / n, v = y + (sy + 0.5) / n;
        const su = a * u + b * v + c - 0.5, sv = d * u + e * v + f - 0.5; // to integer-centred coordinates
        const x0 = Math.floor(su), y0 = Math.floor(sv), fx = su - x0, fy = sv - y0;
        for (let dy = 0; dy < 2; dy++) {
          const yy = y0 + dy;
          if (yy < 0 || yy >= H) continue;
          const wy = (dy ? fy : 1 - fy) * wn;
          for (let dx = 0; dx < 2; dx++) {
            const xx = x0 + dx;
            if (xx < 0 || xx >= W) continue;
            const w = wy * (dx ? fx : 1 - fx);
            if (w === 0) continue;
            const s = (yy * W + xx) * C;
            for (let ch = 0; ch < C; ch++) out[o + ch] += w * (data[s + ch] as number);
          }
        }
      }
    }
  }
  return out;
}

/** Brightness (add), contrast (scale about the image mean), saturation (mix with luma); clipped to [0, 1]. */
export function colourJitter(img: Float32Array, channels: number, draw: AugmentDraw): void {
  if (draw.brightness === 0 && draw.contrast === 1 && draw.saturation === 1) return;
  let mean = 0;
  for (let i = 0; i < img.length; i++) mean += img[i];
  mean /= img.length;
  for (let p = 0; p < img.length; p += channels) {
    const luma = channels >= 3 ? 0.299 * img[p] + 0.587 * img[p + 1] + 0.114 * img[p + 2] : img[p];
    for (let ch = 0; ch < channels; ch++) {
      let v = channels >= 3 ? luma + (img[p + ch] - luma) * draw.saturation : img[p + ch];
      v = (v - mean) * draw.contrast + mean + draw.brightness;
      img[p + ch] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}

export interface PreparedSample {
  /** size×size×3, values in [0, 1] (the model normalises). */
  image: Float32Array;
  /** 21×3 root-relative, divided by FreiHAND's bone scale; mirrored-to-right when `left` and flipped as drawn. */
  xyz: Float32Array;
  /** 21×2 pixel coordinates in the output image divided by size (≈ [0, 1]). */
  uv: Float32Array;
  /** Hand side of the prepared sample (a flip swaps it). */
  left: boolean;
  /** The draw actually applied (flip includes the left→right canonical mirror). */
  draw: AugmentDraw;
  /** Root (metres, camera frame) and scale (metres) to undo the normalisation. */
  root: [number, number, number];
  scale: number;
  /** Output→source crop map (to map predictions back to the source image). */
  map: CropMap;
}

/**
 * How the crop box is chosen: 'joints' around the projected 3D labels (with `margin`), 'image' the whole
 * (square-padded) image, for sets whose images are already hand crops (FreiHAND, hgc-dev, our renders):
 * it needs no label, so training and prediction see the same framing on sets with and without labels.
 */
export type CropMode = 'joints' | 'image';

/** Crop box (centre, side) of the whole image. */
export function imageBox(width: number, height: number): { cx: number; cy: number; side: number } {
  return { cx: width / 2, cy: height / 2, side: Math.max(width, height) };
}

/** Crop box (centre, side) around the projected joints. */
export function boxFromJoints(xyz: number[][], K: Mat3, margin: number): { cx: number; cy: number; side: number } {
  const b = handCropBox(project(xyz, K), margin);
  return { cx: b.x + b.size / 2, cy: b.y + b.size / 2, side: b.size };
}

/** A sample's foreground weights at source resolution (1: hand, forearm or object; 0: background), from its label mask. */
export interface ForegroundMask { data: Float32Array; width: number; height: number }

/** Crop, warp, replace the background (renders), colour-jitter and erase the pixels only (prediction on images without labels needs no more). */
export function prepareImage(
  src: { data: ArrayLike<number>; width: number; height: number; channels: number },
  box: { cx: number; cy: number; side: number }, draw: AugmentDraw,
  opts: { size: number; valueScale?: number; foreground?: ForegroundMask },
): { image: Float32Array; map: CropMap } {
  const map = cropMap(box, opts.size, draw);
  let image = warp(src, map);
  // valueScale (e.g. 1/255 for uint8 sources) applies to the small crop, not the whole source image
  if (opts.valueScale !== undefined && opts.valueScale !== 1) for (let k = 0; k < image.length; k++) image[k] *= opts.valueScale;
  if (src.channels !== 3) {
    const rgb = new Float32Array(opts.size * opts.size * 3);
    for (let p = 0; p < opts.size * opts.size; p++) for (let ch = 0; ch < 3; ch++) rgb[p * 3 + ch] = image[p * src.channels + Math.min(ch, src.channels - 1)];
    image = rgb;
  }
  if (draw.background && opts.foreground) {
    // the mask goes through the same warp, so its soft edge matches the image's antialiased silhouette
    const alpha = warp({ ...opts.foreground, channels: 1 }, map);
    blendOverBackground(image, alpha, clutterImage(opts.size, draw.background.seed));
  }
  colourJitter(image, 3, draw);
  eraseRect(image, opts.size, 3, draw.erase);
  return { image, map };
}

export function prepareSample(
  src: { data: ArrayLike<number>; width: number; height: number; channels: number },
  xyz: number[][], K: Mat3, left: boolean, drawn: AugmentDraw,
  opts: { size: number; margin: number; box?: { cx: number; cy: number; side: number }; canonicalRight?: boolean; valueScale?: number; foreground?: ForegroundMask },
): PreparedSample {
  // canonicalRight (default): left hands are mirrored so the model only ever sees right hands
  const draw = { ...drawn, flip: drawn.flip !== ((opts.canonicalRight ?? true) && left) };
  const box = opts.box ?? boxFromJoints(xyz, K, opts.margin);
  const { image, map } = prepareImage(src, box, draw, opts);
  const uvSrc = project(xyz, K);
  const uv = new Float32Array(42);
  uvSrc.forEach(([u, v], j) => { const [x, y] = mapPoint(map.toOutput, u, v); uv[j * 2] = x / opts.size; uv[j * 2 + 1] = y / opts.size; });
  const scale = freihandScale(xyz);
  const cos = Math.cos(-draw.theta), sin = Math.sin(-draw.theta);
  const out = new Float32Array(63);
  const r = xyz[0];
  for (let j = 0; j < 21; j++) {
    let x = (xyz[j][0] - r[0]) / scale, y = (xyz[j][1] - r[1]) / scale;
    const z = (xyz[j][2] - r[2]) / scale;
    [x, y] = [cos * x - sin * y, sin * x + cos * y];
    if (draw.flip) x = -x;
    out[j * 3] = x; out[j * 3 + 1] = y; out[j * 3 + 2] = z;
  }
  return { image, xyz: out, uv, left: draw.flip ? !left : left, draw, root: [r[0], r[1], r[2]], scale, map };
}

/** Undo the 3D label transform of prepareSample: network output (21×3 normalised) → metres, camera frame. */
export function restoreXyz(pred: ArrayLike<number>, draw: AugmentDraw, root: number[], scale: number): number[][] {
  const cos = Math.cos(draw.theta), sin = Math.sin(draw.theta);
  const out: number[][] = [];
  for (let j = 0; j < 21; j++) {
    let x = pred[j * 3] as number;
    const y0 = pred[j * 3 + 1] as number, z = pred[j * 3 + 2] as number;
    if (draw.flip) x = -x;
    const xr = cos * x - sin * y0, yr = sin * x + cos * y0;
    out.push([xr * scale + root[0], yr * scale + root[1], z * scale + root[2]]);
  }
  return out;
}
