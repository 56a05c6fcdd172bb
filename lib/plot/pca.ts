/**
 * 2D projection of pose sets for poseProjectionFigure (pure): PCA fitted on the union of the sets
 * (power iteration with deflation on the D×D covariance), so all sets share one pair of axes.
 */
import { InputError } from '../util/errors.ts';

export interface Pca2 { mean: Float64Array; axes: [Float64Array, Float64Array]; explained: [number, number] }

/** Fit the first two principal axes of rows (N×D). explained = fraction of total variance. */
export function fitPca2(rows: ArrayLike<number>[], iterations = 200): Pca2 {
  if (rows.length < 3) throw new InputError('fitPca2', `needs at least 3 rows, got ${rows.length}`);
  const D = rows[0].length;
  rows.forEach((r, i) => { if (r.length !== D) throw new InputError(`fitPca2.rows[${i}]`, `has ${r.length} values, expected ${D}`); });
  const mean = new Float64Array(D);
  for (const r of rows) for (let j = 0; j < D; j++) mean[j] += r[j] / rows.length;
  const C = new Float64Array(D * D);
  for (const r of rows) for (let a = 0; a < D; a++) { const da = r[a] - mean[a]; for (let b = a; b < D; b++) C[a * D + b] += (da * (r[b] - mean[b])) / (rows.length - 1); }
  for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) C[a * D + b] = C[b * D + a];
  let total = 0; for (let a = 0; a < D; a++) total += C[a * D + a];
  const axes: Float64Array[] = [], vals: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = new Float64Array(D).map((_, j) => 1 + ((j * 7919) % 13) / 13); // fixed start: deterministic
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(D);
      for (let a = 0; a < D; a++) { let s = 0; for (let b = 0; b < D; b++) s += C[a * D + b] * v[b]; w[a] = s; }
      for (const u of axes) { let d = 0; for (let j = 0; j < D; j++) d += w[j] * u[j]; for (let j = 0; j < D; j++) w[j] -= d * u[j]; }
      const n = Math.hypot(...w);
      if (n === 0) break;
      lambda = n; v = w.map((x) => x / n);
    }
    // sign convention: largest-magnitude component positive
    let big = 0; for (let j = 1; j < D; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) v = v.map((x) => -x);
    axes.push(v); vals.push(lambda);
  }
  return { mean, axes: [axes[0], axes[1]], explained: [total ? vals[0] / total : 0, total ? vals[1] / total : 0] };
}

/** Coordinates of rows on the two axes. */
export function projectPca2(p: Pca2, rows: ArrayLike<number>[]): [number, number][] {
  return rows.map((r) => {
    let x = 0, y = 0;
    for (let j = 0; j < p.mean.length; j++) { const d = r[j] - p.mean[j]; x += d * p.axes[0][j]; y += d * p.axes[1][j]; }
    return [x, y];
  });
}

/**
 * Pose sets (each pose 21×3 metres, any frame) → root-relative centimetres → shared PCA → 2D points
 * per set, plus axis labels with the explained variance, ready for poseProjectionFigure.
 */
export function projectPoseSets(sets: { name: string; poses: ArrayLike<number>[][] }[]): { sets: { name: string; points: [number, number][] }[]; axisLabels: [string, string] } {
  const flat = (pose: ArrayLike<number>[]) => pose.flatMap((j) => [0, 1, 2].map((c) => 100 * (j[c] - pose[0][c])));
  const rows = sets.map((s) => s.poses.map(flat));
  const pca = fitPca2(rows.flat());
  return {
    sets: sets.map((s, i) => ({ name: s.name, points: projectPca2(pca, rows[i]) })),
    axisLabels: [`PC 1 [${(100 * pca.explained[0]).toFixed(0)}% var.]`, `PC 2 [${(100 * pca.explained[1]).toFixed(0)}% var.]`],
  };
}
