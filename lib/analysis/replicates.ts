/**
 * One score over its seeds (pure): mean test PA-MPJPE with a 95% interval, beside the constant pose (mean
 * training pose) and the best-match oracle of the same runs, the ratio to the constant pose with its
 * interval, and the verdict — "no signal at this scale" unless the ratio's interval lies below 1. Several
 * seeds: t-intervals over the seeds (of the score and of the per-seed ratio); one seed: the run's own
 * bootstrap intervals over the test frames (the ratio's is paired: the same frames for model and baseline).
 * Used by the experiment reports (sweep points) and the walkthrough summary (the three arms).
 */
import { tInterval95, type Interval } from '../metrics/baselines.ts';

/** One seed's evaluation (mm), as the evaluate kind reports it. */
export interface SeedScore {
  seed: number | string;
  paMpjpeMm: number;
  constantPoseMm: number | null;
  bestMatchMm: number | null;
  /** model ÷ constant pose on the same frames */
  ratio: number | null;
  /** bootstrap 95% over test frames (used when there is one seed) */
  interval?: Interval | null;
  ratioInterval?: Interval | null;
  trainFitMm?: number | null;
  /** test frames */
  n?: number | null;
}

export interface SeedSummary {
  seeds: (number | string)[];
  values: number[];
  mean: number;
  /** 95%: t over seeds (≥ 2 seeds) or the single run's bootstrap over frames */
  interval: Interval | null;
  intervalKind: 'seeds' | 'frames' | 'none';
  constantPoseMm: number | null;
  bestMatchMm: number | null;
  trainFitMm: number | null;
  /** mean ÷ mean constant pose */
  ratioToConstantPose: number | null;
  ratioInterval: Interval | null;
  n: number | null;
  /** the ratio's interval lies below 1 (or, without one, the score's interval lies below the constant pose); never at a plumbing scale */
  signal: boolean;
  verdict: string;
}

const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const finite = (v: (number | null | undefined)[]): number[] => v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));

/** Summarise the seeds of one score; `plumbing`: a smoke-scale run, whose verdict is always "no signal". */
export function summariseSeeds(scores: SeedScore[], opts: { plumbing?: boolean } = {}): SeedSummary {
  if (!scores.length) throw new Error('summariseSeeds: no scores');
  const values = scores.map((s) => s.paMpjpeMm);
  const mean = meanOf(values);
  const several = scores.length >= 2;
  const interval = several ? tInterval95(values) : scores[0].interval ?? null;
  const cps = finite(scores.map((s) => s.constantPoseMm)), bms = finite(scores.map((s) => s.bestMatchMm)), fits = finite(scores.map((s) => s.trainFitMm));
  const constantPoseMm = cps.length ? meanOf(cps) : null;
  const ratios = finite(scores.map((s) => s.ratio));
  const ratioInterval = several ? (ratios.length === scores.length ? tInterval95(ratios) : null) : scores[0].ratioInterval ?? null;
  const ratioToConstantPose = constantPoseMm ? mean / constantPoseMm : null;
  const signal = !opts.plumbing && belowConstantPose({ ratioInterval, interval, constantPoseMm });
  const verdict = opts.plumbing ? 'plumbing check: no signal at this scale'
    : constantPoseMm === null ? 'no constant-pose baseline: no verdict'
      : signal ? `below the constant pose (${ratioToConstantPose!.toFixed(3)}×)` : `no signal at this scale (does not separate from the constant pose: ${ratioToConstantPose!.toFixed(3)}×)`;
  return {
    seeds: scores.map((s) => s.seed), values, mean, interval, intervalKind: interval ? (several ? 'seeds' : 'frames') : 'none',
    constantPoseMm, bestMatchMm: bms.length ? meanOf(bms) : null, trainFitMm: fits.length ? meanOf(fits) : null,
    ratioToConstantPose, ratioInterval, n: scores[0].n ?? null, signal, verdict,
  };
}

