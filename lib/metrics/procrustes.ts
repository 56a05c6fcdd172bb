/**
 * Similarity Procrustes alignment exactly as FreiHAND's official `align_w_scale` computes it
 * (lmb-freiburg/freihand eval.py): centre both sets, divide each by its Frobenius norm + 1e-8,
 * R, s = scipy.linalg.orthogonal_procrustes(gt_n, pred_n) (det(R) = -1 allowed), then
 * aligned = (pred_n @ R.T) * s * s1 + mean(gt). Pure.
 */
import { svd3, det3 } from './svd3.ts';
import type { Points } from './points.ts';

/** 'allow': the official behaviour (reflections allowed). 'proper': det(R) = +1 forced (Umeyama/Kabsch). */
export type ReflectionMode = 'allow' | 'proper';

export interface SimilarityTrafo {
  /** 3×3 orthogonal matrix, row-major; aligned = (pred - mean(pred)) / s2 @ R.T * s * s1 + mean(gt). */
  R: Float64Array;
  detR: number;
  /** Procrustes scale: sum of singular values of the normalised cross-covariance (signed last one in 'proper'). */
  s: number;
  /** ||gt - mean(gt)||_F + 1e-8 (metres). */
  s1: number;
  /** ||pred - mean(pred)||_F + 1e-8 (metres). */
  s2: number;
  /** mean(gt) - mean(pred) (metres), as the official return_trafo gives it. */
  t1MinusT2: [number, number, number];
  /** mean(gt), mean(pred). */
  t1: [number, number, number];
  t2: [number, number, number];
}

const EPS = 1e-8;

function centroid(p: Points): [number, number, number] {
  const n = p.length / 3;
  let x = 0, y = 0, z = 0;
  for (let i = 0; i < p.length; i += 3) { x += p[i]; y += p[i + 1]; z += p[i + 2]; }
  return [x / n, y / n, z / n];
}

function centredNormalised(p: Points, c: [number, number, number]): { q: Float64Array; norm: number } {
  const q = new Float64Array(p.length);
  let ss = 0;
  for (let i = 0; i < p.length; i += 3) {
    const x = p[i] - c[0], y = p[i + 1] - c[1], z = p[i + 2] - c[2];
    q[i] = x; q[i + 1] = y; q[i + 2] = z;
    ss += x * x + y * y + z * z;
  }
  const norm = Math.sqrt(ss) + EPS;
  for (let i = 0; i < q.length; i++) q[i] /= norm;
  return { q, norm };
}

/**
 * The orthogonal R maximising tr(Rᵀ·M) for a 3×3 cross-covariance M = Σ a·bᵀ (a: target, b: source), so that
 * R·b ≈ a (scipy.linalg.orthogonal_procrustes), and the sum of the singular values (the last one negated when
 * `proper` had to flip a reflection). The one Procrustes solver of the project.
 */
function rotationFromCrossCovariance(M: Float64Array, reflection: ReflectionMode): { R: Float64Array; detR: number; s: number } {
  const { U, S, V } = svd3(M);
  let s = S[0] + S[1] + S[2];
  const R = new Float64Array(9);
  const fill = (sign2: number) => {
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
      R[3 * r + c] = U[3 * r] * V[3 * c] + U[3 * r + 1] * V[3 * c + 1] + sign2 * U[3 * r + 2] * V[3 * c + 2];
    }
  };
  fill(1);
  if (S[0] === 0) R.set([1, 0, 0, 0, 1, 0, 0, 0, 1]); // zero prediction: R is arbitrary, LAPACK gives I
  let detR = det3(R);
  if (reflection === 'proper' && detR < 0) {
    fill(-1);
    s = S[0] + S[1] - S[2];
    detR = det3(R);
  }
  return { R, detR, s };
}

/** The transform that aligns `pred` to `gt` (both n×3, same n). */
export function similarityTrafo(gt: Points, pred: Points, reflection: ReflectionMode = 'allow'): SimilarityTrafo & { predNormalised: Float64Array } {
  if (gt.length !== pred.length) throw new Error(`similarityTrafo: gt has ${gt.length / 3} points, pred has ${pred.length / 3}`);
  const t1 = centroid(gt), t2 = centroid(pred);
  const { q: A, norm: s1 } = centredNormalised(gt, t1);
  const { q: B, norm: s2 } = centredNormalised(pred, t2);
  // M = A^T B; orthogonal_procrustes: U, w, Vt = svd(M); R = U Vt; s = sum(w)
  const M = new Float64Array(9);
  for (let i = 0; i < A.length; i += 3) {
    for (let r = 0; r < 3; r++) {
      const a = A[i + r];
      M[3 * r] += a * B[i]; M[3 * r + 1] += a * B[i + 1]; M[3 * r + 2] += a * B[i + 2];
    }
  }
  const { R, detR, s } = rotationFromCrossCovariance(M, reflection);
  return { R, detR, s, s1, s2, t1, t2, t1MinusT2: [t1[0] - t2[0], t1[1] - t2[1], t1[2] - t2[2]], predNormalised: B };
}

