/**
 * Gap statistics between two hand datasets on the study's factors (pure math; no file IO):
 *   - amplitude spectrum: per-frequency Welford mean/variance of log-amplitude, reduced to radial bands
 *   - pose distribution: Procrustes-aligned nearest-neighbour distances, coverage at thresholds
 *   - skeleton definition: bone lengths normalised by the palm length (pose-invariant, so a change
 *     of joint definition (e.g. NIMBLE vs MANO knuckles) shows up even between different poses)
 *   - occlusion: see occlusion.ts (summaries are passed through)
 * Inputs: joints 21×3 metres in JOINTS21 order; images gray float H×W of a fixed size.
 */
import { rfft2 } from '../spectral/fft.ts';
import { alignWithScale } from '../metrics/procrustes.ts';
import { paMpjpe } from '../metrics/mpjpe.ts';
import { median } from '../metrics/numeric.ts';
import { PARENTS21, JOINTS21 } from '../hand/skeleton.ts';
import { Rng } from '../util/rng.ts';
import { InputError } from '../util/errors.ts';

// ---------------------------------------------------------------------------------------------
// amplitude spectrum

/** Streaming per-frequency statistics of log(1 + |F|) of gray images (rfft2 half plane, H×(W/2+1)). */
export class LogAmplitudeStats {
  readonly halfWidth: number;
  n = 0;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  constructor(readonly height: number, readonly width: number) {
    this.halfWidth = Math.floor(width / 2) + 1;
    this.mean = new Float64Array(height * this.halfWidth);
    this.m2 = new Float64Array(height * this.halfWidth);
  }

  /** Add one gray image (H×W values, any range; 0..1 recommended). */
  add(gray: ArrayLike<number>): void {
    if (gray.length !== this.height * this.width) throw new InputError('spectrum', `image has ${gray.length} values, expected ${this.height}×${this.width}`);
    const spec = rfft2(gray, this.height, this.width);
    this.n++;
    const d = spec.data;
    for (let i = 0; i < this.mean.length; i++) {
      const v = Math.log1p(Math.hypot(d[2 * i], d[2 * i + 1]));
      const delta = v - this.mean[i];
      this.mean[i] += delta / this.n;
      this.m2[i] += delta * (v - this.mean[i]);
    }
  }

  variance(): Float64Array { return this.m2.map((v) => (this.n > 1 ? v / (this.n - 1) : NaN)); }

