/**
 * Fit the renderer's rig to real labels (pure math), so that the labels the renderer derives from the
 * posed mesh (lib/hand/real-joints.ts) land on the real ones: the same poses, in the same camera frame,
 * rendered again (a "fitted real set").
 *
 * The model fit (lib/hand/fit.ts: placement, angles within limits, per-pose shape) matches the rig's own
 * joints to a target; the surface labels differ from the rig joints by a pose-dependent offset. A fixed-point
 * iteration removes it: target' ← target' + (real − labels(rig(target'))), refit, keep the best. The global
 * orientation and position come out of the fit itself (the labels are in the camera frame), so the K of the
 * real frame applies unchanged.
 */
import { fitPose, mirrorX, type FitOptions } from './fit.ts';
import { fkInto, type HandShape } from './model.ts';
import { rotvecMatrix } from './math3.ts';
import { poseRig, skinMesh } from './skinning.ts';
import { labelsFromVertices, buildLabelDefinition, type LabelDefinition } from './real-joints.ts';
import type { SkinnedMesh } from './gltf.ts';

/** Damping of the fixed-point step (a full step overshoots where neighbouring labels share skin). */
const STEP = 0.5;

export interface RealFitContext { base: HandShape; mesh: SkinnedMesh; def: LabelDefinition }

export function realFitContext(base: HandShape, mesh: SkinnedMesh): RealFitContext {
  return { base, mesh, def: buildLabelDefinition(mesh, base.rest) };
}

export interface RealFit {
  /** 25×3 flat rig targets (metres, the target's frame): what a render spec's joints25 takes */
  joints25: Float64Array;
  /** the 21 labels the renderer derives from the rig posed to joints25 */
  labels: Float64Array;
  /** per-joint distance labels ↔ target (metres) */
  jointErrors: Float64Array;
  /** mean of jointErrors (metres) */
  meanError: number;
  iterations: number;
}

/** Rig targets (25×3) whose surface labels reproduce `target21` (21×3 flat, metres, a RIGHT hand). */
export function fitRealLabels(ctx: RealFitContext, target21: ArrayLike<number>, opts: FitOptions & { iterations?: number } = {}): RealFit {
  const iterations = opts.iterations ?? 12;
  const shifted = Float64Array.from(target21);
  const j25 = new Float64Array(75), labels = new Float64Array(63);
  let best: RealFit | null = null;
  for (let it = 0; it <= iterations; it++) {
    const r = fitPose(ctx.base, shifted, opts);
    fkInto(r.shape, r.pose.angles, rotvecMatrix(r.pose.global.rotation), r.pose.global.translation, j25);
    labelsFromVertices(ctx.def, skinMesh(ctx.mesh, poseRig(ctx.base.rest, j25)), labels);
    const errs = new Float64Array(21);
    let sum = 0;
    for (let j = 0; j < 21; j++) {
      errs[j] = Math.hypot(target21[j * 3] - labels[j * 3], target21[j * 3 + 1] - labels[j * 3 + 1], target21[j * 3 + 2] - labels[j * 3 + 2]);
      sum += errs[j];
    }
    if (!best || sum / 21 < best.meanError) best = { joints25: Float64Array.from(j25), labels: Float64Array.from(labels), jointErrors: errs, meanError: sum / 21, iterations: it };
    for (let k = 0; k < 63; k++) shifted[k] += STEP * (target21[k] - labels[k]);
  }
  return best!;
}

/**
 * Fit a left or right hand: left hands are mirrored (x → −x, the camera frame's horizontal axis) before the
 * fit, so the returned joints25 drive the right-hand rig in the mirrored camera frame; the renderer mirrors
 * the image back (see lib/synth/spec.ts, `mirrored`).
 */
export function fitRealHand(ctx: RealFitContext, target21: ArrayLike<number>, left: boolean, opts: FitOptions & { iterations?: number } = {}): RealFit & { mirrored: boolean } {
  return { ...fitRealLabels(ctx, left ? mirrorX(target21) : target21, opts), mirrored: left };
}
