/**
 * Saturation curves: error (e.g. PA-MPJPE) against the fraction of a data factor used (poses, HDRIs,
 * textures), fitted with saturating models and summarised by the fraction that reaches 90% / 97% of
 * full-data performance (pure math).
 *
 * Models (x in (0, 1], y an error that falls towards an asymptote a):
 *   exp:   y = a + b·exp(−x / c)      (exponential approach)
 *   power: y = a + b·x^(−c)           (power law with offset)
 * Both are linear in (a, b) for a fixed c, so each is fitted by variable projection: a log-spaced
 * grid over c, then golden-section refinement, with (a, b) from least squares at each c. The model
 * with the lower AIC (n·ln(RSS/n) + 2k) is chosen.
 *
 * Performance is 1/error, the same convention as the syn→real ratio table (real error ÷ synthetic
 * error), so "reaching p of full-data performance" means err(x) ≤ err(1) / p on the fitted curve.
 * Intervals come from a residual bootstrap (seeded).
 */
import { InputError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';

export type ModelName = 'exp' | 'power';
export interface Fit {
  model: ModelName; a: number; b: number; c: number; rss: number; aic: number; n: number;
  /** c ended at an edge of its search range: no saturation is visible in the data (the fit is ~linear or a step) */
  atBound: boolean;
}

export function evalModel(f: Pick<Fit, 'model' | 'a' | 'b' | 'c'>, x: number): number {
  return f.model === 'exp' ? f.a + f.b * Math.exp(-x / f.c) : f.a + f.b * Math.pow(x, -f.c);
}

function basis(model: ModelName, x: number, c: number): number { return model === 'exp' ? Math.exp(-x / c) : Math.pow(x, -c); }

/** Least squares for (a, b) at fixed c; returns the RSS too. */
function linearPart(model: ModelName, xs: number[], ys: number[], c: number): { a: number; b: number; rss: number } {
  const n = xs.length;
  let sg = 0, sgg = 0, sy = 0, sgy = 0;
  for (let i = 0; i < n; i++) { const g = basis(model, xs[i], c); sg += g; sgg += g * g; sy += ys[i]; sgy += g * ys[i]; }
  const det = n * sgg - sg * sg;
  let a: number, b: number;
  if (Math.abs(det) < 1e-12 * Math.max(1, n * sgg)) { a = sy / n; b = 0; } else { b = (n * sgy - sg * sy) / det; a = (sy - b * sg) / n; }
  let rss = 0;
  for (let i = 0; i < n; i++) { const r = ys[i] - a - b * basis(model, xs[i], c); rss += r * r; }
  return { a, b, rss };
}

/** c search ranges (log10): exp scale 0.003..10 (in units of x), power exponent 0.01..5. */
const C_RANGE: Record<ModelName, [number, number]> = { exp: [-2.5, 1], power: [-2, 0.7] };

export function fitModel(model: ModelName, xs: number[], ys: number[]): Fit {
  validate(xs, ys);
  const [lo, hi] = C_RANGE[model];
  const rssAt = (lc: number) => linearPart(model, xs, ys, Math.pow(10, lc)).rss;
  const steps = 120;
  let best = lo, bestRss = Infinity;
  for (let i = 0; i <= steps; i++) { const lc = lo + (hi - lo) * i / steps; const r = rssAt(lc); if (r < bestRss) { bestRss = r; best = lc; } }
  // golden-section refinement in the bracket around the best grid point
  const h = (hi - lo) / steps;
  let a = Math.max(lo, best - h), b = Math.min(hi, best + h);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a), f1 = rssAt(x1), f2 = rssAt(x2);
  for (let it = 0; it < 60; it++) {
    if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = rssAt(x1); } else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = rssAt(x2); }
  }
  const lc = f1 < f2 ? x1 : x2;
  const c = Math.pow(10, lc);
  const lin = linearPart(model, xs, ys, c);
  const n = xs.length, k = 3;
  const aic = n * Math.log(Math.max(lin.rss, 1e-300) / n) + 2 * k;
  const atBound = lc - lo < 1e-3 || hi - lc < 1e-3;
  return { model, a: lin.a, b: lin.b, c, rss: lin.rss, aic, n, atBound };
}

