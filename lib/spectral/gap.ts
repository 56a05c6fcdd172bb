/**
 * The spectral side of the domain gap, callable from the gap report and notebooks (IO: reads the sets).
 *   spectralGap({ real, synthetic }, opts): variance-ratio curve and scalar of synthetic vs real (ratios synthetic ÷ real; the
 *   sets are named, not positional, so the direction is visible at every call),
 *   like for like — both sets resampled by the same bicubic resize from their native sizes to one common size
 *   (commonSpectrumSize), bins up to Nyquist in the scalar, per-band ratios with bootstrap intervals, raw and with
 *   per-image contrast normalisation — and optionally the same after an amplitude augmentation of the synthetic
 *   images (reference pool: the real images or the synthetic set).
 */
import os from 'node:os';
import { setSpectrum, listSetImages, nativeImageSize, StatsWorkerPool, type SetSpectrum } from './dataset.ts';
import { SpectrumStats, compareSpectra, summarize, type SpectrumComparison } from './stats.ts';
import { applySpectralAugment, ReferencePool, type SpectralAugment } from './augment.ts';
import { Rng } from '../util/rng.ts';
import { readImage } from '../image/io.ts';
import { commonSpectrumSize, type ImageLike } from './spectrum.ts';
import { InputError } from '../util/errors.ts';