/** The score lies below its constant pose: the ratio's 95% interval below 1, or without one the score's interval below the constant pose. */
export function belowConstantPose(s: { ratioInterval?: Interval | null; interval?: Interval | null; constantPoseMm?: number | null }): boolean {
  if (s.ratioInterval) return s.ratioInterval.high < 1;
  return !!s.interval && typeof s.constantPoseMm === 'number' && s.interval.high < s.constantPoseMm;
}

type R = Record<string, unknown>;
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One seed's score from an evaluate result (lib/experiment/kinds/evaluate.ts: scoreSummary + trainFit). */
export function seedScoreOfEvaluation(seed: number | string, r: R): SeedScore {
  const sub = (k: string) => (r[k] && typeof r[k] === 'object' ? r[k] as R : {});
  return {
    seed, paMpjpeMm: Number(r.paMpjpeMm), constantPoseMm: numOrNull(sub('constantPose').paMpjpeMm), bestMatchMm: numOrNull(sub('bestMatch').paMpjpeMm),
    ratio: numOrNull(sub('ratioToConstantPose').paMpjpe), interval: (r.paMpjpeInterval as Interval | null | undefined) ?? null,
    ratioInterval: (sub('ratioToConstantPose').paMpjpeInterval as Interval | null | undefined) ?? null, trainFitMm: numOrNull(sub('trainFit').paMpjpeMm), n: numOrNull(r.n),
  };
}

/** Two summaries separate when their 95% intervals do not overlap. */
export function separate(a: Pick<SeedSummary, 'interval'>, b: Pick<SeedSummary, 'interval'>): boolean {
  return !!a.interval && !!b.interval && (a.interval.high < b.interval.low || b.interval.high < a.interval.low);
}

/** "27.41 ± 1.20" (mm or cm by `scale`): the mean and half the 95% interval's width; the mean alone without an interval. */
export function meanPlusMinus(s: Pick<SeedSummary, 'mean' | 'interval'>, scale = 1, digits = 2): string {
  return s.interval ? `${(s.mean * scale).toFixed(digits)} ± ${(((s.interval.high - s.interval.low) / 2) * scale).toFixed(digits)}` : (s.mean * scale).toFixed(digits);
}

/** One sweep row against a reference row, paired by seed (the same seed renders and trains both alike where they share a render). */
export interface SeedContrast {
  seeds: (number | string)[];
  /** row − reference per shared seed (mm) */
  differences: number[];
  /** mean difference with its 95% t-interval over the shared seeds (null with fewer than 2) */
  meanDifference: number;
  interval: Interval | null;
  /** mean row ÷ mean reference over the shared seeds */
  ratio: number;
  /** the interval excludes 0 */
  separates: boolean;
  verdict: string;
}

/**
 * Row minus reference, seed by seed (pure). The study's ablation asks whether taking a component out raises the
 * error of the full recipe; pairing by seed removes what the seeds share (render draws, initialisation, data
 * order), so a row can separate from the reference when neither separates from the constant pose.
 */
export function contrastBySeed(row: Pick<SeedSummary, 'seeds' | 'values'>, reference: Pick<SeedSummary, 'seeds' | 'values'>): SeedContrast {
  const refBySeed = new Map(reference.seeds.map((s, i) => [String(s), reference.values[i]]));
  const seeds: (number | string)[] = [], differences: number[] = [], rowVals: number[] = [], refVals: number[] = [];
  row.seeds.forEach((s, i) => {
    const r = refBySeed.get(String(s));
    if (r === undefined) return;
    seeds.push(s); differences.push(row.values[i] - r); rowVals.push(row.values[i]); refVals.push(r);
  });
  if (!seeds.length) throw new Error('contrastBySeed: the row and the reference share no seed');
  const interval = seeds.length >= 2 ? tInterval95(differences) : null;
  const meanDifference = meanOf(differences);
  const ratio = meanOf(rowVals) / meanOf(refVals);
  const separates = !!interval && (interval.high < 0 || interval.low > 0);
  const verdict = !interval ? 'one shared seed: no interval, no verdict'
    : separates ? (meanDifference < 0 ? 'lower error than the reference' : 'higher error than the reference')
      : 'does not separate from the reference';
  return { seeds, differences, meanDifference, interval, ratio, separates, verdict };
}