  /** Radial profile: mean over frequencies in `bands` rings of normalised radius r = |f| / f_nyquist ∈ [0, 1]. */
  radial(bands = 16): { r: number[]; meanLogAmp: number[]; varLogAmp: number[] } {
    const v = this.variance();
    const sumM = new Float64Array(bands), sumV = new Float64Array(bands), cnt = new Float64Array(bands);
    for (let y = 0; y < this.height; y++) {
      const fy = (y <= this.height / 2 ? y : y - this.height) / (this.height / 2);
      for (let x = 0; x < this.halfWidth; x++) {
        const fx = x / (this.width / 2);
        const r = Math.hypot(fx, fy);
        if (r === 0 || r > 1) continue; // DC excluded; corners beyond Nyquist radius dropped
        const b = Math.min(bands - 1, Math.floor(r * bands));
        const i = y * this.halfWidth + x;
        sumM[b] += this.mean[i]; sumV[b] += v[i]; cnt[b]++;
      }
    }
    return {
      r: Array.from({ length: bands }, (_, b) => (b + 0.5) / bands),
      meanLogAmp: Array.from(sumM, (s, b) => s / cnt[b]),
      varLogAmp: Array.from(sumV, (s, b) => s / cnt[b]),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// skeleton definition

export interface SkeletonStats {
  /** bone b connects joint b+1 to its parent (JOINTS21); names "parent→child" */
  bones: string[];
  /** mean bone length in mm */
  meanLengthMm: number[];
  /** mean bone length ÷ palm length (wrist → middle MCP), per bone */
  meanRatio: number[];
  stdRatio: number[];
  /** palm length in mm (mean ± std) */
  palmMm: { mean: number; std: number };
  /** median bone length in mm, per bone */
  medianLengthMm: number[];
  n: number;
}

const MIDDLE_MCP = 9;

export function skeletonStats(poses: number[][][]): SkeletonStats {
  if (!poses.length) throw new InputError('skeleton stats', 'no poses');
  const nb = 20;
  const len = Array.from({ length: nb }, () => [] as number[]);
  const ratio = Array.from({ length: nb }, () => [] as number[]);
  const palms: number[] = [];
  poses.forEach((p, s) => {
    if (p.length !== 21) throw new InputError(`pose ${s}`, `has ${p.length} joints, expected 21`);
    const palm = dist(p[0], p[MIDDLE_MCP]);
    palms.push(palm * 1000);
    for (let j = 1; j < 21; j++) {
      const l = dist(p[j], p[PARENTS21[j]]);
      len[j - 1].push(l * 1000);
      ratio[j - 1].push(l / palm);
    }
  });
  return {
    bones: Array.from({ length: nb }, (_, b) => `${JOINTS21[PARENTS21[b + 1]]}→${JOINTS21[b + 1]}`),
    meanLengthMm: len.map(mean),
    meanRatio: ratio.map(mean),
    stdRatio: ratio.map(std),
    palmMm: { mean: mean(palms), std: std(palms) },
    medianLengthMm: len.map(median),
    n: poses.length,
  };
}

export interface SkeletonOffset {
  /** Per bone: (candidate − reference) ÷ reference of the palm-normalised length, in %; negative = shorter in the candidate. */
  perBonePct: number[];
  meanAbsPct: number;
  /** The five largest |offsets|, signed as perBonePct. */
  largest: { bone: string; pct: number }[];
}

/**
 * Per-bone offset of the candidate's (e.g. synthetic) normalised bone lengths from the reference's (e.g.
 * real): (candidate − reference) ÷ reference in %, and the mean absolute offset.
 */
export function skeletonOffset(reference: SkeletonStats, candidate: SkeletonStats): SkeletonOffset {
  const pct = reference.meanRatio.map((r, i) => (100 * (candidate.meanRatio[i] - r)) / r);
  const order = pct.map((v, i) => i).sort((i, j) => Math.abs(pct[j]) - Math.abs(pct[i]));
  return { perBonePct: pct, meanAbsPct: mean(pct.map(Math.abs)), largest: order.slice(0, 5).map((i) => ({ bone: reference.bones[i], pct: pct[i] })) };
}

/** One signed offset in words: "thumb_3→thumb_4 −10.0% (shorter in synthetic than in real)". */
export function describeBoneOffset(o: { bone: string; pct: number }, names: { reference: string; candidate: string }, digits = 1): string {
  const sign = o.pct > 0 ? '+' : o.pct < 0 ? '−' : '';
  const words = o.pct === 0 ? 'equal' : `${o.pct < 0 ? 'shorter' : 'longer'} in ${names.candidate} than in ${names.reference}`;
  return `${o.bone} ${sign}${Math.abs(o.pct).toFixed(digits)}% (${words})`;
}

/**
 * Proportions compared like for like (reference = real first, candidate = synthetic second): per-bone ratio
 * of median lengths candidate ÷ reference, and the proportions-only PA-MPJPE floor: every reference pose rebuilt
 * with each bone scaled by its ratio (directions kept, down the kinematic tree), scored against itself with
 * FreiHAND's Procrustes alignment (global scale removed). It is the error a predictor that gets every
 * articulation right but draws the candidate's proportions scores on the reference. Mean over its poses, in mm.
 */
export function proportionsGap(reference: number[][][], candidate: SkeletonStats, referenceStats = skeletonStats(reference)): { boneRatio: number[]; floorMm: number; floorMedianMm: number } {
  const boneRatio = candidate.medianLengthMm.map((l, i) => l / referenceStats.medianLengthMm[i]);
  const errs = reference.map((p) => {
    const q: number[][] = p.map((x) => x.slice());
    for (let j = 1; j < 21; j++) {
      const par = PARENTS21[j];
      for (let k = 0; k < 3; k++) q[j][k] = q[par][k] + (p[j][k] - p[par][k]) * boneRatio[j - 1];
    }
    return 1000 * paMpjpe(Float64Array.from(p.flat()), Float64Array.from(q.flat()));
  });
  return { boneRatio, floorMm: mean(errs), floorMedianMm: median(errs) };
}

// ---------------------------------------------------------------------------------------------
// pose distribution

/** Distances in mm at a 90 mm palm; `candidate → reference`: each candidate pose to its nearest reference pose. */
export interface PoseDistanceStats {
  meanNearestCandidateToReferenceMm: number;
  medianNearestCandidateToReferenceMm: number;
  meanNearestReferenceToCandidateMm: number;
  /** fraction of candidate poses with a reference pose within each threshold: how well the reference covers the candidate */
  coverageOfCandidate: { thresholdMm: number; fraction: number }[];
  /** fraction of reference poses with a candidate pose within each threshold */
  coverageOfReference: { thresholdMm: number; fraction: number }[];
  /** spread of each set: mean PA distance to its nearest other member (mm) */
  spreadReferenceMm: number;
  spreadCandidateMm: number;
  nReference: number;
  nCandidate: number;
  /** candidate → nearest reference distances (mm), for histograms */
  nearestCandidateToReference: number[];
}

/** Scale-normalised pose: centred, divided by palm length, times a reference palm (mm), flat 63. */
function normalisedFlat(p: number[][], palmMm = 90): Float64Array {
  const palm = dist(p[0], p[MIDDLE_MCP]) || 1;
  const out = new Float64Array(63);
  const c = [0, 0, 0];
  for (const q of p) for (let k = 0; k < 3; k++) c[k] += q[k] / p.length;
  p.forEach((q, j) => { for (let k = 0; k < 3; k++) out[j * 3 + k] = ((q[k] - c[k]) / palm) * palmMm; });
  return out;
}

function paDistance(gt: Float64Array, pred: Float64Array): number {
  // reflections allowed: a left hand and the mirrored right hand have the same articulation
  const al = alignWithScale(gt, pred, 'allow');
  let s = 0;
  for (let j = 0; j < 21; j++) s += Math.hypot(gt[3 * j] - al[3 * j], gt[3 * j + 1] - al[3 * j + 1], gt[3 * j + 2] - al[3 * j + 2]);
  return s / 21;
}

/** Subsample to at most `max` items with a seeded choice (recorded by the caller). */
export function subsample<T>(items: T[], max: number, seed: number, key: string): T[] {
  if (items.length <= max) return items;
  return Rng.derive(seed, 'subsample', key).permutation(items.length).slice(0, max).sort((a, b) => a - b).map((i) => items[i]);
}

/**
 * Pose distribution distance between a reference set (e.g. real) and a candidate set (e.g. synthetic):
 * articulation only (every pose is normalised to a 90 mm palm and Procrustes-aligned to its neighbour
 * with reflections allowed, so global rotation, position, hand size and handedness do not count).
 * Distances in mm at that normalised size.
 */
export function poseDistance(reference: number[][][], candidate: number[][][], thresholdsMm = [5, 10, 20]): PoseDistanceStats {
  if (!reference.length || !candidate.length) throw new InputError('pose distance', `empty set (reference ${reference.length}, candidate ${candidate.length} poses)`);
  const R = reference.map((p) => normalisedFlat(p)), C = candidate.map((p) => normalisedFlat(p));
  const nearest = (from: Float64Array[], to: Float64Array[], self: boolean) => from.map((p, i) => {
    let best = Infinity;
    to.forEach((q, j) => { if (self && i === j) return; const d = paDistance(q, p); if (d < best) best = d; });
    return best;
  });
  const cToR = nearest(C, R, false), rToC = nearest(R, C, false);
  const cov = (d: number[]) => thresholdsMm.map((t) => ({ thresholdMm: t, fraction: d.filter((x) => x <= t).length / d.length }));
  const sorted = [...cToR].sort((x, y) => x - y);
  return {
    meanNearestCandidateToReferenceMm: mean(cToR), medianNearestCandidateToReferenceMm: sorted[Math.floor(sorted.length / 2)], meanNearestReferenceToCandidateMm: mean(rToC),
    coverageOfCandidate: cov(cToR), coverageOfReference: cov(rToC),
    spreadReferenceMm: R.length > 1 ? mean(nearest(R, R, true)) : NaN, spreadCandidateMm: C.length > 1 ? mean(nearest(C, C, true)) : NaN,
    nReference: reference.length, nCandidate: candidate.length, nearestCandidateToReference: cToR,
  };
}

// ---------------------------------------------------------------------------------------------

function dist(p: number[], q: number[]): number { return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]); }
function mean(v: number[]): number { return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN; }
function std(v: number[]): number { const m = mean(v); return v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1)) : NaN; }