export interface SpectralGapOptions {
  /** common size (default: commonSpectrumSize of the two native sizes); above a native size is refused */
  size?: number;
  /** At most this many images per set (seeded subset). Default: all. */
  limit?: number;
  seed?: number;
  replicates?: number;
  workers?: number;
  /** Augmentation applied to the synthetic images for the "after" comparison (none: skip). */
  augment?: SpectralAugment;
  /** Reference pool for mix/swap/fda: 'real' (default) or 'synthetic'. */
  pool?: 'real' | 'synthetic';
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface SpectralGapResult {
  seed: number; size: number;
  /** ratios are synthetic ÷ real */
  direction: 'synthetic ÷ real';
  synthetic: { root: string; images: number; nativeSize: number }; real: { root: string; images: number; nativeSize: number };
  /** how both sets reached `size` (and a warning when the comparison is not like for like) */
  resampling: { method: string; note: string | null };
  before: SpectrumComparison;
  /** the same comparison after per-image contrast normalisation (exposure differences removed) */
  contrastNormalized: SpectrumComparison;
  after: (SpectrumComparison & { augment: SpectralAugment; pool: string }) | null;
  /** radial variance profiles (luminance amplitude) for plotting */
  profiles: { frequency: number[]; synthetic: number[]; real: number[]; augmented: number[] | null; meanSynthetic: number[]; meanReal: number[]; meanAugmented: number[] | null;
    /** per-frequency 95% bootstrap interval (over images) of the variance ratio synthetic ÷ real, and augmented ÷ real */
    ratioInterval?: { synthetic: { lo: number[]; hi: number[] } | null; augmented: { lo: number[]; hi: number[] } | null } };
}

async function loadImages(files: string[], size: number): Promise<ImageLike[]> {
  const out: ImageLike[] = [];
  for (const f of files) out.push(await readImage(f, { width: size, height: size }));
  return out;
}

/** Statistics of the synthetic set after one seeded augmentation per image (key = image index). */
async function augmentedSetSpectrum(syn: SetSpectrum, aug: SpectralAugment, poolFiles: string[], opts: { seed: number; keep?: Set<number>; onProgress?: (d: number, t: number) => void }): Promise<{ stats: SpectrumStats; samples: Float32Array[] }> {
  const size = syn.size;
  const poolImages = await loadImages(poolFiles, size);
  const pool = ReferencePool.fromImages(poolImages);
  const stats = new SpectrumStats(size, size, 3), samples: Float32Array[] = [];
  for (let i = 0; i < syn.files.length; i++) {
    const img = await readImage(syn.files[i], { width: size, height: size });
    const { image } = applySpectralAugment(img, aug, Rng.derive(opts.seed, 'spectral-gap', i), pool, undefined, { precision: 'float64' }); // analysis: float64
    const lum = stats.add(image, opts.keep ? opts.keep.has(i) : true);
    if (lum) samples.push(Float32Array.from(lum));
    opts.onProgress?.(i + 1, syn.files.length);
  }
  return { stats, samples };
}

export async function spectralGap(sets: { real: string; synthetic: string }, opts: SpectralGapOptions = {}): Promise<SpectralGapResult> {
  const syntheticSet = sets.synthetic, realSet = sets.real;
  const seed = opts.seed ?? 0, B = opts.replicates ?? 200;
  const nativeSyn = await nativeImageSize(listSetImages(syntheticSet).files), nativeReal = await nativeImageSize(listSetImages(realSet).files);
  let common: ReturnType<typeof commonSpectrumSize>;
  try { common = commonSpectrumSize(nativeSyn, nativeReal, opts.size); } catch (e) { throw new InputError('size', (e as Error).message); }
  const size = common.size;
  const base = { size, seed, limit: opts.limit, workers: opts.workers, bootstrapImages: 256 };
  // one set of worker threads for both sets (the tsx worker start-up is paid once)
  const threads = Math.max(1, Math.min(opts.workers ?? Math.min(8, os.availableParallelism()), 64));
  const workerPool = threads > 1 ? new StatsWorkerPool(threads - 1) : undefined;
  let syn: SetSpectrum, real: SetSpectrum, synC: SetSpectrum, realC: SetSpectrum;
  try {
    const run = (set: string, stage: string, contrast: boolean) => setSpectrum(set, { ...base, contrast, pool: workerPool, onProgress: (d, t) => opts.onProgress?.(stage, d, t) });
    syn = await run(syntheticSet, 'synthetic', false);
    real = await run(realSet, 'real', false);
    synC = await run(syntheticSet, 'synthetic (contrast-normalised)', true);
    realC = await run(realSet, 'real (contrast-normalised)', true);
  } finally { await workerPool?.close(); }
  const before = compareSpectra({ reference: { stats: real.stats, samples: real.samples }, candidate: { stats: syn.stats, samples: syn.samples } }, { replicates: B, seed });
  const contrastNormalized = compareSpectra({ reference: { stats: realC.stats, samples: realC.samples }, candidate: { stats: synC.stats, samples: synC.samples } }, { replicates: B, seed });
  const sumS = summarize(syn.stats), sumR = summarize(real.stats);
  let after: SpectralGapResult['after'] = null, augVar: number[] | null = null, augMean: number[] | null = null;
  if (opts.augment && opts.augment.kind !== 'none') {
    const poolName = opts.pool ?? 'real';
    const poolFiles = poolName === 'real' ? real.files : syn.files;
    const aug = await augmentedSetSpectrum(syn, opts.augment, poolFiles.slice(0, 256), { seed, onProgress: (d, t) => opts.onProgress?.('augmented synthetic', d, t) });
    const keepN = Math.min(256, aug.samples.length);
    after = { ...compareSpectra({ reference: { stats: real.stats, samples: real.samples }, candidate: { stats: aug.stats, samples: aug.samples.slice(0, keepN) } }, { replicates: B, seed }), augment: opts.augment, pool: poolName };
    const sumA = summarize(aug.stats);
    augVar = sumA.planes.y.amp.variance; augMean = sumA.planes.y.amp.mean;
  }
  return {
    seed, size, direction: 'synthetic ÷ real',
    synthetic: { root: syn.root, images: syn.files.length, nativeSize: nativeSyn }, real: { root: real.root, images: real.files.length, nativeSize: nativeReal },
    resampling: { method: `bicubic resize (sharp) of both sets from their native size to ${size}×${size}`, note: common.note },
    before, contrastNormalized, after,
    profiles: { frequency: sumS.radialCenters, synthetic: sumS.planes.y.amp.variance, real: sumR.planes.y.amp.variance, augmented: augVar, meanSynthetic: sumS.planes.y.amp.mean, meanReal: sumR.planes.y.amp.mean, meanAugmented: augMean,
      ratioInterval: { synthetic: before.ratioInterval, augmented: after?.ratioInterval ?? null } },
  };
}
