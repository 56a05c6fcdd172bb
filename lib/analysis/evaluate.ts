/**
 * Scoring a prediction file against a labelled set (IO: reads the set, the predictions and label masks).
 * The numbers come from lib/metrics/score.ts (the one scoring path); this adds error by occlusion level
 * when the set has label masks.
 */
import { readFreihand, readPredictions } from '../data/freihand.ts';
import { scorePredictions, type ScoreReport } from '../metrics/score.ts';
import { readImage } from '../image/io.ts';
import { labelsFromMask } from '../image/compose.ts';
import { occlusionFromLabels, occludedFractionFromMeta, projectJoints, errorByOcclusion, type ErrorByOcclusionRow } from './occlusion.ts';
import { InputError } from '../util/errors.ts';

export interface EvalResult extends ScoreReport {
  byOcclusion: ErrorByOcclusionRow[] | null;
}

/** Score a prediction file against a labelled set through lib/metrics/score.ts; `train` adds the baselines. */
export async function evaluatePredictions(testDir: string, predFile: string, opts: { split?: string; indices?: number[]; train?: number[][][]; seed?: number } = {}): Promise<EvalResult> {
  const set = readFreihand(testDir, { split: opts.split, indices: opts.indices });
  const pred = readPredictions(predFile, { expectedCount: set.samples.length });
  set.samples.forEach((s) => { if (!s.xyz) throw new InputError(`${testDir} sample ${s.index}`, 'has no 3D labels to evaluate against'); });
  const score = scorePredictions({ gt: set.samples.map((s) => s.xyz!), pred: pred.xyz, train: opts.train, seed: opts.seed, where: { gt: testDir, pred: predFile } });
  let byOcclusion: ErrorByOcclusionRow[] | null = null;
  const withMasks = set.samples.filter((s) => s.maskPath);
  if (withMasks.length === set.samples.length && set.samples.length > 0) {
    const fr: number[] = [];
    for (const s of set.samples) {
      const exact = occludedFractionFromMeta(s.meta);
      if (exact !== null) { fr.push(exact); continue; }
      fr.push(occlusionFromLabels(labelsFromMask(await readImage(s.maskPath!, { gray: true }), s.maskPath), projectJoints(s.xyz!, s.K)).occludedFraction);
    }
    byOcclusion = errorByOcclusion(fr, score.perFramePaMm);
  }
  return { ...score, byOcclusion };
}
