/**
 * Occlusion statistics from masks (pure math; no file IO).
 *
 * Per sample: the occluded fraction of the hand = |hand ∩ occluder| / |hand| where `hand` is the
 * amodal hand region (what the hand would cover without occluders) and `occluder` the pixels of
 * objects (and optionally the arm) in front of it; and the joints whose 2D projection falls on an
 * occluder. With a composed sample the amodal hand is the synthetic hand mask and the occluder the
 * pasted object mask. With a single label map (0 background, 1 hand, 2 forearm, 3 object) the amodal
 * hand is estimated as the visible hand plus occluder pixels inside the (dilated) convex hull of the
 * projected joints.
 */
import { InputError } from '../util/errors.ts';
import type { SoftMask } from '../image/compose.ts';
import { LABEL } from '../data/mask-labels.ts';
import { bootstrapInterval95 } from '../metrics/baselines.ts';

export interface OcclusionSample {
  /** |hand ∩ occluder| / |hand|, in [0, 1]; NaN when the hand covers no pixel. */
  occludedFraction: number;
  /** hand area in pixels (amodal). */
  handPixels: number;
  /** indices (JOINTS21 order) of joints whose projection lies on an occluder (mask > 0.5). */
  occludedJoints: number[];
  /** number of joints projected inside the image. */
  jointsInImage: number;
}

/** Pixel coordinates of 3D camera-frame joints: uv = (K xyz) / z. joints: N×3 metres; returns N×2 px. */
export function projectJoints(xyz: number[][], K: number[][]): number[][] {
  return xyz.map((p, i) => {
    const z = K[2][0] * p[0] + K[2][1] * p[1] + K[2][2] * p[2];
    if (!(z > 0)) throw new InputError(`joint ${i}`, `is behind the camera (z=${p[2]})`);
    return [(K[0][0] * p[0] + K[0][1] * p[1] + K[0][2] * p[2]) / z, (K[1][0] * p[0] + K[1][1] * p[1] + K[1][2] * p[2]) / z];
  });
}

/** Occlusion of one sample from an amodal hand mask, an occluder mask and optional 2D joints (px). */
export function occlusionFromMasks(hand: SoftMask, occluder: SoftMask, uv?: number[][]): OcclusionSample {
  if (hand.width !== occluder.width || hand.height !== occluder.height) throw new InputError('occlusion', `hand mask ${hand.width}×${hand.height} and occluder mask ${occluder.width}×${occluder.height} differ in size`);
  let area = 0, covered = 0;
  for (let i = 0; i < hand.data.length; i++) { area += hand.data[i]; covered += hand.data[i] * occluder.data[i]; }
  const { occludedJoints, jointsInImage } = jointsUnderMask(occluder, uv ?? []);
  return { occludedFraction: area > 0 ? covered / area : NaN, handPixels: area, occludedJoints, jointsInImage };
}

/** Joints (indices into `uv`, px) whose pixel lies on the mask (> 0.5), and how many fall inside the image. */
export function jointsUnderMask(mask: SoftMask, uv: number[][]): { occludedJoints: number[]; jointsInImage: number } {
  const occludedJoints: number[] = [];
  let jointsInImage = 0;
  uv.forEach(([u, v], j) => {
    // pixel centres at +0.5: pixel x covers [x, x+1)
    const x = Math.floor(u), y = Math.floor(v);
    if (x < 0 || y < 0 || x >= mask.width || y >= mask.height) return;
    jointsInImage++;
    if (mask.data[y * mask.width + x] > 0.5) occludedJoints.push(j);
  });
  return { occludedJoints, jointsInImage };
}

