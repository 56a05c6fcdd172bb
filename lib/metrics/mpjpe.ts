/** Single-sample conveniences: MPJPE and PA-MPJPE (mean joint error, metres). Pure. */
import { alignWithScale, type ReflectionMode } from './procrustes.ts';
import { pointDistances, type Points } from './points.ts';

/** Mean per-joint position error of one sample (metres). */
export function mpjpe(gt: Points, pred: Points): number {
  const d = pointDistances(gt, pred);
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s / d.length;
}

/** Procrustes-aligned MPJPE of one sample (metres); 'allow' = FreiHAND's official alignment. */
export function paMpjpe(gt: Points, pred: Points, reflection: ReflectionMode = 'allow'): number {
  return mpjpe(gt, alignWithScale(gt, pred, reflection));
}
