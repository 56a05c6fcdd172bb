/**
 * What every reported error stands beside (pure): the constant-pose baseline (the mean root-relative
 * training pose, predicted for every test frame at the test frame's root), the best-match oracle (per
 * test frame, the training pose closest after Procrustes alignment: the floor a pose-retrieval method
 * could reach with this training set) and 95% intervals (t-interval over seeds, percentile bootstrap
 * over test frames). Poses are flat n×3 arrays in metres, in the prediction's frame convention.
 */
import { alignWithScale, type ReflectionMode } from './procrustes.ts';
import { pointDistances, type Points } from './points.ts';
import { Rng } from '../util/rng.ts';

/** Mean of the root-relative training poses (root joint at the origin). */
export function meanRootRelativePose(train: Points[], root = 0): Points {
  if (train.length === 0) throw new Error('meanRootRelativePose: no training poses');
  const mean = new Float64Array(train[0].length);
  for (const p of train) {
    if (p.length !== mean.length) throw new Error(`meanRootRelativePose: poses of ${mean.length / 3} and ${p.length / 3} joints`);
    const rx = p[3 * root], ry = p[3 * root + 1], rz = p[3 * root + 2];
    for (let i = 0; i < p.length; i += 3) { mean[i] += p[i] - rx; mean[i + 1] += p[i + 1] - ry; mean[i + 2] += p[i + 2] - rz; }
  }
  for (let i = 0; i < mean.length; i++) mean[i] /= train.length;
  return mean;
}

/** The constant-pose baseline's predictions: the mean training pose placed at each test frame's root. */
export function constantPosePredictions(train: Points[], gt: Points[], root = 0): Points[] {
  const mean = meanRootRelativePose(train, root);
  return gt.map((g) => {
    const out = new Float64Array(mean.length);
    for (let i = 0; i < mean.length; i += 3) for (let c = 0; c < 3; c++) out[i + c] = mean[i + c] + g[3 * root + c];
    return out;
  });
}

/** Mean joint distance after similarity Procrustes (metres): the per-frame PA-MPJPE. */
export function paError(gt: Points, pred: Points, reflection: ReflectionMode = 'allow'): number {
  const d = pointDistances(gt, alignWithScale(gt, pred, reflection));
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s / d.length;
}

/**
 * The best-match oracle: for each test frame the index of the training pose with the smallest
 * Procrustes-aligned error, and that pose placed at the test frame's root (its predictions). Cost is
 * test × train alignments (≈ 2 µs each).
 */
export function bestMatchPredictions(train: Points[], gt: Points[], opts: { reflection?: ReflectionMode; root?: number } = {}): { predictions: Points[]; trainIndex: number[] } {
  if (train.length === 0) throw new Error('bestMatchPredictions: no training poses');
  const root = opts.root ?? 0;
  const trainIndex: number[] = [];
  const predictions = gt.map((g) => {
    let best = Infinity, bi = 0;
    for (let j = 0; j < train.length; j++) {
      const e = paError(g, train[j], opts.reflection);
      if (e < best) { best = e; bi = j; }
    }
    trainIndex.push(bi);
    const t = train[bi], out = new Float64Array(t.length);
    for (let i = 0; i < t.length; i += 3) for (let c = 0; c < 3; c++) out[i + c] = t[i + c] - t[3 * root + c] + g[3 * root + c];
    return out;
  });
  return { predictions, trainIndex };
}

export interface Interval { mean: number; low: number; high: number; n: number; method: string }

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** 97.5% quantile of Student's t with `df` degrees of freedom (table to 30, then the Cornish–Fisher expansion). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new Error(`tQuantile975: df must be ≥ 1, got ${df}`);
  if (df <= 30) return T975[Math.round(df) - 1];
  const z = 1.959964, z3 = z ** 3, z5 = z ** 5;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

