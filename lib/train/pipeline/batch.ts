/**
 * Batches for the pose model: load images (sharp, cached), crop/augment/label (transform.ts), optional
 * amplitude-spectrum augmentation (lib/spectral) with a reference pool. Runs in the main thread or inside
 * worker threads (worker.ts); everything a sample needs travels in a BatchItem, so the result depends
 * only on the item, never on which thread made it.
 */
import { readImage, type Image } from '../../image/io.ts';
import type { Mat3 } from '../../data/types.ts';
import { Rng } from '../../util/rng.ts';
import { prepareSample, imageBox, type AugmentDraw, type CropMode, type ForegroundMask } from './transform.ts';
import { labelsFromMask } from '../../image/compose.ts';
import { LABEL } from '../../data/mask-labels.ts';
import { applySpectralAugment, ReferencePool, type SpectralAugment } from '../../spectral/augment.ts';

export interface BatchItem {
  imagePath: string;
  xyz: number[][];
  K: Mat3;
  left: boolean;
  draw: AugmentDraw;
  /** This item's spectral augmentation (its set's; null = none). */
  spectral: SpectralAugment | null;
  /** Seed for the spectral draw of this item. */
  spectralSeed: number;
  /** The sample's label mask (renders), for background randomisation. */
  maskPath?: string;
}

export interface BatchOptions {
  size: number;
  margin: number;
  /** Crop box from the labels ('joints', default) or the whole image ('image'). */
  crop?: CropMode;
  /** Images for the spectral reference pool (resized to size×size), loaded when an item's augmentation needs references. */
  poolImages?: string[];
}

export interface Batch {
  count: number;
  images: Float32Array; // count×size×size×3 in [0, 1]
  xyz: Float32Array;    // count×63
  uv: Float32Array;     // count×42
}

const MAX_CACHED = 4096;

/** The value of `key` from a bounded cache (oldest entry dropped when full), loaded once. */
async function cached<T>(cache: Map<string, T>, key: string, load: () => Promise<T>): Promise<T> {
  let v = cache.get(key);
  if (v === undefined) {
    v = await load();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, v);
  }
  return v;
}

const imageCache = new Map<string, Image>();
const cachedImage = (file: string): Promise<Image> => cached(imageCache, file, () => readImage(file));

const foregroundCache = new Map<string, ForegroundMask>();
/** Foreground weights of a label mask (hand, forearm, object: 1; background: 0), cached like the images. */
const cachedForeground = (file: string): Promise<ForegroundMask> => cached(foregroundCache, file, async () => {
  const labels = labelsFromMask(await readImage(file, { gray: true }), file);
  return { data: Float32Array.from(labels.data, (l) => (l === LABEL.background ? 0 : 1)), width: labels.width, height: labels.height };
});

let pool: { key: string; pool: ReferencePool } | null = null;
async function referencePool(items: BatchItem[], opts: BatchOptions): Promise<ReferencePool | undefined> {
  const needsReferences = items.some((it) => it.spectral && it.spectral.kind !== 'none' && it.spectral.kind !== 'perturb');
  if (!needsReferences || !opts.poolImages?.length) return undefined;
  const key = `${opts.size}|${opts.poolImages.join('|')}`;
  if (pool?.key !== key) {
    const imgs = await Promise.all(opts.poolImages.map(async (f) => {
      const im = await readImage(f, { width: opts.size, height: opts.size });
      return { data: Float32Array.from(im.data, (v) => v / 255), width: im.width, height: im.height, channels: im.channels };
    }));
    pool = { key, pool: ReferencePool.fromImages(imgs) };
  }
  return pool.pool;
}

export async function makeBatch(items: BatchItem[], opts: BatchOptions): Promise<Batch> {
  const N = opts.size, B = items.length;
  const out: Batch = { count: B, images: new Float32Array(B * N * N * 3), xyz: new Float32Array(B * 63), uv: new Float32Array(B * 42) };
  const refs = await referencePool(items, opts);
  for (let i = 0; i < B; i++) {
    const it = items[i];
    const img = await cachedImage(it.imagePath);
    const src = { data: img.data, width: img.width, height: img.height, channels: img.channels };
    const foreground = it.draw.background && it.maskPath ? await cachedForeground(it.maskPath) : undefined;
    const p = prepareSample(src, it.xyz, it.K, it.left, it.draw, { size: N, margin: opts.margin, valueScale: 1 / 255, box: opts.crop === 'image' ? imageBox(img.width, img.height) : undefined, foreground });
    const slot = out.images.subarray(i * N * N * 3, (i + 1) * N * N * 3);
    let pixels = p.image;
    if (it.spectral && it.spectral.kind !== 'none') {
      // mix/swap write straight into the batch slot (no per-sample allocation), clipped to the images' [0, 1] range
      pixels = applySpectralAugment({ data: pixels, width: N, height: N, channels: 3 }, it.spectral, new Rng(it.spectralSeed), refs, [0, 1], { out: slot }).image.data;
    }
    if (pixels !== slot) slot.set(pixels);
    out.xyz.set(p.xyz, i * 63);
    out.uv.set(p.uv, i * 42);
  }
  return out;
}
