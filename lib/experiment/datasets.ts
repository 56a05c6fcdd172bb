/**
 * Dataset entries in step configs (train, evaluate): a set name / folder / "@step", or an object that
 * takes a part of it — `part: [lo, hi]` fractions of the set in index order (e.g. [0, 0.5] and [0.5, 1]
 * for disjoint train/test halves), or `blocks`, the estimator's blocked split of a recording
 * (lib/data/split.ts: test blocks [first, last], `gap` frames left out on each side, which `part` this
 * entry takes; never neighbouring frames across the split), and `max` the first N of that part. The hand
 * side is not given here: it comes from the samples' metadata or their labels (lib/train/pose/train.ts loadDataset).
 */
import { z } from '../config/schema.ts';
import { readFreihand } from '../data/freihand.ts';
import { blockSplit } from '../data/split.ts';
import { STUDY_SPECTRAL_AUGMENT, type DatasetSpec } from '../train/pose/config.ts';
import { datasetDir, type DepResult } from './step.ts';

const frame = z.number().int().min(0);

export const datasetEntry = z.union([
  z.string().min(1),
  z.strictObject({
    set: z.string().min(1),
    part: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).refine(([a, b]) => a < b, 'expected [lo, hi] with lo < hi').optional(),
    blocks: z.strictObject({
      test: z.array(z.tuple([frame, frame])).min(1),
      gap: frame,
      part: z.enum(['train', 'test']),
    }).optional(),
    max: z.number().int().min(0).default(0),
    weight: z.number().positive().default(1),
    /** train steps: this entry's image augmentation, fields over the step's `augment` (e.g. a real set kept at the real arm's colours) */
    augment: z.record(z.string(), z.unknown()).optional(),
    /** train steps: this entry's amplitude-spectrum augmentation instead of the step's `amplitudeAug` */
    amplitudeAug: z.boolean().optional(),
  }).refine((e) => !(e.part && e.blocks), { message: 'give either "part" (fractions) or "blocks" (a blocked split), not both', path: ['blocks'] }),
]);
export type DatasetEntry = z.output<typeof datasetEntry>;

/** The sample indices an entry takes of a set of `count` samples (undefined = all of them). */
export function entryIndices(e: Exclude<DatasetEntry, string>, count: number, where: string): number[] | undefined {
  if (!e.part && !e.blocks && !e.max) return undefined;
  let idx: number[];
  if (e.blocks) idx = blockSplit({ count, test: e.blocks.test, gap: e.blocks.gap }, `${where}.blocks`)[e.blocks.part];
  else {
    const [lo, hi] = e.part ? [Math.floor(e.part[0] * count), Math.floor(e.part[1] * count)] : [0, count];
    idx = Array.from({ length: hi - lo }, (_, i) => lo + i);
  }
  return e.max > 0 ? idx.slice(0, e.max) : idx;
}

/** The training/test spec of an entry: folder and the sample indices it takes (undefined = all). */
export function datasetSpec(e: DatasetEntry, deps: Record<string, DepResult>, where: string): DatasetSpec {
  if (typeof e === 'string') return { path: datasetDir(e, deps, where) };
  const dir = datasetDir(e.set, deps, `${where}.set`);
  const own = {
    ...(e.augment ? { augment: e.augment } : {}),
    ...(e.amplitudeAug !== undefined ? { spectral: e.amplitudeAug ? STUDY_SPECTRAL_AUGMENT : null } : {}),
  };
  if (!e.part && !e.blocks && !e.max) return { path: dir, weight: e.weight, ...own };
  const indices = entryIndices(e, readFreihand(dir, { checkImages: false }).count, where);
  return { path: dir, weight: e.weight, indices, ...own };
}
