/**
 * Mask composition of synthetic and real images (pure pixel math; no file IO).
 *
 *   Ĩ = (1 − M_obj − M_arm) ⊙ I_syn + M_obj ⊙ I_real + M_arm ⊙ I_real
 *
 * with soft masks in [0, 1]. Where M_obj + M_arm exceeds 1 the union is clipped to 1 and the two
 * masks share it in proportion, so every output pixel is a convex combination of its sources.
 * The "random RGB" ablation fills the mask regions with seeded random colours instead of real pixels.
 * Images are HWC (see lib/image/io.ts), values 0..255 as floats; masks are HW floats in [0, 1].
 */
import type { Image } from './io.ts';
import { InputError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { LABEL, MASK_BYTES } from '../data/mask-labels.ts';

/** A soft mask: H×W values in [0, 1]. */
export interface SoftMask { data: Float32Array; width: number; height: number }

/**
 * Decode a mask image into label ids. Values 0..3 are taken as label ids already; otherwise each byte
 * maps to the nearest of the rendered mask bytes (JPEG-safe). `where` names the file in errors.
 */
export function labelsFromMask(img: Image<Uint8Array | Float32Array>, where = 'mask'): Image<Uint8Array> {
  if (img.channels !== 1) throw new InputError(where, `label mask must be gray (1 channel), got ${img.channels}`);
  let max = 0;
  for (let i = 0; i < img.data.length; i++) if (img.data[i] > max) max = img.data[i];
  const out = new Uint8Array(img.data.length);
  if (max <= 3) { for (let i = 0; i < out.length; i++) out[i] = Math.round(img.data[i]); }
  else {
    const table: [number, number][] = [[MASK_BYTES.background, LABEL.background], [MASK_BYTES.object, LABEL.object], [MASK_BYTES.forearm, LABEL.forearm], [MASK_BYTES.hand, LABEL.hand]];
    for (let i = 0; i < out.length; i++) {
      const v = img.data[i];
      let best = 0, bd = Infinity;
      for (const [b, l] of table) { const d = Math.abs(v - b); if (d < bd) { bd = d; best = l; } }
      out[i] = best;
    }
  }
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

export type FillMode =
  /** real pixels of the donor image (the study's composition) */
  | 'real'
  /** one seeded random colour per mask region (arm, object) per sample */
  | 'random-region'
  /** seeded random colour per pixel (noise) */
  | 'random-pixel';

export interface ComposeMasks { arm?: SoftMask; obj?: SoftMask }

export interface ComposeOptions {
  fill?: FillMode;
  /** Seed for the random fills (required for random modes); recorded by the caller with the output. */
  seed?: number;
  /** Extra keys for the seed path (e.g. the sample index), so shards give identical results. */
  seedKeys?: (string | number)[];
  /** Names used in error messages. */
  where?: { syn?: string; real?: string; arm?: string; obj?: string };
}

function emptyMask(width: number, height: number): SoftMask { return { data: new Float32Array(width * height), width, height }; }

/** Binary 0/1 mask of the pixels whose label is one of `labels` (label map: H×W, 1 channel). */
export function maskFromLabels(labels: Image<Uint8Array | Float32Array>, ids: readonly number[], where = 'label mask'): SoftMask {
  if (labels.channels !== 1) throw new InputError(where, `label mask must have 1 channel, got ${labels.channels}`);
  const out = emptyMask(labels.width, labels.height);
  const set = new Set(ids);
  for (let i = 0; i < out.data.length; i++) if (set.has(Math.round(labels.data[i]))) out.data[i] = 1;
  return out;
}

/** Soft mask from an 8-bit gray image (0 → 0, 255 → 1); the first channel is used for RGB images. */
export function maskFromGray(img: Image<Uint8Array | Float32Array>, where = 'mask'): SoftMask {
  const out = emptyMask(img.width, img.height);
  const c = img.channels;
  let max = 0;
  for (let i = 0; i < out.data.length; i++) { const v = img.data[i * c]; if (v > max) max = v; out.data[i] = v / 255; }
  if (max > 255) throw new InputError(where, `mask values must be within 0..255, found ${max}`);
  return out;
}

/** Check a soft mask against the image size and the [0, 1] range. */
function checkMask(m: SoftMask, width: number, height: number, where: string): void {
  if (m.width !== width || m.height !== height) throw new InputError(where, `mask is ${m.width}×${m.height} but the image is ${width}×${height}`);
  if (m.data.length !== width * height) throw new InputError(where, `mask has ${m.data.length} values, expected ${width * height}`);
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!(v >= 0 && v <= 1)) throw new InputError(where, `mask value at pixel ${i} (x=${i % width}, y=${Math.floor(i / width)}) is ${v}, expected within [0, 1]`);
  }
}

function checkImage(img: Image<Float32Array | Uint8Array>, where: string): void {
  if (img.channels !== 3) throw new InputError(where, `expected an RGB image (3 channels), got ${img.channels}`);
  if (img.data.length !== img.width * img.height * 3) throw new InputError(where, `buffer has ${img.data.length} values, expected ${img.width}×${img.height}×3`);
}

