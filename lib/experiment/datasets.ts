/**
 * Dataset entries in step configs (train, evaluate): a set name / folder / "@step", or an object that
 * takes a part of it — `part: [lo, hi]` fractions of the set in index order (e.g. [0, 0.5] and [0.5, 1]
 * for disjoint train/test halves), `max` the first N of that part. The hand side is not given here: it
 * comes from the samples' metadata or their labels (lib/train/pose/train.ts loadDataset).
 */
import { z } from '../config/schema.ts';
import { readFreihand } from '../data/freihand.ts';
import type { DatasetSpec } from '../train/pose/config.ts';
import { datasetDir, type DepResult } from './step.ts';

export const datasetEntry = z.union([
  z.string().min(1),
  z.strictObject({
    set: z.string().min(1),
    part: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).refine(([a, b]) => a < b, 'expected [lo, hi] with lo < hi').optional(),
    max: z.number().int().min(0).default(0),
    weight: z.number().positive().default(1),
  }),
]);
export type DatasetEntry = z.output<typeof datasetEntry>;

/** The training/test spec of an entry: folder and the sample indices it takes (undefined = all). */
export function datasetSpec(e: DatasetEntry, deps: Record<string, DepResult>, where: string): DatasetSpec {
  if (typeof e === 'string') return { path: datasetDir(e, deps, where) };
  const dir = datasetDir(e.set, deps, `${where}.set`);
  if (!e.part && !e.max) return { path: dir, weight: e.weight };
  const n = readFreihand(dir, { checkImages: false }).count;
  const [lo, hi] = e.part ? [Math.floor(e.part[0] * n), Math.floor(e.part[1] * n)] : [0, n];
  const count = e.max > 0 ? Math.min(e.max, hi - lo) : hi - lo;
  return { path: dir, weight: e.weight, indices: Array.from({ length: count }, (_, i) => lo + i) };
}