/** Mean ± 95% t-interval over independent repeats (e.g. one score per seed). One value: the interval is the point. */
export function tInterval95(values: number[]): Interval {
  const n = values.length;
  if (n === 0) throw new Error('tInterval95: no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, low: mean, high: mean, n, method: 't-interval over 1 value (no spread: a single seed)' };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const h = tQuantile975(n - 1) * sd / Math.sqrt(n);
  return { mean, low: mean - h, high: mean + h, n, method: `95% t-interval over ${n} seeds` };
}

/** The 2.5th and 97.5th percentiles of bootstrap replicates (sorted in place). */
function percentiles95(replicates: Float64Array): [number, number] {
  replicates.sort();
  const B = replicates.length, at = (q: number) => replicates[Math.min(B - 1, Math.max(0, Math.floor(q * B)))];
  return [at(0.025), at(0.975)];
}

/** Percentile bootstrap 95% interval of the mean over items (e.g. per-frame errors), seeded. */
export function bootstrapInterval95(values: ArrayLike<number>, opts: { replicates?: number; seed?: number } = {}): Interval {
  const n = values.length;
  if (n === 0) throw new Error('bootstrapInterval95: no values');
  const B = opts.replicates ?? 1000, seed = opts.seed ?? 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const rng = Rng.derive(seed, 'bootstrap-mean');
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(0, n)];
    means[b] = s / n;
  }
  const [low, high] = percentiles95(means);
  return { mean: sum / n, low, high, n, method: `95% percentile bootstrap over ${n} frames (${B} replicates, seed ${seed})` };
}

/**
 * Paired percentile bootstrap 95% interval of a ratio of means, Σ num / Σ den, resampling frames jointly (the
 * same frames for both): e.g. a model's per-frame errors over the constant pose's on the same frames. Frames
 * hard for both stay paired, so this is tighter, and more honest, than comparing one interval with a number.
 */
export function bootstrapRatioInterval95(num: ArrayLike<number>, den: ArrayLike<number>, opts: { replicates?: number; seed?: number } = {}): Interval {
  const n = num.length;
  if (n === 0 || den.length !== n) throw new Error(`bootstrapRatioInterval95: ${n} numerator and ${den.length} denominator values (equal, non-zero counts expected)`);
  const B = opts.replicates ?? 1000, seed = opts.seed ?? 0;
  let sn = 0, sd = 0;
  for (let i = 0; i < n; i++) { sn += num[i]; sd += den[i]; }
  const rng = Rng.derive(seed, 'bootstrap-ratio');
  const ratios = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let a = 0, d = 0;
    for (let i = 0; i < n; i++) { const k = rng.int(0, n); a += num[k]; d += den[k]; }
    ratios[b] = a / d;
  }
  const [low, high] = percentiles95(ratios);
  return { mean: sn / sd, low, high, n, method: `95% paired percentile bootstrap of the ratio over ${n} frames (${B} replicates, seed ${seed})` };
}

/** One model's per-frame errors on the same test frames, by training seed. */
export type FramesBySeed = Record<number, ArrayLike<number>>;

/**
 * a ÷ b on the same test frames, paired: per seed Σ errors of a ÷ Σ errors of b over the same frames (seeds both
 * have, with equal frame counts). One seed: the paired bootstrap over the frames (seed `bootstrapSeed`, default the
 * training seed); several: the t-interval of the per-seed ratios. Null when no seed is shared.
 */
export function pairedRatioBySeed(a: FramesBySeed, b: FramesBySeed, opts: { bootstrapSeed?: number } = {}): { seeds: number[]; ratio: number; interval: Interval } | null {
  const seeds = Object.keys(a).map(Number).filter((s) => b[s] && b[s].length === a[s].length && a[s].length > 0).sort((x, y) => x - y);
  if (!seeds.length) return null;
  const sum = (v: ArrayLike<number>) => { let t = 0; for (let i = 0; i < v.length; i++) t += v[i]; return t; };
  const ratios = seeds.map((s) => sum(a[s]) / sum(b[s]));
  const ratio = ratios.reduce((x, y) => x + y, 0) / ratios.length;
  const interval = seeds.length >= 2 ? tInterval95(ratios) : bootstrapRatioInterval95(a[seeds[0]], b[seeds[0]], { seed: opts.bootstrapSeed ?? seeds[0] });
  return { seeds, ratio, interval };
}

/** What a ratio's 95% interval says: below 1, `a` has the lower error; above 1, the higher; otherwise the two do not separate. */
export function ratioVerdict(interval: Interval, a: string, b: string): string {
  return interval.high < 1 ? `${a} lower than ${b}` : interval.low > 1 ? `${a} higher than ${b}` : `${a} and ${b} do not separate`;
}
