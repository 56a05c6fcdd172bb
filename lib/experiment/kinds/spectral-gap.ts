/** spectral-gap: amplitude-spectrum statistics of a synthetic set against a real one, before and after an augmentation (lib/spectral/gap.ts). */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, datasetDir, asJson } from '../step.ts';
import { spectralGap } from '../../spectral/gap.ts';
import type { SpectralAugment } from '../../spectral/augment.ts';
import { writeJsonAtomic } from '../../util/fsx.ts';

/** Fraction of radial bins (DC excluded) where a is below b. */
export function fractionBelow(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let below = 0, n = 0;
  for (let i = 1; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) { n++; if (a[i] < b[i]) below++; }
  return n ? below / n : NaN;
}

export const spectralGapKind = defineKind({
  name: 'spectral-gap',
  version: 4, // 2: like-for-like resampling of both sets; 3: per-band ratios and the contrast-normalised comparison in the result; 4: per-frequency ratio intervals
  summary: 'amplitude statistics synthetic vs real, before/after an amplitude augmentation (lib/spectral)',
  config: z.strictObject({
    syn: z.string().min(1),
    real: z.string().min(1),
    /** common size in pixels (default: below both native sizes) */
    size: z.number().int().min(8).optional(),
    /** at most this many images per set; 0 = all */
    limit: z.number().int().min(0).default(0),
    replicates: z.number().int().min(0).default(200),
    seed: z.number().int().default(0),
    /** the augmentation for the "after" comparison (lib/spectral/augment.ts), e.g. { "kind": "mix", "eta": 1 } */
    augment: z.record(z.string(), z.unknown()).nullable().default(null),
  }),
  async run(config, { deps, dir, log }) {
    const syn = datasetDir(config.syn, deps, 'spectral-gap.syn'), real = datasetDir(config.real, deps, 'spectral-gap.real');
    const g = await spectralGap({ real, synthetic: syn }, {
      size: config.size, limit: config.limit || undefined, seed: config.seed, replicates: config.replicates,
      augment: (config.augment ?? undefined) as SpectralAugment | undefined, pool: 'real', workers: 1,
    });
    log(`variance ratio synthetic ÷ real ${g.before.scalar.toFixed(3)} before, ${g.after ? g.after.scalar.toFixed(3) : '-'} after ${g.after?.augment.kind ?? ''}`);
    const file = path.join(dir, 'spectral-gap.json');
    writeJsonAtomic(file, asJson(g));
    return {
      file, images: { synthetic: g.synthetic.images, real: g.real.images }, size: g.size,
      varianceRatio: { before: g.before.scalar, beforeInterval: asJson(g.before.interval), after: g.after?.scalar ?? null, afterInterval: asJson(g.after?.interval ?? null), augment: asJson(g.after?.augment ?? null) },
      // per band (low / mid / high up to Nyquist, corner beyond it), raw and per-image contrast-normalised, with bootstrap intervals
      bands: asJson(g.before.bands), contrastNormalized: asJson({ scalar: g.contrastNormalized.scalar, interval: g.contrastNormalized.interval, bands: g.contrastNormalized.bands }),
      nativeSize: { synthetic: g.synthetic.nativeSize, real: g.real.nativeSize }, resampling: asJson(g.resampling),
      synBelowRealFraction: fractionBelow(g.profiles.synthetic, g.profiles.real),
      profiles: asJson(g.profiles),
    };
  },
});
