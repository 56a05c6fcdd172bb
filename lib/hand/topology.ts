/**
 * Topology study (pure): how much two joint definitions differ on paired data, and a linear adapter
 * that maps one onto the other. Inputs are paired N×21×3 flat arrays in metres (pose i of A and
 * pose i of B are the same hand, labelled under definitions A and B).
 */
import { paMpjpe } from '../metrics/mpjpe.ts';
import { choleskySolve } from './math3.ts';
import { alignPoses } from './stats.ts';

export interface DefinitionOffset {
  /** 21×3 mean offset B − A per joint (metres) in the palm frame of A's pose (see stats.alignPoses). */
  meanOffset: number[][];
  /** 21 mean offset lengths (metres) and the per-joint spread (RMS distance around the mean offset). */
  meanOffsetNorm: number[];
  spread: number[];
  /** Mean PA-MPJPE (metres) between the paired definitions: the floor a perfect predictor of A scores when evaluated against B. */
  paMpjpeFloor: number;
  /** Mean MPJPE (metres) after root alignment (wrist to wrist). */
  mpjpeRootAligned: number;
}

/** Systematic per-joint offset between definitions A and B, and the PA-MPJPE floor it implies. */
export function definitionOffset(A: Float64Array, B: Float64Array): DefinitionOffset {
  if (A.length !== B.length || A.length % 63) throw new Error(`definitionOffset: paired sets differ in size (${A.length / 63} vs ${B.length / 63} poses)`);
  const n = A.length / 63;
  // express both in A's palm frame, with A's wrist as origin
  const { frames, origins } = palmFrames(A);
  const mean = new Float64Array(63), sq = new Float64Array(21);
  const local = new Float64Array(n * 63);
  let pa = 0, mp = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 63, F = frames.subarray(i * 9, i * 9 + 9), w = origins.subarray(i * 3, i * 3 + 3);
    for (let j = 0; j < 21; j++) {
      const d = [B[o + j * 3] - A[o + j * 3], B[o + j * 3 + 1] - A[o + j * 3 + 1], B[o + j * 3 + 2] - A[o + j * 3 + 2]];
      for (let r = 0; r < 3; r++) { const v = F[r * 3] * d[0] + F[r * 3 + 1] * d[1] + F[r * 3 + 2] * d[2]; local[o + j * 3 + r] = v; mean[j * 3 + r] += v / n; }
    }
    void w;
    pa += paMpjpe(A.subarray(o, o + 63), B.subarray(o, o + 63)) / n;
    let s = 0;
    for (let j = 0; j < 21; j++) {
      const dx = (B[o + j * 3] - B[o]) - (A[o + j * 3] - A[o]), dy = (B[o + j * 3 + 1] - B[o + 1]) - (A[o + j * 3 + 1] - A[o + 1]), dz = (B[o + j * 3 + 2] - B[o + 2]) - (A[o + j * 3 + 2] - A[o + 2]);
      s += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    mp += s / 21 / n;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < 21; j++) {
    let s = 0;
    for (let r = 0; r < 3; r++) s += (local[i * 63 + j * 3 + r] - mean[j * 3 + r]) ** 2;
    sq[j] += s / n;
  }
  return {
    meanOffset: Array.from({ length: 21 }, (_, j) => [mean[j * 3], mean[j * 3 + 1], mean[j * 3 + 2]]),
    meanOffsetNorm: Array.from({ length: 21 }, (_, j) => Math.hypot(mean[j * 3], mean[j * 3 + 1], mean[j * 3 + 2])),
    spread: Array.from(sq, Math.sqrt),
    paMpjpeFloor: pa,
    mpjpeRootAligned: mp,
  };
}

/** Per-pose palm frames (rows = x, y, z axes, as in stats.alignPoses) and wrist origins. */
function palmFrames(J: Float64Array): { frames: Float64Array; origins: Float64Array } {
  const n = J.length / 63;
  const frames = new Float64Array(n * 9), origins = new Float64Array(n * 3);
  // reuse alignPoses on a 3-point probe: its output rows give the frame; simpler to recompute here
  for (let i = 0; i < n; i++) {
    const o = i * 63;
    const P = (j: number) => [J[o + j * 3], J[o + j * 3 + 1], J[o + j * 3 + 2]];
    const w = P(0), m = P(9), a = P(5), l = P(17);
    const y = unit([m[0] - w[0], m[1] - w[1], m[2] - w[2]]);
    const u = [a[0] - w[0], a[1] - w[1], a[2] - w[2]], v = [l[0] - w[0], l[1] - w[1], l[2] - w[2]];
    let z = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const zy = z[0] * y[0] + z[1] * y[1] + z[2] * y[2];
    z = unit([z[0] - zy * y[0], z[1] - zy * y[1], z[2] - zy * y[2]]);
    const x = [y[1] * z[2] - y[2] * z[1], y[2] * z[0] - y[0] * z[2], y[0] * z[1] - y[1] * z[0]];
    frames.set([...x, ...y, ...z], i * 9);
    origins.set(w, i * 3);
  }
  return { frames, origins };
}
const unit = (v: number[]) => { const l = Math.hypot(v[0], v[1], v[2]) || 1; return [v[0] / l, v[1] / l, v[2] / l]; };

