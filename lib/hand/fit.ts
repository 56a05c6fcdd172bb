/**
 * Pose fitting (pure): given 3D joints from any skeleton (metres; 21 canonical or 25), find the
 * global placement, joint angles (within limits) and shape parameters of the hand model that
 * reproduce them, by Levenberg–Marquardt on the joint residuals with a weak prior on the shape.
 * The model is a RIGHT hand: mirror left hands (negate x) before fitting — see `mirrorX`.
 */
import { N_DOF, DOF_MIN, DOF_MAX, DOFS, fkInto, copyBoneRotations, type HandShape, type HandPose } from './model.ts';
import { N_SHAPE, applyShapeParams, SCALED_BONE_ENDS, PALM_JOINTS } from './shape-params.ts';
import { MAP_25_TO_21, PARENTS25 } from './skeleton.ts';
import { assertFinite, InputError } from '../util/errors.ts';
import { choleskySolve, matMul, matrixRotvec, rotvecMatrix, type Vec3 } from './math3.ts';
import { fitSimilarity } from '../metrics/procrustes.ts';

export interface FitOptions {
  /** Fit shape parameters too (default true). With false, only placement and angles. */
  fitShape?: boolean;
  /** LM iterations (default 50). */
  maxIter?: number;
  /** Prior strengths, in metres of residual per unit: bone log-length (default 0.005 per 1.0), palm displacement (default 0.1 per metre), angles (default 0.0005 per radian). */
  prior?: { logLength?: number; palm?: number; angle?: number };
  /** Jacobian: 'analytic' (default; exact, from the bone rotations) or 'numeric' (forward differences). */
  jacobian?: 'analytic' | 'numeric';
  /** Number of extra restarts from other finger initialisations when the fit error is high (default 1). */
  restarts?: number;
}

export interface FitResult {
  pose: HandPose & { global: { rotation: Vec3; translation: Vec3 } };
  /** N_SHAPE shape parameters (see shape-params.ts). */
  shapeParams: Float64Array;
  /** Fitted shape (base deformed by shapeParams). */
  shape: HandShape;
  /** Fitted joints in the input's skeleton (J×3 flat, metres). */
  joints: Float64Array;
  /** Per-joint Euclidean error (J, metres). */
  jointErrors: Float64Array;
  meanError: number;
  iterations: number;
}

/** Mirror a flat J×3 joint array across the x = 0 plane (left ↔ right hand). */
export function mirrorX(joints: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(joints);
  for (let i = 0; i < out.length; i += 3) out[i] = -out[i];
  return out;
}

const NDOF = N_DOF, LO = Float64Array.from(DOF_MIN), HI = Float64Array.from(DOF_MAX);
const PAR = Int32Array.from(PARENTS25);
/** ANC[k·25 + j] = 1 when joint j is joint k or one of its ancestors. */
const ANC = new Uint8Array(625);
for (let k = 0; k < 25; k++) for (let j = k; j >= 0; j = PAR[j]) ANC[k * 25 + j] = 1;
const DOF_JOINT = Int32Array.from(DOFS, (d) => d.joint);
const DOF_KIND = Int32Array.from(DOFS, (d) => (d.kind === 'abd' ? 0 : d.kind === 'flex' ? 1 : 2));
const ABD_OF_JOINT = Int32Array.from({ length: 25 }, (_, j) => DOFS.findIndex((d) => d.joint === j && d.kind === 'abd'));
const BONE_ENDS = Int32Array.from(SCALED_BONE_ENDS), PALM = Int32Array.from(PALM_JOINTS);

// palm joints used for the initial rigid alignment: wrist, index/middle/ring/little MCP (25-joint ids)
const PALM25 = [0, 6, 11, 16, 21];

/**
 * Fit the hand model to `target` (flat J×3, metres), J = 21 (canonical order) or 25 (JOINTS25).
 */
export function fitPose(base: HandShape, target: ArrayLike<number>, opts: FitOptions = {}): FitResult {
  return fitPoseImpl(base, target, opts).result;
}

/** Test hook: the residual Jacobian at the initial guess, analytic and numeric (nRes×P each). */
export function _jacobiansAtStart(base: HandShape, target: ArrayLike<number>, x0: ArrayLike<number> | null, opts: FitOptions = {}): { analytic: Float64Array; numeric: Float64Array } {
  return fitPoseImpl(base, target, { ...opts, maxIter: 0 }, x0).jacobians!();
}

