/**
 * 2D keypoint accuracy in pixels: per-joint pixel errors, PCK curve over pixel thresholds (d <= t)
 * and its normalised AUC. Pure.
 */
import { linspace, trapz, pairwiseSum } from './numeric.ts';

export interface Pck2dReport {
  /** Mean pixel error over all joints and samples (px). */
  mean_px: number;
  /** Per-joint mean pixel error (px). */
  per_joint_mean_px: number[];
  thresholds_px: number[];
  /** Fraction of joints with error <= threshold. */
  pck_curve: number[];
  auc: number;
}

/** uv arrays: per sample J×2 flat (u0 v0 u1 v1 ...), pixels. */
export function pck2d(gtUv: ArrayLike<number>[], predUv: ArrayLike<number>[], opts: { maxPx?: number; steps?: number } = {}): Pck2dReport {
  const maxPx = opts.maxPx ?? 30, steps = opts.steps ?? 100;
  const n = gtUv.length;
  if (predUv.length !== n) throw new Error(`pck2d: ${n} GT samples but ${predUv.length} predictions`);
  const J = n > 0 ? gtUv[0].length / 2 : 0;
  const all = new Float64Array(n * J), perJoint = new Float64Array(J);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < J; j++) {
      const d = Math.hypot(gtUv[i][2 * j] - predUv[i][2 * j], gtUv[i][2 * j + 1] - predUv[i][2 * j + 1]);
      all[i * J + j] = d; perJoint[j] += d;
    }
  }
  const th = linspace(0, maxPx, steps);
  const sorted = Float64Array.from(all).sort();
  const curve = new Float64Array(steps);
  let c = 0;
  for (let t = 0; t < steps; t++) { while (c < sorted.length && sorted[c] <= th[t]) c++; curve[t] = sorted.length ? c / sorted.length : 0; }
  const ones = new Float64Array(steps).fill(1);
  return {
    mean_px: all.length ? pairwiseSum(all) / all.length : NaN,
    per_joint_mean_px: Array.from(perJoint, (v) => v / n),
    thresholds_px: Array.from(th),
    pck_curve: Array.from(curve),
    auc: trapz(curve, th) / trapz(ones, th),
  };
}