/**
 * Linear adapter from definition A to B: on aligned root-relative poses (stats.alignPoses, no
 * handedness flip), B_flat ≈ W · [A_flat; 1], W (63×64) by ridge regression (ridge λ, metres² scale).
 * Applied in the aligned frame and mapped back to the pose's own frame.
 */
export interface LinearAdapter { weights: Float64Array; /** 63×64 row-major */ ridge: number; trainCount: number }

export function fitLinearAdapter(A: Float64Array, B: Float64Array, opts: { ridge?: number } = {}): LinearAdapter {
  if (A.length !== B.length) throw new Error('fitLinearAdapter: paired sets differ in size');
  const n = A.length / 63, D = 64, lambda = opts.ridge ?? 1e-6;
  const { frames, origins } = palmFrames(A);
  const Xa = toLocal(A, frames, origins), Xb = toLocal(B, frames, origins);
  const XtX = new Float64Array(D * D), XtY = new Float64Array(D * 63);
  const x = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    x.set(Xa.subarray(i * 63, i * 63 + 63)); x[63] = 1;
    for (let a = 0; a < D; a++) {
      const xa = x[a];
      for (let b = a; b < D; b++) XtX[a * D + b] += xa * x[b];
      for (let k = 0; k < 63; k++) XtY[a * 63 + k] += xa * Xb[i * 63 + k];
    }
  }
  for (let a = 0; a < D; a++) { for (let b = 0; b < a; b++) XtX[a * D + b] = XtX[b * D + a]; if (a < 63) XtX[a * D + a] += lambda * n; }
  XtX[63 * D + 63] += 1e-12 * n;
  const W = new Float64Array(63 * D);
  for (let k = 0; k < 63; k++) {
    const col = choleskySolve(XtX, Float64Array.from({ length: D }, (_, a) => XtY[a * 63 + k]), D);
    if (!col) throw new Error('fitLinearAdapter: normal equations are singular (too few pairs?)');
    for (let a = 0; a < D; a++) W[k * D + a] = col[a];
  }
  return { weights: W, ridge: lambda, trainCount: n };
}

/** Apply the adapter: poses in definition A (N×63 flat) → predicted poses in definition B. */
export function applyLinearAdapter(ad: LinearAdapter, A: Float64Array): Float64Array {
  const n = A.length / 63, D = 64;
  const { frames, origins } = palmFrames(A);
  const Xa = toLocal(A, frames, origins);
  const out = new Float64Array(n * 63);
  for (let i = 0; i < n; i++) {
    const y = new Float64Array(63);
    for (let k = 0; k < 63; k++) {
      let s = ad.weights[k * D + 63];
      for (let a = 0; a < 63; a++) s += ad.weights[k * D + a] * Xa[i * 63 + a];
      y[k] = s;
    }
    const F = frames.subarray(i * 9, i * 9 + 9), w = origins.subarray(i * 3, i * 3 + 3);
    for (let j = 0; j < 21; j++) for (let c = 0; c < 3; c++) out[i * 63 + j * 3 + c] = w[c] + F[c] * y[j * 3] + F[3 + c] * y[j * 3 + 1] + F[6 + c] * y[j * 3 + 2];
  }
  return out;
}

function toLocal(J: Float64Array, frames: Float64Array, origins: Float64Array): Float64Array {
  const n = J.length / 63, out = new Float64Array(n * 63);
  for (let i = 0; i < n; i++) {
    const F = frames.subarray(i * 9, i * 9 + 9), w = origins.subarray(i * 3, i * 3 + 3);
    for (let j = 0; j < 21; j++) {
      const d = [J[i * 63 + j * 3] - w[0], J[i * 63 + j * 3 + 1] - w[1], J[i * 63 + j * 3 + 2] - w[2]];
      for (let r = 0; r < 3; r++) out[i * 63 + j * 3 + r] = F[r * 3] * d[0] + F[r * 3 + 1] * d[1] + F[r * 3 + 2] * d[2];
    }
  }
  return out;
}

/** Mean per-joint error (metres) and mean PA-MPJPE (metres) between paired sets. */
export function pairedErrors(A: Float64Array, B: Float64Array): { mpjpe: number; paMpjpe: number } {
  const n = A.length / 63;
  let mp = 0, pa = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 63;
    let s = 0;
    for (let j = 0; j < 21; j++) s += Math.hypot(A[o + j * 3] - B[o + j * 3], A[o + j * 3 + 1] - B[o + j * 3 + 1], A[o + j * 3 + 2] - B[o + j * 3 + 2]);
    mp += s / 21 / n;
    pa += paMpjpe(A.subarray(o, o + 63), B.subarray(o, o + 63)) / n;
  }
  return { mpjpe: mp, paMpjpe: pa };
}

export { alignPoses };