/** Union of arm and object masks clipped to 1 (H×W). */
export function maskUnion(masks: ComposeMasks, width: number, height: number): SoftMask {
  const out = emptyMask(width, height);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(1, (masks.arm?.data[i] ?? 0) + (masks.obj?.data[i] ?? 0));
  return out;
}

/**
 * Compose one sample. `real` may be omitted only for random fills. Returns a float image (0..255).
 */
export function composeImage(syn: Image<Float32Array | Uint8Array>, real: Image<Float32Array | Uint8Array> | null, masks: ComposeMasks, opts: ComposeOptions = {}): Image<Float32Array> {
  const w = opts.where ?? {};
  const fill = opts.fill ?? 'real';
  checkImage(syn, w.syn ?? 'synthetic image');
  const { width, height } = syn;
  if (fill === 'real') {
    if (!real) throw new InputError(w.real ?? 'real image', 'a donor image is required for fill "real"');
    checkImage(real, w.real ?? 'real image');
    if (real.width !== width || real.height !== height) throw new InputError(w.real ?? 'real image', `image is ${real.width}×${real.height} but the synthetic image is ${width}×${height} (resize first)`);
  }
  if (masks.arm) checkMask(masks.arm, width, height, w.arm ?? 'arm mask');
  if (masks.obj) checkMask(masks.obj, width, height, w.obj ?? 'object mask');
  if (fill !== 'real' && opts.seed === undefined) throw new InputError('compose options', `fill "${fill}" needs a seed`);

  const rng = fill === 'real' ? null : Rng.derive(opts.seed!, 'compose-fill', ...(opts.seedKeys ?? []));
  // Region colours drawn first (fixed order arm, obj) so they do not depend on image content.
  const armColour = rng ? [rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)] : null;
  const objColour = rng ? [rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)] : null;

  const out = new Float32Array(width * height * 3);
  const arm = masks.arm?.data, obj = masks.obj?.data;
  for (let p = 0; p < width * height; p++) {
    let ma = arm ? arm[p] : 0, mo = obj ? obj[p] : 0;
    const sum = ma + mo;
    if (sum > 1) { ma /= sum; mo /= sum; } // union clipped to 1, shared in proportion
    const ms = 1 - ma - mo;
    for (let c = 0; c < 3; c++) {
      const k = p * 3 + c;
      let v = ms * syn.data[k];
      if (fill === 'real') v += (ma + mo) * real!.data[k];
      else if (fill === 'random-region') v += ma * armColour![c] + mo * objColour![c];
      else if (ma + mo > 0) v += (ma + mo) * rng!.uniform(0, 255);
      out[k] = v;
    }
  }
  return { data: out, width, height, channels: 3 };
}

export type PairingMode = 'same-index' | 'random' | 'cyclic';

/**
 * Which real sample donates its arm and object to each synthetic sample: an array of real indices,
 * one per synthetic sample. `same-index` is for pose-matched sets (synthetic i was rendered from real
 * i's pose); `random` draws with a seed (without replacement while possible); `cyclic` uses i mod nReal.
 */
export function pairingPlan(nSyn: number, nReal: number, mode: PairingMode, seed = 0): number[] {
  if (!Number.isInteger(nSyn) || nSyn < 0) throw new InputError('pairing', `synthetic count must be a non-negative integer, got ${nSyn}`);
  if (!Number.isInteger(nReal) || nReal <= 0) throw new InputError('pairing', `real donor set is empty (count ${nReal})`);
  if (mode === 'same-index') {
    if (nReal < nSyn) throw new InputError('pairing', `same-index pairing needs at least as many real samples (${nReal}) as synthetic ones (${nSyn})`);
    return Array.from({ length: nSyn }, (_, i) => i);
  }
  if (mode === 'cyclic') return Array.from({ length: nSyn }, (_, i) => i % nReal);
  if (mode === 'random') {
    const rng = Rng.derive(seed, 'pairing');
    const out: number[] = [];
    while (out.length < nSyn) out.push(...rng.permutation(nReal));
    return out.slice(0, nSyn);
  }
  throw new InputError('pairing', `unknown pairing mode "${mode as string}" (use same-index, random or cyclic)`);
}

/** Nearest-neighbour resize of a label map (labels must never be interpolated). */
export function resizeLabelsNearest(labels: Image<Uint8Array>, width: number, height: number): Image<Uint8Array> {
  if (labels.width === width && labels.height === height) return labels;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(labels.height - 1, Math.floor(((y + 0.5) * labels.height) / height));
    for (let x = 0; x < width; x++) out[y * width + x] = labels.data[sy * labels.width + Math.min(labels.width - 1, Math.floor(((x + 0.5) * labels.width) / width))];
  }
  return { data: out, width, height, channels: 1 };
}