/** Convex hull (monotone chain) of 2D points; counter-clockwise in y-down image coordinates. */
export function convexHull(points: number[][]): number[][] {
  const p = points.map((q) => [q[0], q[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: number[][] = [], upper: number[][] = [];
  for (const q of p) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop(); lower.push(q); }
  for (let i = p.length - 1; i >= 0; i--) { const q = p[i]; while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop(); upper.push(q); }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Signed distance-like test: is (x, y) inside the hull grown by `margin` px? */
function insideGrownHull(hull: number[][], x: number, y: number, margin: number): boolean {
  if (hull.length < 3) return false;
  // inside the convex polygon grown by margin ⇔ for every edge, signed distance ≥ −margin
  const n = hull.length;
  // orientation of the hull (sign of its area)
  let area = 0;
  for (let i = 0; i < n; i++) { const a = hull[i], b = hull[(i + 1) % n]; area += a[0] * b[1] - b[0] * a[1]; }
  const s = area > 0 ? 1 : -1;
  for (let i = 0; i < n; i++) {
    const a = hull[i], b = hull[(i + 1) % n];
    const ex = b[0] - a[0], ey = b[1] - a[1];
    const len = Math.hypot(ex, ey) || 1;
    const d = s * (ex * (y - a[1]) - ey * (x - a[0])) / len;
    if (d < -margin) return false;
  }
  return true;
}

export interface LabelOcclusionOptions {
  /** labels counted as occluders (default: object only). */
  occluderLabels?: number[];
  /** hull growth in px around the projected joints (default 8% of the joints' bounding-box diagonal). */
  marginPx?: number;
}

/**
 * Occlusion from one label map (H×W labels) and the sample's 2D joints (px). The amodal hand is the
 * visible hand pixels plus occluder pixels inside the grown convex hull of the joints.
 */
export function occlusionFromLabels(labels: { data: ArrayLike<number>; width: number; height: number }, uv: number[][], opts: LabelOcclusionOptions = {}): OcclusionSample {
  const { width, height } = labels;
  const occIds = new Set(opts.occluderLabels ?? [LABEL.object]);
  const hull = convexHull(uv);
  const xs = uv.map((q) => q[0]), ys = uv.map((q) => q[1]);
  const diag = uv.length ? Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) : 0;
  const margin = opts.marginPx ?? 0.08 * diag;
  const hand: SoftMask = { data: new Float32Array(width * height), width, height };
  const occ: SoftMask = { data: new Float32Array(width * height), width, height };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x, l = Math.round(labels.data[i]);
      if (occIds.has(l)) {
        occ.data[i] = 1;
        if (insideGrownHull(hull, x + 0.5, y + 0.5, margin)) hand.data[i] = 1;
      } else if (l === LABEL.hand) hand.data[i] = 1;
    }
  }
  return occlusionFromMasks(hand, occ, uv);
}

export interface Bin { label: string; lo: number; hi: number }

/** Default occlusion levels (fraction of the hand covered). */
const DEFAULT_OCCLUSION_BINS: Bin[] = [
  { label: 'none (<5%)', lo: 0, hi: 0.05 },
  { label: 'light (5–20%)', lo: 0.05, hi: 0.2 },
  { label: 'medium (20–40%)', lo: 0.2, hi: 0.4 },
  { label: 'heavy (≥40%)', lo: 0.4, hi: Infinity },
];

/** Bin index of a value (lo ≤ v < hi), or -1. */
function binOf(v: number, bins: Bin[]): number { return bins.findIndex((b) => v >= b.lo && v < b.hi); }

/** Histogram of occluded fractions on equal-width bins over [0, 1]. NaN values are skipped. */
export function histogram(values: number[], nBins = 10): { lo: number; hi: number; count: number }[] {
  const out = Array.from({ length: nBins }, (_, i) => ({ lo: i / nBins, hi: (i + 1) / nBins, count: 0 }));
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    out[Math.min(nBins - 1, Math.max(0, Math.floor(v * nBins)))].count++;
  }
  return out;
}

export interface ErrorByOcclusionRow { level: string; count: number; meanError: number; medianError: number }

/** Mean and median error (any unit, e.g. PA-MPJPE in mm) per occlusion level. */
export function errorByOcclusion(fractions: number[], errors: number[], bins: Bin[] = DEFAULT_OCCLUSION_BINS): ErrorByOcclusionRow[] {
  if (fractions.length !== errors.length) throw new InputError('error-vs-occlusion', `${fractions.length} occlusion values but ${errors.length} errors`);
  const groups: number[][] = bins.map(() => []);
  fractions.forEach((f, i) => { const b = binOf(f, bins); if (b >= 0 && Number.isFinite(errors[i])) groups[b].push(errors[i]); });
  return bins.map((b, i) => {
    const g = groups[i].slice().sort((x, y) => x - y);
    const mean = g.length ? g.reduce((s, v) => s + v, 0) / g.length : NaN;
    const median = g.length ? (g.length % 2 ? g[(g.length - 1) / 2] : (g[g.length / 2 - 1] + g[g.length / 2]) / 2) : NaN;
    return { level: b.label, count: g.length, meanError: mean, medianError: median };
  });
}

/**
 * Occlusion levels by joints under the occluder (of the 20 non-wrist joints; the wrist is the root of every
 * measure): 1–2, 3–5, 6–10 and 11–20 joints, i.e. up to 10%, 25%, 50% and 100% of them.
 */