function validate(xs: number[], ys: number[]): void {
  if (xs.length !== ys.length) throw new InputError('saturation fit', `${xs.length} fractions but ${ys.length} values`);
  if (xs.length < 4) throw new InputError('saturation fit', `needs at least 4 points (3 parameters), got ${xs.length}`);
  xs.forEach((x, i) => { if (!(x > 0 && x <= 1.000001)) throw new InputError(`saturation fit point ${i}`, `fraction ${x} is not within (0, 1]`); });
  ys.forEach((y, i) => { if (!Number.isFinite(y)) throw new InputError(`saturation fit point ${i}`, `value ${y} is not finite`); });
}

/** Fit both models; the one with the lower AIC first. */
export function fitBest(xs: number[], ys: number[]): { best: Fit; all: Fit[] } {
  const all = (['exp', 'power'] as ModelName[]).map((m) => fitModel(m, xs, ys)).sort((p, q) => p.aic - q.aic);
  return { best: all[0], all };
}

/**
 * Smallest fraction x in [xMin, 1] with fitted error ≤ err(1)/p (performance ≥ p of full data).
 * Returns xMin when the curve is already there at xMin (flagged by the caller as "≤ xMin").
 */
export function fractionReaching(f: Pick<Fit, 'model' | 'a' | 'b' | 'c'>, p: number, xMin = 1e-3): number {
  const target = evalModel(f, 1) / p;
  if (evalModel(f, xMin) <= target) return xMin;
  if (evalModel(f, 1) > target) return 1; // cannot happen for p ≤ 1, kept for safety
  let lo = xMin, hi = 1;
  for (let i = 0; i < 80; i++) { const mid = (lo + hi) / 2; if (evalModel(f, mid) <= target) hi = mid; else lo = mid; }
  return hi;
}

export interface SaturationReport {
  fit: Fit;
  alternatives: Fit[];
  /** for each level p: fraction reaching p with a bootstrap percentile interval */
  reach: { p: number; fraction: number; lo: number; hi: number }[];
  bootstrap: { replicates: number; seed: number; level: number };
  /** smallest sampled fraction: estimates below it are extrapolations */
  xMinSampled: number;
  /** with `curveAt`: the fitted curve's pointwise percentile band over the same bootstrap refits */
  curveBand?: { x: number[]; lo: number[]; hi: number[] };
}

export interface SaturationOptions { levels?: number[]; replicates?: number; seed?: number; ciLevel?: number;
  /** x values at which to report the fitted curve's bootstrap band (for figures) */
  curveAt?: number[] }

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q, i = Math.floor(pos), f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/** Fit, choose by AIC, and bootstrap the fractions reaching each level (default 90% and 97%). */
export function analyseSaturation(xs: number[], ys: number[], opts: SaturationOptions = {}): SaturationReport {
  const levels = opts.levels ?? [0.9, 0.97];
  const replicates = opts.replicates ?? 500;
  const seed = opts.seed ?? 0;
  const ci = opts.ciLevel ?? 0.95;
  const { best, all } = fitBest(xs, ys);
  const fitted = xs.map((x) => evalModel(best, x));
  const resid = ys.map((y, i) => y - fitted[i]);
  const mean = resid.reduce((s, r) => s + r, 0) / resid.length;
  // centred residuals, inflated for the 3 fitted parameters
  const scale = Math.sqrt(resid.length / Math.max(1, resid.length - 3));
  const centred = resid.map((r) => (r - mean) * scale);
  const rng = Rng.derive(seed, 'saturation-bootstrap');
  const samples: number[][] = levels.map(() => []);
  const curveAt = opts.curveAt ?? [], curves: number[][] = curveAt.map(() => []);
  for (let r = 0; r < replicates; r++) {
    const yStar = fitted.map((f) => f + centred[rng.int(0, centred.length)]);
    const fb = fitModel(best.model, xs, yStar);
    levels.forEach((p, i) => samples[i].push(fractionReaching(fb, p)));
    curveAt.forEach((x, i) => curves[i].push(evalModel(fb, x)));
  }
  const curveBand = opts.curveAt ? { x: [...curveAt], lo: curves.map((c) => quantile(c.sort((a, b) => a - b), (1 - ci) / 2)), hi: curves.map((c) => quantile(c, 1 - (1 - ci) / 2)) } : undefined;
  return {
    fit: best,
    alternatives: all,
    reach: levels.map((p, i) => {
      const s = samples[i].sort((a, b) => a - b);
      return { p, fraction: fractionReaching(best, p), lo: quantile(s, (1 - ci) / 2), hi: quantile(s, 1 - (1 - ci) / 2) };
    }),
    bootstrap: { replicates, seed, level: ci },
    xMinSampled: Math.min(...xs),
    ...(curveBand ? { curveBand } : {}),
  };
}