function fitPoseImpl(base: HandShape, target: ArrayLike<number>, opts: FitOptions, x0?: ArrayLike<number> | null): { result: FitResult; jacobians?: () => { analytic: Float64Array; numeric: Float64Array } } {
  const N_DOF = NDOF, DOF_MIN = LO, DOF_MAX = HI; // local copies (imported bindings are getters under tsx)
  const J = target.length / 3;
  if (J !== 21 && J !== 25) throw new InputError('fitPose target', `expected 21 or 25 joints (63 or 75 numbers), got ${target.length} numbers`);
  const sel = J === 21 ? MAP_25_TO_21 : Array.from({ length: 25 }, (_, i) => i);
  const fitShape = opts.fitShape ?? true;
  const pLen = opts.prior?.logLength ?? 0.005, pPalm = opts.prior?.palm ?? 0.1, pAng = opts.prior?.angle ?? 0.0005;

  // parameter vector: [δrot 3, trans 3, angles N_DOF, shape N_SHAPE]
  const nShape = fitShape ? N_SHAPE : 0;
  const P = 6 + N_DOF + nShape;
  const nRes = J * 3 + N_DOF + nShape;
  const shapeBuf: HandShape = { rest: new Float64Array(75), axes: base.axes, dorsal: base.dorsal };
  const fk = new Float64Array(75);
  const Rtmp = new Float64Array(9), Rfull = new Float64Array(9);

  // initial placement from the palm points (similarity: the scale becomes the global shape scale)
  const src: number[] = [], dst: number[] = [];
  for (const j of PALM25) {
    const k = sel.indexOf(j);
    src.push(base.rest[j * 3] - base.rest[0], base.rest[j * 3 + 1] - base.rest[1], base.rest[j * 3 + 2] - base.rest[2]);
    dst.push(target[k * 3], target[k * 3 + 1], target[k * 3 + 2]);
  }
  const init = fitSimilarity(src, dst, { withScale: true });
  const w0 = sel.indexOf(0);

  // reuseShape: the shape parameters did not change since the last call (Jacobian columns of pose parameters)
  const residuals = (x: Float64Array, R0: Float64Array, out: Float64Array, reuseShape = false) => {
    const shape = fitShape ? (reuseShape ? shapeBuf : applyShapeParams(base, x.subarray(6 + N_DOF), shapeBuf)) : base;
    matMul(rotvecMatrix(x.subarray(0, 3), Rtmp), R0, Rfull);
    fkInto(shape, x.subarray(6, 6 + N_DOF), Rfull, x.subarray(3, 6), fk, false);
    for (let i = 0; i < J; i++) { const k = sel[i]; for (let c = 0; c < 3; c++) out[i * 3 + c] = fk[k * 3 + c] - target[i * 3 + c]; }
    let r = J * 3;
    for (let i = 0; i < N_DOF; i++) out[r++] = pAng * x[6 + i];
    if (fitShape) {
      out[r++] = 0; // global scale: free
      for (let i = 1; i < 16; i++) out[r++] = pLen * x[6 + N_DOF + i];
      for (let i = 16; i < N_SHAPE; i++) out[r++] = pPalm * x[6 + N_DOF + i];
    }
    return out;
  };

  const rot = new Float64Array(225);
  // Exact Jacobian of the residuals at x (call right after residuals(x, ...) so fk/rotations are current)
  const analyticJacobian = (x: Float64Array, Jm: Float64Array) => {
    copyBoneRotations(rot);
    Jm.fill(0);
    const ax = base.axes;
    const tx = fk[0], ty = fk[1], tz = fk[2];
    for (let i = 0; i < J; i++) {
      const k = sel[i], r0 = (i * 3) * P, r1 = r0 + P, r2 = r1 + P;
      const vx = fk[k * 3] - tx, vy = fk[k * 3 + 1] - ty, vz = fk[k * 3 + 2] - tz;
      // global rotation increment (left-multiplied): e_c × (p − t)
      Jm[r1 + 0] = -vz; Jm[r2 + 0] = vy;
      Jm[r0 + 1] = vz; Jm[r2 + 1] = -vx;
      Jm[r0 + 2] = -vy; Jm[r1 + 2] = vx;
      Jm[r0 + 3] = 1; Jm[r1 + 4] = 1; Jm[r2 + 5] = 1;
      for (let d = 0; d < N_DOF; d++) {
        const j = DOF_JOINT[d];
        if (j === k || !ANC[k * 25 + j]) continue;
        const p = PAR[j], Ap = p * 9, kind = DOF_KIND[d];
        let w0: number, w1: number, w2: number;
        if (kind === 0) { // abduction: A[p]·n
          const n0 = ax[j * 9 + 3], n1 = ax[j * 9 + 4], n2 = ax[j * 9 + 5];
          w0 = rot[Ap] * n0 + rot[Ap + 1] * n1 + rot[Ap + 2] * n2; w1 = rot[Ap + 3] * n0 + rot[Ap + 4] * n1 + rot[Ap + 5] * n2; w2 = rot[Ap + 6] * n0 + rot[Ap + 7] * n1 + rot[Ap + 8] * n2;
        } else if (kind === 1) { // flexion: A[p]·Rot(n, abd)·f
          let f0 = ax[j * 9 + 6], f1 = ax[j * 9 + 7], f2 = ax[j * 9 + 8];
          const ai = ABD_OF_JOINT[j];
          if (ai >= 0) {
            const n0 = ax[j * 9 + 3], n1 = ax[j * 9 + 4], n2 = ax[j * 9 + 5], th = x[6 + ai];
            const c = Math.cos(th), s = Math.sin(th), dt = (n0 * f0 + n1 * f1 + n2 * f2) * (1 - c);
            const cx = n1 * f2 - n2 * f1, cy = n2 * f0 - n0 * f2, cz = n0 * f1 - n1 * f0;
            f0 = f0 * c + cx * s + n0 * dt; f1 = f1 * c + cy * s + n1 * dt; f2 = f2 * c + cz * s + n2 * dt;
          }
          w0 = rot[Ap] * f0 + rot[Ap + 1] * f1 + rot[Ap + 2] * f2; w1 = rot[Ap + 3] * f0 + rot[Ap + 4] * f1 + rot[Ap + 5] * f2; w2 = rot[Ap + 6] * f0 + rot[Ap + 7] * f1 + rot[Ap + 8] * f2;
        } else { // twist: A[j]·b
          const Aj = j * 9, b0 = ax[j * 9], b1 = ax[j * 9 + 1], b2 = ax[j * 9 + 2];
          w0 = rot[Aj] * b0 + rot[Aj + 1] * b1 + rot[Aj + 2] * b2; w1 = rot[Aj + 3] * b0 + rot[Aj + 4] * b1 + rot[Aj + 5] * b2; w2 = rot[Aj + 6] * b0 + rot[Aj + 7] * b1 + rot[Aj + 8] * b2;
        }
        const dx = fk[k * 3] - fk[j * 3], dy = fk[k * 3 + 1] - fk[j * 3 + 1], dz = fk[k * 3 + 2] - fk[j * 3 + 2];
        const col = 6 + d;
        Jm[r0 + col] = w1 * dz - w2 * dy; Jm[r1 + col] = w2 * dx - w0 * dz; Jm[r2 + col] = w0 * dy - w1 * dx;
      }
      if (!fitShape) continue;
      const sc = 6 + N_DOF;
      Jm[r0 + sc] = vx; Jm[r1 + sc] = vy; Jm[r2 + sc] = vz; // log global scale
      for (let m = 0; m < 15; m++) {
        const e = BONE_ENDS[m];
        if (!ANC[k * 25 + e]) continue;
        const pe = PAR[e];
        Jm[r0 + sc + 1 + m] = fk[e * 3] - fk[pe * 3]; Jm[r1 + sc + 1 + m] = fk[e * 3 + 1] - fk[pe * 3 + 1]; Jm[r2 + sc + 1 + m] = fk[e * 3 + 2] - fk[pe * 3 + 2];
      }
      const s = Math.exp(x[sc]);
      for (let q = 0; q < 5; q++) {
        const j = PALM[q];
        if (!ANC[k * 25 + j]) continue;
        const Ap = PAR[j] * 9;
        for (let c = 0; c < 3; c++) {
          const col = sc + 16 + q * 3 + c;
          Jm[r0 + col] = s * rot[Ap + c]; Jm[r1 + col] = s * rot[Ap + 3 + c]; Jm[r2 + col] = s * rot[Ap + 6 + c];
        }
      }
    }
    let row = J * 3;
    for (let d = 0; d < N_DOF; d++) Jm[(row++) * P + 6 + d] = pAng;
    if (fitShape) {
      row++; // global scale: no prior
      for (let m = 1; m < 16; m++) Jm[(row++) * P + 6 + N_DOF + m] = pLen;
      for (let m = 16; m < N_SHAPE; m++) Jm[(row++) * P + 6 + N_DOF + m] = pPalm;
    }
  };
  const numeric = opts.jacobian === 'numeric';

  const solve = (x: Float64Array, R0: Float64Array, maxIter: number) => {
    const r = new Float64Array(nRes), r2 = new Float64Array(nRes), Jm = new Float64Array(nRes * P);
    const JtJ = new Float64Array(P * P), Jtr = new Float64Array(P), xn = new Float64Array(P), nz = new Int32Array(P);
    const Aug = new Float64Array(P * P);
    let cost = sumSq(residuals(x, R0, r));
    let mu = 1e-3, it = 0, stall = 0;
    for (; it < maxIter; it++) {
      // forward-difference Jacobian
      if (numeric) {
        residuals(x, R0, r2); // leaves shapeBuf at x's shape
        for (let p = 0; p < P; p++) {
          const h = 1e-6, old = x[p];
          x[p] = old + h;
          residuals(x, R0, r2, p < 6 + N_DOF);
          x[p] = old;
          for (let i = 0; i < nRes; i++) Jm[i * P + p] = (r2[i] - r[i]) / h;
        }
      } else {
        residuals(x, R0, r);
        analyticJacobian(x, Jm);
      }
      JtJ.fill(0); Jtr.fill(0);
      for (let i = 0; i < nRes; i++) {
        // rows are sparse (a joint depends on its chain only): gather the non-zero columns first
        const row = i * P, ri = r[i];
        let nnz = 0;
        for (let a = 0; a < P; a++) if (Jm[row + a] !== 0) nz[nnz++] = a;
        for (let u = 0; u < nnz; u++) {
          const a = nz[u], ja = Jm[row + a];
          Jtr[a] += ja * ri;
          for (let v = u; v < nnz; v++) JtJ[a * P + nz[v]] += ja * Jm[row + nz[v]];
        }
      }
      for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) JtJ[a * P + b] = JtJ[b * P + a];
      let improved = false;
      for (let tries = 0; tries < 10; tries++) {
        Aug.set(JtJ);
        for (let a = 0; a < P; a++) Aug[a * P + a] += mu * (JtJ[a * P + a] + 1e-9);
        const step = choleskySolve(Aug, Jtr, P);
        if (!step) { mu *= 10; continue; }
        for (let a = 0; a < P; a++) xn[a] = x[a] - step[a];
        for (let k = 0; k < N_DOF; k++) xn[6 + k] = Math.min(DOF_MAX[k], Math.max(DOF_MIN[k], xn[6 + k]));
        const c2 = sumSq(residuals(xn, R0, r2));
        if (c2 < cost) {
          const rel = (cost - c2) / cost;
          x.set(xn); cost = c2; mu = Math.max(mu / 3, 1e-9); improved = true;
          // fold the rotation increment into R0
          R0.set(matMul(rotvecMatrix(x.subarray(0, 3), Rtmp), R0, Rfull)); x[0] = x[1] = x[2] = 0;
          residuals(x, R0, r);
          if (rel < 1e-4) stall++; else stall = 0;
          if (stall >= 2) it = maxIter;
          break;
        }
        mu *= 10;
      }
      if (!improved) break;
    }
    return { cost, it };
  };

  const start = (fingerFlex: number) => {
    const x = new Float64Array(P);
    x.set([target[w0 * 3], target[w0 * 3 + 1], target[w0 * 3 + 2]], 3);
    if (fitShape) x[6 + N_DOF] = Math.log(Math.max(0.5, Math.min(2, init.s)));
    for (let k = 0; k < N_DOF; k++) if (fingerFlex !== 0) x[6 + k] = Math.min(DOF_MAX[k], Math.max(DOF_MIN[k], fingerFlex * (k % 2 === 0 ? 1 : 0)));
    return x;
  };

  const maxIter = opts.maxIter ?? 50;
  let best: { x: Float64Array; R0: Float64Array; cost: number; it: number } | null = null;
  const inits = [0, 0.8, -0.2].slice(0, 1 + Math.max(0, opts.restarts ?? 1) + 0);
  for (let s = 0; s < inits.length; s++) {
    const x = start(inits[s]);
    const R0 = Float64Array.from(init.R);
    const { cost, it } = solve(x, R0, maxIter);
    if (!best || cost < best.cost) best = { x, R0, cost, it };
    // stop restarting once the mean joint error is small (< 3 mm)
    const e = jointErrors(best);
    if (mean(e) < 0.003) break;
  }

  function jointErrors(b: { x: Float64Array; R0: Float64Array }): Float64Array {
    const r = residuals(b.x, b.R0, new Float64Array(nRes));
    return Float64Array.from({ length: J }, (_, i) => Math.hypot(r[i * 3], r[i * 3 + 1], r[i * 3 + 2]));
  }
  const b = best!;
  const errs = jointErrors(b);
  const shapeParams = fitShape ? Float64Array.from(b.x.subarray(6 + N_DOF)) : new Float64Array(N_SHAPE);
  const shape = applyShapeParams(base, shapeParams);
  const R = matMul(rotvecMatrix(b.x.subarray(0, 3)), b.R0);
  const global = { rotation: matrixRotvec(R), translation: [b.x[3], b.x[4], b.x[5]] as Vec3 };
  const angles = Float64Array.from(b.x.subarray(6, 6 + N_DOF));
  const out = fkInto(shape, angles, R, global.translation, new Float64Array(75));
  const joints = new Float64Array(J * 3);
  sel.forEach((k, i) => { for (let c = 0; c < 3; c++) joints[i * 3 + c] = out[k * 3 + c]; });
  const result: FitResult = { pose: { angles, global }, shapeParams, shape, joints, jointErrors: errs, meanError: mean(errs), iterations: b.it };
  const jacobians = () => {
    const x = x0 ? Float64Array.from(x0) : start(0);
    const R0 = Float64Array.from(init.R);
    const r = new Float64Array(nRes), r2 = new Float64Array(nRes);
    const an = new Float64Array(nRes * P), nu = new Float64Array(nRes * P);
    residuals(x, R0, r);
    analyticJacobian(x, an);
    residuals(x, R0, r);
    for (let p = 0; p < P; p++) {
      const h = 1e-7, old = x[p];
      x[p] = old + h; residuals(x, R0, r2);
      x[p] = old - h; const r3 = Float64Array.from(residuals(x, R0, new Float64Array(nRes)));
      x[p] = old;
      for (let i = 0; i < nRes; i++) nu[i * P + p] = (r2[i] - r3[i]) / (2 * h);
    }
    return { analytic: an, numeric: nu };
  };
  return { result, jacobians };
}

