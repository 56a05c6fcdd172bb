/**
 * Scoring predictions against a labelled set (IO: reads the set, the predictions and label masks).
 * Errors in mm: MPJPE after root (wrist) alignment, PA-MPJPE after similarity Procrustes (FreiHAND's
 * official alignment), PA AUC over 0–50 mm; per-sample PA errors, and error by occlusion level when
 * the set has label masks.
 */
import { readFreihand, readPredictions } from '../data/freihand.ts';
import { toPoints, pointDistances } from '../metrics/points.ts';
import { alignWithScale, alignRoot } from '../metrics/procrustes.ts';
import { KeypointErrors } from '../metrics/keypoint-eval.ts';
import { readImage } from '../image/io.ts';
import { labelsFromMask } from '../image/compose.ts';
import { occlusionFromLabels, occludedFractionFromMeta, projectJoints, errorByOcclusion, type ErrorByOcclusionRow } from './occlusion.ts';
import { InputError } from '../util/errors.ts';

export interface EvalResult {
  n: number;
  mpjpeMm: number;
  paMpjpeMm: number;
  paAuc50: number;
  perSamplePaMm: number[];
  byOcclusion: ErrorByOcclusionRow[] | null;
}

export async function evaluatePredictions(testDir: string, predFile: string, opts: { split?: string; indices?: number[] } = {}): Promise<EvalResult> {
  const set = readFreihand(testDir, { split: opts.split, indices: opts.indices });
  const pred = readPredictions(predFile, { expectedCount: set.samples.length });
  const pa = new KeypointErrors(21, set.samples.length), root = new KeypointErrors(21, set.samples.length);
  const perSample: number[] = [];
  set.samples.forEach((s, i) => {
    if (!s.xyz) throw new InputError(`${testDir} sample ${s.index}`, 'has no 3D labels to evaluate against');
    const gt = toPoints(s.xyz, `${testDir} sample ${s.index}`, 21), p = toPoints(pred.xyz[i], `${predFile}[${i}]`, 21);
    const dPa = pointDistances(gt, alignWithScale(gt, p));
    pa.feedDistances(dPa);
    root.feedDistances(pointDistances(gt, alignRoot(gt, p)));
    perSample.push(1000 * dPa.reduce((a, b) => a + b, 0) / 21);
  });
  const mPa = pa.measures(0, 0.05, 100), mRoot = root.measures(0, 0.05, 100);
  let byOcclusion: ErrorByOcclusionRow[] | null = null;
  const withMasks = set.samples.filter((s) => s.maskPath);
  if (withMasks.length === set.samples.length && set.samples.length > 0) {
    const fr: number[] = [];
    for (const s of set.samples) {
      const exact = occludedFractionFromMeta(s.meta);
      if (exact !== null) { fr.push(exact); continue; }
      fr.push(occlusionFromLabels(labelsFromMask(await readImage(s.maskPath!, { gray: true }), s.maskPath), projectJoints(s.xyz!, s.K)).occludedFraction);
    }
    byOcclusion = errorByOcclusion(fr, perSample);
  }
  return { n: set.samples.length, mpjpeMm: 1000 * mRoot.mean, paMpjpeMm: 1000 * mPa.mean, paAuc50: mPa.auc, perSamplePaMm: perSample, byOcclusion };
}
