/**
 * The one scoring entry point (pure): every PA-MPJPE the project reports (`handgap eval`, training
 * validation, the experiment system's evaluate step, the walkthrough) comes from here, computed by the
 * official-equal FreiHAND evaluation (freihand-eval.ts). Given the training poses it also scores the
 * constant-pose baseline and the best-match oracle on the same test frames (baselines.ts), so a model's
 * number never stands alone. Inputs in metres; outputs in mm (labelled) plus the full FreiHAND report.
 */
import { evaluateFreihand, type FreihandEvalReport } from './freihand-eval.ts';
import type { ReflectionMode } from './procrustes.ts';
import { toPoints, type Points } from './points.ts';
import { bootstrapInterval95, bootstrapRatioInterval95, bestMatchPredictions, constantPosePredictions, paError, type Interval } from './baselines.ts';

/** One pose: 21×3 nested (as the JSON readers give it) or flat (metres). */
export type Pose = Points | ArrayLike<ArrayLike<number>>;

export interface ScoreInput {
  pred: Pose[];
  gt: Pose[];
  /** Training poses (same frame convention): adds the constant-pose baseline and the best-match oracle. */
  train?: Pose[];
  /** Meshes for FreiHAND's mesh errors and F-scores (optional; `handgap eval`). */
  predVerts?: Pose[];
  gtVerts?: Pose[];
  /** 'allow' = official FreiHAND alignment (default). */
  reflection?: ReflectionMode;
  /** Seed and replicates of the bootstrap interval over test frames (defaults 0 and 1000; 0 replicates: no interval). */
  seed?: number;
  replicates?: number;
  /** Progress of the main evaluation (frames done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Names for error messages (file or set). */
  where?: { pred?: string; gt?: string; train?: string };
}

export interface Score {
  n: number;
  /** Procrustes-aligned mean joint error (FreiHAND's "aligned" keypoint error), mm. */
  paMpjpeMm: number;
  /** Mean joint error after translating the root (wrist) onto the ground truth, mm. */
  mpjpeMm: number;
  /** Area under the PCK curve 0–50 mm of the aligned errors (FreiHAND's AUC). */
  paAuc50: number;
  /** Per-joint aligned mean error, mm (21 values). */
  perJointPaMm: number[];
  /** Per-frame aligned mean error, mm (for intervals and error-by-occlusion tables). */
  perFramePaMm: number[];
  /** 95% bootstrap interval of paMpjpeMm over test frames (null with replicates: 0). */
  paMpjpeInterval: Interval | null;
}

export interface ScoreReport extends Score {
  /** The whole official-equal report (metres and cm, PCK curves, mesh errors when given). */
  freihand: FreihandEvalReport;
  /** With `train`: the baselines on the same frames, and model ÷ constant-pose (below 1 = better than the mean pose). */
  constantPose?: Score;
  bestMatch?: Score & { trainIndex: number[] };
  /** model ÷ constant pose; paMpjpeInterval: paired bootstrap over the same test frames (null with replicates: 0) */
  ratioToConstantPose?: { paMpjpe: number; mpjpe: number; paMpjpeInterval: Interval | null };
}

const flat = (p: Pose, where: string): Points => toPoints(p as Float64Array, where);

function summary(report: FreihandEvalReport, gt: Points[], pred: Points[], reflection: ReflectionMode, seed: number, replicates: number): Score {
  const perFramePaMm = gt.map((g, i) => 1000 * paError(g, pred[i], reflection));
  return {
    n: report.n,
    paMpjpeMm: report.xyz_aligned.mean_mm,
    mpjpeMm: report.xyz_root_relative.mean_mm,
    paAuc50: report.xyz_aligned.auc,
    perJointPaMm: (report.xyz_aligned.per_keypoint_mean_m ?? []).map((v) => 1000 * v),
    perFramePaMm,
    paMpjpeInterval: replicates > 0 ? bootstrapInterval95(perFramePaMm, { seed, replicates }) : null,
  };
}

function scoreOnly(gt: Points[], pred: Points[], reflection: ReflectionMode, seed: number, replicates: number): Score {
  return summary(evaluateFreihand({ gtXyz: gt, predXyz: pred }, { reflection }), gt, pred, reflection, seed, replicates);
}

/** Score predictions against ground truth (and, with `train`, the two baselines on the same frames). */
export function scorePredictions(input: ScoreInput): ScoreReport {
  const reflection = input.reflection ?? 'allow', seed = input.seed ?? 0, replicates = input.replicates ?? 1000;
  const w = { pred: 'predictions', gt: 'ground truth', train: 'training poses', ...input.where };
  if (input.pred.length !== input.gt.length) throw new Error(`scorePredictions: ${input.gt.length} ground-truth frames (${w.gt}) but ${input.pred.length} predictions (${w.pred})`);
  if (input.gt.length === 0) throw new Error(`scorePredictions: no frames to score (${w.gt})`);
  const gt = input.gt.map((p, i) => flat(p, `${w.gt}[${i}]`));
  const pred = input.pred.map((p, i) => flat(p, `${w.pred}[${i}]`));
  const verts = input.gtVerts && input.predVerts
    ? { gtVerts: input.gtVerts.map((p, i) => flat(p, `${w.gt} verts[${i}]`)), predVerts: input.predVerts.map((p, i) => flat(p, `${w.pred} verts[${i}]`)) }
    : {};
  const freihand = evaluateFreihand({ gtXyz: gt, predXyz: pred, ...verts }, { reflection, onProgress: input.onProgress });
  const out: ScoreReport = { ...summary(freihand, gt, pred, reflection, seed, replicates), freihand };
  if (input.train) {
    const train = input.train.map((p, i) => flat(p, `${w.train}[${i}]`));
    out.constantPose = scoreOnly(gt, constantPosePredictions(train, gt), reflection, seed, replicates);
    const bm = bestMatchPredictions(train, gt, { reflection });
    out.bestMatch = { ...scoreOnly(gt, bm.predictions, reflection, seed, replicates), trainIndex: bm.trainIndex };
    out.ratioToConstantPose = {
      paMpjpe: out.paMpjpeMm / out.constantPose.paMpjpeMm, mpjpe: out.mpjpeMm / out.constantPose.mpjpeMm,
      paMpjpeInterval: replicates > 0 ? bootstrapRatioInterval95(out.perFramePaMm, out.constantPose.perFramePaMm, { seed, replicates }) : null,
    };
  }
  return out;
}

/** A score without its bulky parts (per-frame arrays, the official text outputs): for result files. */
export function scoreSummary(s: ScoreReport): Record<string, unknown> {
  const brief = (x: Score) => ({ n: x.n, paMpjpeMm: x.paMpjpeMm, mpjpeMm: x.mpjpeMm, paAuc50: x.paAuc50, perJointPaMm: x.perJointPaMm, paMpjpeInterval: x.paMpjpeInterval });
  return {
    ...brief(s),
    ...(s.constantPose ? { constantPose: brief(s.constantPose) } : {}),
    ...(s.bestMatch ? { bestMatch: brief(s.bestMatch) } : {}),
    ...(s.ratioToConstantPose ? { ratioToConstantPose: s.ratioToConstantPose } : {}),
  };
}