function sumSq(a: Float64Array): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * a[i]; return s; }
function mean(a: ArrayLike<number>): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s / a.length; }

export interface SetFit {
  /** N×N_DOF fitted angles (radians). */
  angles: Float64Array;
  /** N×3 rotation vectors and N×3 translations (metres) of the fitted (mirrored, for left hands) poses. */
  rotations: Float64Array;
  translations: Float64Array;
  /** N×N_SHAPE shape parameters. */
  shapeParams: Float64Array;
  /** N×J per-joint errors (metres). */
  jointErrors: Float64Array;
  /** Whether pose i was mirrored (left hand) before fitting. */
  mirrored: boolean[];
}

/**
 * Fit every pose of a set (N×J×3 flat, metres). Left hands are mirrored (x → −x) first and the
 * result says so. `onPose` is called after each pose (for progress).
 */
export function fitPoseSet(base: HandShape, joints: Float64Array, handedness: readonly ('left' | 'right')[], opts: FitOptions & { joints?: 21 | 25; onPose?: (i: number, r: FitResult) => void } = {}): SetFit {
  const J = opts.joints ?? 21, n = joints.length / (J * 3);
  const out: SetFit = {
    angles: new Float64Array(n * N_DOF), rotations: new Float64Array(n * 3), translations: new Float64Array(n * 3),
    shapeParams: new Float64Array(n * N_SHAPE), jointErrors: new Float64Array(n * J), mirrored: [],
  };
  for (let i = 0; i < n; i++) {
    const left = handedness[i] === 'left';
    const tgt = joints.subarray(i * J * 3, (i + 1) * J * 3);
    assertFinite(tgt, `pose ${i}`);
    const r = fitPose(base, left ? mirrorX(tgt) : tgt, opts);
    out.angles.set(r.pose.angles as Float64Array, i * N_DOF);
    out.rotations.set(r.pose.global.rotation, i * 3);
    out.translations.set(r.pose.global.translation, i * 3);
    out.shapeParams.set(r.shapeParams, i * N_SHAPE);
    out.jointErrors.set(r.jointErrors, i * J);
    out.mirrored.push(left);
    opts.onPose?.(i, r);
  }
  return out;
}

/** Quantiles of a sample (sorted copy). */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  return qs.map((q) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]);
}