/** FreiHAND's align_w_scale(gt, pred): pred aligned to gt (n×3, metres). */
export function alignWithScale(gt: Points, pred: Points, reflection: ReflectionMode = 'allow'): Points {
  const t = similarityTrafo(gt, pred, reflection);
  return applyNormalised(t.predNormalised, t);
}

function applyNormalised(B: Float64Array, t: SimilarityTrafo): Points {
  const { R, s, s1, t1 } = t;
  const out = new Float64Array(B.length);
  for (let i = 0; i < B.length; i += 3) {
    const x = B[i], y = B[i + 1], z = B[i + 2];
    for (let c = 0; c < 3; c++) {
      const v = x * R[3 * c] + y * R[3 * c + 1] + z * R[3 * c + 2]; // (B @ R.T)[i, c]
      out[i + c] = ((v * s) * s1) + t1[c];
    }
  }
  return out;
}

/** Apply a transform found on one point set to another (FreiHAND's align_by_trafo, for non-MANO meshes). */
export function applyTrafo(points: Points, t: SimilarityTrafo): Points {
  const B = new Float64Array(points.length);
  for (let i = 0; i < points.length; i += 3) for (let c = 0; c < 3; c++) B[i + c] = (points[i + c] - t.t2[c]) / t.s2;
  return applyNormalised(B, t);
}

/** Align by translating the root joint (index `root`) onto the ground-truth root (root-relative error). */
export function alignRoot(gt: Points, pred: Points, root = 0): Points {
  const out = new Float64Array(pred.length);
  const d = [gt[3 * root] - pred[3 * root], gt[3 * root + 1] - pred[3 * root + 1], gt[3 * root + 2] - pred[3 * root + 2]];
  for (let i = 0; i < pred.length; i += 3) { out[i] = pred[i] + d[0]; out[i + 1] = pred[i + 1] + d[1]; out[i + 2] = pred[i + 2] + d[2]; }
  return out;
}

/**
 * Least-squares similarity (or rigid) transform with a proper rotation: dst ≈ s·R·src + t (both N×3 flat, same
 * order; Umeyama 1991), optionally weighted per point. For fitting, not for scoring (scores use similarityTrafo).
 */
export function fitSimilarity(src: ArrayLike<number>, dst: ArrayLike<number>, opts: { withScale?: boolean; weights?: ArrayLike<number> } = {}): { R: Float64Array; t: [number, number, number]; s: number } {
  const n = src.length / 3, w = opts.weights;
  if (dst.length !== src.length) throw new Error(`fitSimilarity: src has ${n} points, dst has ${dst.length / 3}`);
  let wsum = 0;
  const ms = [0, 0, 0], md = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1; wsum += wi;
    for (let k = 0; k < 3; k++) { ms[k] += wi * src[i * 3 + k]; md[k] += wi * dst[i * 3 + k]; }
  }
  for (let k = 0; k < 3; k++) { ms[k] /= wsum; md[k] /= wsum; }
  // M = Σ w (dst − md)(src − ms)ᵀ: target rows, source columns
  const M = new Float64Array(9);
  let varS = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    const a0 = dst[i * 3] - md[0], a1 = dst[i * 3 + 1] - md[1], a2 = dst[i * 3 + 2] - md[2];
    const b0 = src[i * 3] - ms[0], b1 = src[i * 3 + 1] - ms[1], b2 = src[i * 3 + 2] - ms[2];
    varS += wi * (b0 * b0 + b1 * b1 + b2 * b2);
    M[0] += wi * a0 * b0; M[1] += wi * a0 * b1; M[2] += wi * a0 * b2;
    M[3] += wi * a1 * b0; M[4] += wi * a1 * b1; M[5] += wi * a1 * b2;
    M[6] += wi * a2 * b0; M[7] += wi * a2 * b1; M[8] += wi * a2 * b2;
  }
  const { R, s: traceS } = rotationFromCrossCovariance(M, 'proper');
  const s = opts.withScale ? (varS > 0 ? traceS / varS : 1) : 1;
  const rms = [0, 1, 2].map((r) => R[3 * r] * ms[0] + R[3 * r + 1] * ms[1] + R[3 * r + 2] * ms[2]);
  return { R, t: [md[0] - s * rms[0], md[1] - s * rms[1], md[2] - s * rms[2]], s };
}