export const OCCLUDED_JOINT_LEVELS: Bin[] = [
  { label: '1–2 joints (≤10%)', lo: 1, hi: 3 },
  { label: '3–5 (15–25%)', lo: 3, hi: 6 },
  { label: '6–10 (30–50%)', lo: 6, hi: 11 },
  { label: '11–20 (55–100%)', lo: 11, hi: Infinity },
];

export interface OcclusionLevelRow {
  level: string; lo: number; hi: number;
  /** frames in the bin; fewer than minFrames: no interval (too few) */
  n: number; tooFew: boolean;
  /** per method: mean over the bin's frames with its percentile bootstrap 95% interval (null when too few or empty) */
  methods: Record<string, { mean: number; low: number | null; high: number | null }>;
}

/**
 * Per-frame errors of several methods on the same frames (e.g. a model on occluded and on clean images, the
 * constant pose), binned by each frame's occlusion level: per bin and method the mean and a seeded percentile
 * bootstrap 95% interval over the bin's frames; a bin with fewer than `minFrames` frames gets none.
 */
export function errorByOcclusionLevel(level: number[], errors: Record<string, number[]>, bins: Bin[], opts: { minFrames?: number; seed?: number; replicates?: number } = {}): OcclusionLevelRow[] {
  for (const [k, v] of Object.entries(errors)) if (v.length !== level.length) throw new InputError(`error-by-occlusion-level.${k}`, `${v.length} errors but ${level.length} occlusion levels`);
  const minFrames = opts.minFrames ?? 5;
  return bins.map((b, bi) => {
    const idx = level.map((v, i) => (binOf(v, [b]) === 0 ? i : -1)).filter((i) => i >= 0);
    const tooFew = idx.length < minFrames;
    const methods = Object.fromEntries(Object.entries(errors).map(([k, v]) => {
      const vals = idx.map((i) => v[i]);
      if (!vals.length) return [k, { mean: NaN, low: null, high: null }];
      const iv = tooFew ? null : bootstrapInterval95(vals, { seed: (opts.seed ?? 0) + bi, replicates: opts.replicates });
      return [k, { mean: vals.reduce((a, x) => a + x, 0) / vals.length, low: iv?.low ?? null, high: iv?.high ?? null }];
    }));
    return { level: b.label, lo: b.lo, hi: b.hi, n: idx.length, tooFew, methods };
  });
}

/** Summary over a dataset: mean occluded fraction, fraction of samples with any occluded joint, per-joint rates. */
export function summariseOcclusion(samples: OcclusionSample[], nJoints = 21): { n: number; meanOccludedFraction: number; samplesWithOccludedJoint: number; jointOcclusionRate: number[]; levels: { level: string; count: number }[] } {
  const valid = samples.filter((s) => Number.isFinite(s.occludedFraction));
  const rate = new Array(nJoints).fill(0);
  for (const s of samples) for (const j of s.occludedJoints) if (j < nJoints) rate[j]++;
  return {
    n: samples.length,
    meanOccludedFraction: valid.length ? valid.reduce((a, s) => a + s.occludedFraction, 0) / valid.length : NaN,
    samplesWithOccludedJoint: samples.length ? samples.filter((s) => s.occludedJoints.length > 0).length / samples.length : NaN,
    jointOcclusionRate: rate.map((c) => (samples.length ? c / samples.length : NaN)),
    levels: DEFAULT_OCCLUSION_BINS.map((b) => ({ level: b.label, count: valid.filter((s) => binOf(s.occludedFraction, [b]) === 0).length })),
  };
}

/**
 * The exact occluded fraction a sample's meta records, or null: `occlusion` {handPixelsUnoccluded,
 * handPixelsVisible} (handgap compose) or `occlusionRatio` (lib/synth: 1 − visible/unoccluded hand
 * pixels, measured with a second render without the objects).
 */
export function occludedFractionFromMeta(meta: Record<string, unknown> | undefined): number | null {
  const o = meta?.occlusion as { handPixelsUnoccluded?: number; handPixelsVisible?: number } | undefined;
  if (o && typeof o.handPixelsUnoccluded === 'number' && o.handPixelsUnoccluded > 0) return Math.max(0, 1 - (o.handPixelsVisible ?? 0) / o.handPixelsUnoccluded);
  if (typeof meta?.occlusionRatio === 'number' && Number.isFinite(meta.occlusionRatio)) return meta.occlusionRatio;
  return null;
}
