/**
 * Pose samplers and subsets (pure, seeded). Angles are N×N_DOF flat Float64Arrays (radians, DOFS order).
 *  - uniform within the joint limits: the broad, DARTset-like distribution;
 *  - a Gaussian prior over joint angles fitted to a real set (PCA: mean + principal axes), sampled
 *    and clamped to the limits;
 *  - nested deterministic subsets by fraction (the 20% subset contains the 10% one).
 */
import { Rng } from '../util/rng.ts';
import { N_DOF, DOF_MIN, DOF_MAX, fkInto, flat21From25, type HandShape } from './model.ts';
import { rotvecMatrix, type Vec3 } from './math3.ts';
import { fitPca } from '../util/linalg.ts';

/** N poses uniform within the limits. `shrink` (0..1] narrows each range about its centre. */
export function sampleUniformAngles(n: number, seed: number, opts: { shrink?: number } = {}): Float64Array {
  const rng = Rng.derive(seed, 'uniform-angles');
  const s = opts.shrink ?? 1;
  const out = new Float64Array(n * N_DOF);
  for (let i = 0; i < n; i++) for (let k = 0; k < N_DOF; k++) {
    const c = (DOF_MIN[k] + DOF_MAX[k]) / 2, h = (DOF_MAX[k] - DOF_MIN[k]) / 2 * s;
    out[i * N_DOF + k] = rng.uniform(c - h, c + h);
  }
  return out;
}

/** A uniformly random rotation (rotation vector), from a seeded stream. */
export function randomRotation(rng: Rng): Vec3 {
  // uniform unit quaternion (Shoemake)
  const u1 = rng.random(), u2 = rng.random() * 2 * Math.PI, u3 = rng.random() * 2 * Math.PI;
  const a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
  let [x, y, z, w] = [a * Math.sin(u2), a * Math.cos(u2), b * Math.sin(u3), b * Math.cos(u3)];
  if (w < 0) { x = -x; y = -y; z = -z; w = -w; }
  const angle = 2 * Math.acos(Math.min(1, w)), s = Math.sqrt(Math.max(1e-300, 1 - w * w));
  return angle < 1e-12 ? [0, 0, 0] : [x / s * angle, y / s * angle, z / s * angle];
}

export interface AnglePrior {
  kind: 'gaussian-pca';
  /** N_DOF mean angles (radians). */
  mean: Float64Array;
  /** N_DOF×N_DOF principal axes (columns, row-major), descending variance. */
  axes: Float64Array;
  /** Standard deviation along each axis (radians). */
  stds: Float64Array;
  /** How many poses it was fitted on. */
  count: number;
}

/** Fit a Gaussian (PCA) prior to N×N_DOF angles. */
export function fitAnglePrior(angles: Float64Array): AnglePrior {
  const n = angles.length / N_DOF;
  if (n < 2) throw new Error('fitAnglePrior: need at least 2 poses');
  const pca = fitPca(angles, N_DOF);
  return { kind: 'gaussian-pca', mean: pca.mean, axes: pca.axes, stds: Float64Array.from(pca.variances, (v) => Math.sqrt(Math.max(0, v))), count: n };
}

/** Sample N poses from a prior (optionally widened by `scale`), clamped to the joint limits. */
export function samplePriorAngles(prior: AnglePrior, n: number, seed: number, opts: { scale?: number; components?: number } = {}): Float64Array {
  const rng = Rng.derive(seed, 'prior-angles');
  const s = opts.scale ?? 1, m = opts.components ?? N_DOF;
  const out = new Float64Array(n * N_DOF);
  const z = new Float64Array(N_DOF);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) z[c] = rng.normal() * prior.stds[c] * s;
    for (let k = 0; k < N_DOF; k++) {
      let v = prior.mean[k];
      for (let c = 0; c < m; c++) v += prior.axes[k * N_DOF + c] * z[c];
      out[i * N_DOF + k] = Math.min(DOF_MAX[k], Math.max(DOF_MIN[k], v));
    }
  }
  return out;
}

/**
 * Joints of N poses: 21-joint (N×63 flat) and 25-joint (N×75 flat) arrays, in the hand frame, or in a
 * camera frame when `rotations` (N×3 rotation vectors) / `translations` (N×3 metres) are given.
 */
export function jointsOfAngles(shape: HandShape, angles: Float64Array, opts: { rotations?: Float64Array; translations?: Float64Array } = {}): { j21: Float64Array; j25: Float64Array } {
  const n = angles.length / N_DOF;
  const j25 = new Float64Array(n * 75), j21 = new Float64Array(n * 63);
  const R = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const rot = opts.rotations ? rotvecMatrix(opts.rotations.subarray(i * 3, i * 3 + 3), R) : null;
    const tr = opts.translations ? opts.translations.subarray(i * 3, i * 3 + 3) : rot ? [0, 0, 0] : null;
    fkInto(shape, angles.subarray(i * N_DOF, (i + 1) * N_DOF), rot, tr, j25, true, i * 75);
    flat21From25(j25, j21, i * 75, i * 63);
  }
  return { j21, j25 };
}

/**
 * Nested deterministic subsets of 0..count−1: one seeded permutation, and the subset for fraction f
 * is its first round(f·count) entries (at least 1), returned sorted. Larger fractions contain smaller ones.
 */
export function nestedSubsets(count: number, fractions: readonly number[], seed: number): { fraction: number; indices: number[] }[] {
  for (const f of fractions) if (!(f > 0 && f <= 1)) throw new Error(`nestedSubsets: fraction ${f} outside (0, 1]`);
  const order = Rng.derive(seed, 'nested-subsets', count).permutation(count);
  return fractions.map((fraction) => ({ fraction, indices: order.slice(0, Math.max(1, Math.round(fraction * count))).sort((a, b) => a - b) }));
}

/** The default fractions of the pose saturation curve: 10%, 20%, …, 100%. */
export const SATURATION_FRACTIONS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
