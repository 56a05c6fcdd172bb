/**
 * Where a 2.5D estimator's error lies (pure): the prediction's own lift (lift.ts) redone with one half of the
 * output replaced by the label. "True depths" keeps the predicted 2D and takes the label's root-relative
 * depths; "true 2D" keeps the predicted depths and takes the label's joints projected through K. A model whose
 * error falls to the floor with true 2D but not with true depths misplaces joints in the image, not in depth.
 * All PA-MPJPE in mm, the mean over samples; the 2D error is a percentage of the hand's size in the image (the
 * longer side of the projected joints' bounding box), so photos and renders of any resolution compare.
 */
import type { Mat3 } from '../../data/types.ts';
import { project, handCropBox } from '../../data/geometry.ts';
import { npMean as mean } from '../../metrics/numeric.ts';
import { paMpjpe } from '../../metrics/mpjpe.ts';
import { toPoints } from '../../metrics/points.ts';
import { liftToCamera } from './lift.ts';

export interface LabelledView { xyz: number[][]; K: Mat3; /** FreiHAND bone scale s (metres), as the prediction used */ scale: number }
export interface PredictedView { xyz: number[][]; /** 21×2 source-image pixels */ uv: number[][] }

export interface ErrorSources {
  n: number;
  paMm: number;
  trueDepthPaMm: number;
  true2dPaMm: number;
  /** mean joint distance in the image ÷ the hand's 2D box side, % */
  uvErrorPctOfBox: number;
}

const relDepths = (xyz: number[][], scale: number): number[] => xyz.map((p) => (p[2] - xyz[0][2]) / scale);
const pa = (gt: number[][], pred: number[][]): number => paMpjpe(toPoints(gt), toPoints(pred)) * 1000;

export function errorSources(labels: LabelledView[], preds: PredictedView[], boneSumRatio: number): ErrorSources {
  if (labels.length !== preds.length || labels.length === 0) throw new Error(`errorSources: ${labels.length} labels for ${preds.length} predictions`);
  const full: number[] = [], trueDepth: number[] = [], true2d: number[] = [], uvErr: number[] = [];
  labels.forEach((l, i) => {
    const p = preds[i], uvTrue = project(l.xyz, l.K);
    full.push(pa(l.xyz, p.xyz));
    trueDepth.push(pa(l.xyz, liftToCamera(p.uv, relDepths(l.xyz, l.scale), l.K, l.scale, boneSumRatio).xyz));
    true2d.push(pa(l.xyz, liftToCamera(uvTrue, relDepths(p.xyz, l.scale), l.K, l.scale, boneSumRatio).xyz));
    const box = handCropBox(uvTrue, 0, 0).size; // the longer side of the projected joints' box
    uvErr.push((100 * mean(p.uv.map((u, j) => Math.hypot(u[0] - uvTrue[j][0], u[1] - uvTrue[j][1])))) / box);
  });
  return { n: labels.length, paMm: mean(full), trueDepthPaMm: mean(trueDepth), true2dPaMm: mean(true2d), uvErrorPctOfBox: mean(uvErr) };
}
