/**
 * 2D projection of pose sets for poseProjectionFigure (pure): the project's PCA (lib/util/linalg.ts) fitted
 * on the union of the sets, so all sets share one pair of axes.
 */
import { InputError } from '../util/errors.ts';
import { fitPca } from '../util/linalg.ts';

export interface Pca2 { mean: Float64Array; axes: [Float64Array, Float64Array]; explained: [number, number] }

/** The first two principal axes of rows (N×D). explained = fraction of total variance. */
export function fitPca2(rows: ArrayLike<number>[]): Pca2 {
  if (rows.length < 3) throw new InputError('fitPca2', `needs at least 3 rows, got ${rows.length}`);
  const D = rows[0].length;
  rows.forEach((r, i) => { if (r.length !== D) throw new InputError(`fitPca2.rows[${i}]`, `has ${r.length} values, expected ${D}`); });
  const flat = new Float64Array(rows.length * D);
  rows.forEach((r, i) => flat.set(r, i * D));
  const p = fitPca(flat, D);
  const axis = (c: number): Float64Array => {
    const v = Float64Array.from({ length: D }, (_, j) => p.axes[j * D + c]);
    // display convention: the largest-magnitude component is positive
    let big = 0; for (let j = 1; j < D; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    return v[big] < 0 ? v.map((x) => -x) : v;
  };
  const t = p.totalVariance;
  return { mean: p.mean, axes: [axis(0), axis(1)], explained: [t ? p.variances[0] / t : 0, t ? p.variances[1] / t : 0] };
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
