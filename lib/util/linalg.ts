/**
 * Small dense linear algebra (pure): the symmetric eigen-decomposition and the one PCA of the project
 * (pose priors in lib/hand, pose projections in lib/plot; the texture model uses symEig on its Gram matrix).
 */

/**
 * Symmetric eigen-decomposition of an n×n row-major matrix (cyclic Jacobi). Eigenvalues descending;
 * eigenvectors are the columns of the returned row-major n×n matrix.
 */
export function symEig(s: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s as ArrayLike<number>);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < n; p++) { diag += a[p * n + p] ** 2; for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2; }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), sn = t * c;
        for (let k = 0; k < n; k++) { // A ← A·J
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - sn * akq; a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // A ← Jᵀ·A
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - sn * aqk; a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - sn * vkq; v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  order.forEach((src, dst) => { values[dst] = a[src * n + src]; for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]; });
  return { values, vectors };
}

/** Principal components of N rows of dimension D. */
export interface Pca {
  dim: number;
  count: number;
  mean: Float64Array;
  /** D×D, row-major; column c is the c-th principal axis (unit length), by descending variance. */
  axes: Float64Array;
  /** Variance along each axis (covariance with N − 1), descending. */
  variances: Float64Array;
  /** Sum of the variances (the trace of the covariance). */
  totalVariance: number;
}

/**
 * PCA of `rows` (N×dim, flat, row-major): mean, the eigen-decomposition of the sample covariance (N − 1).
 * Axis signs are those of the Jacobi solver (deterministic); callers that display axes fix their own sign.
 */
export function fitPca(rows: ArrayLike<number>, dim: number): Pca {
  const n = rows.length / dim;
  if (!Number.isInteger(n) || n < 2) throw new Error(`fitPca: need at least 2 rows of ${dim} values, got ${rows.length} values`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) mean[k] += rows[i * dim + k] / n;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) {
    const da = rows[i * dim + a] - mean[a];
    for (let b = a; b < dim; b++) cov[a * dim + b] += da * (rows[i * dim + b] - mean[b]) / (n - 1);
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) cov[a * dim + b] = cov[b * dim + a];
  let totalVariance = 0;
  for (let a = 0; a < dim; a++) totalVariance += cov[a * dim + a];
  const { values, vectors } = symEig(cov, dim);
  return { dim, count: n, mean, axes: vectors, variances: values, totalVariance };
}
