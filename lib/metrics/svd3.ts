/**
 * Singular value decomposition of a 3×3 matrix by one-sided Jacobi rotations (float64, accurate to
 * a few ulps for well-conditioned matrices). Pure. Matrices are row-major Float64Array(9).
 */

export interface Svd3 {
  /** Left singular vectors, row-major 3×3 (columns are the vectors). */
  U: Float64Array;
  /** Singular values, descending, ≥ 0. */
  S: Float64Array;
  /** Right singular vectors, row-major 3×3 (columns are the vectors). */
  V: Float64Array;
}

export function svd3(M: ArrayLike<number>): Svd3 {
  // W = M V converges to U Σ; columns of W are orthogonalised pairwise.
  const W = Float64Array.from(M as ArrayLike<number>);
  const V = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  for (let sweep = 0; sweep < 30; sweep++) {
    let rotated = false;
    for (let p = 0; p < 2; p++) {
      for (let q = p + 1; q < 3; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let r = 0; r < 3; r++) {
          const wp = W[3 * r + p], wq = W[3 * r + q];
          alpha += wp * wp; beta += wq * wq; gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let r = 0; r < 3; r++) {
          const wp = W[3 * r + p], wq = W[3 * r + q];
          W[3 * r + p] = c * wp - s * wq; W[3 * r + q] = s * wp + c * wq;
          const vp = V[3 * r + p], vq = V[3 * r + q];
          V[3 * r + p] = c * vp - s * vq; V[3 * r + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const sv = [0, 1, 2].map((j) => Math.hypot(W[j], W[3 + j], W[6 + j]));
  const order = [0, 1, 2].sort((a, b) => sv[b] - sv[a]);
  const U = new Float64Array(9), Vs = new Float64Array(9), S = new Float64Array(3);
  const scaleRef = sv[order[0]];
  for (let k = 0; k < 3; k++) {
    const j = order[k];
    S[k] = sv[j];
    for (let r = 0; r < 3; r++) Vs[3 * r + k] = V[3 * r + j];
    // A zero singular value leaves its left vector undefined; it is completed below.
    if (sv[j] > 1e-300 && sv[j] > scaleRef * 1e-15) for (let r = 0; r < 3; r++) U[3 * r + k] = W[3 * r + j] / sv[j];
  }
  completeBasis(U, S, scaleRef);
  return { U, S, V: Vs };
}

/** Fill left singular vectors of (near-)zero singular values with an orthonormal completion. */
function completeBasis(U: Float64Array, S: Float64Array, scaleRef: number): void {
  const ok = (k: number) => S[k] > 1e-300 && S[k] > scaleRef * 1e-15;
  const col = (k: number) => [U[k], U[3 + k], U[6 + k]];
  const set = (k: number, v: number[]) => { U[k] = v[0]; U[3 + k] = v[1]; U[6 + k] = v[2]; };
  if (!ok(0)) { set(0, [1, 0, 0]); set(1, [0, 1, 0]); set(2, [0, 0, 1]); return; }
  if (!ok(1)) {
    const u0 = col(0);
    // any unit vector orthogonal to u0
    const a = Math.abs(u0[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    set(1, normalize(cross(u0, a)));
  }
  if (!ok(2)) set(2, normalize(cross(col(0), col(1))));
}

export function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function normalize(v: number[]): number[] { const n = Math.hypot(v[0], v[1], v[2]); return [v[0] / n, v[1] / n, v[2] / n]; }

export function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
