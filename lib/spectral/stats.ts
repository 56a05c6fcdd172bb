/**
 * Streaming amplitude-spectrum statistics of an image set (pure math, no IO).
 *
 * Planes: R, G, B and luminance Y (BT.601) for RGB images, or one plane for gray images. For every frequency of the
 * non-redundant half grid, Welford's running mean and M2 of the amplitude |X| and of the log-amplitude log(1+|X|)
 * across images; memory does not grow with the set. Partial results from workers merge exactly (Chan et al.).
 * Variances are population variances (ddof = 0, like np.var).
 */
import { rfft2, expandHalfReal, fftshift, type HalfSpectrum } from './fft.ts';
import { LUMA_WEIGHTS, halfGridGeometry, type ImageLike } from './spectrum.ts';
import { InputError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';

export type Quantity = 'amp' | 'logamp';

/** Plain-data state (transferable between threads with structured clone). */
export interface SpectrumStatsState {
  height: number; width: number; channels: number; planes: string[]; count: number;
  /** per plane: [ampMean, ampM2, logMean, logM2], each H × (floor(W/2)+1) */
  acc: Float64Array[][];
}

export class SpectrumStats {
  readonly height: number; readonly width: number; readonly halfWidth: number; readonly channels: number;
  readonly planes: string[];
  count = 0;
  private readonly acc: Float64Array[][];
  private readonly spec: HalfSpectrum[];
  private readonly lum: Float64Array;
  private readonly ampBuf: Float64Array;

  constructor(height: number, width: number, channels: number) {
    if (channels !== 1 && channels !== 3) throw new InputError('channels', `spectrum statistics need 1 or 3 channels, got ${channels}`);
    this.height = height; this.width = width; this.halfWidth = (width >> 1) + 1; this.channels = channels;
    this.planes = channels === 3 ? ['r', 'g', 'b', 'y'] : ['y'];
    const n = height * this.halfWidth;
    this.acc = this.planes.map(() => [0, 1, 2, 3].map(() => new Float64Array(n)));
    this.spec = Array.from({ length: channels }, () => ({ height, width, halfWidth: this.halfWidth, data: new Float64Array(2 * n) }));
    this.lum = new Float64Array(2 * n);
    this.ampBuf = new Float64Array(n);
  }

  static fromState(s: SpectrumStatsState): SpectrumStats {
    const st = new SpectrumStats(s.height, s.width, s.channels);
    st.count = s.count;
    s.acc.forEach((p, i) => p.forEach((a, j) => st.acc[i][j].set(a)));
    return st;
  }

  state(): SpectrumStatsState {
    return { height: this.height, width: this.width, channels: this.channels, planes: this.planes, count: this.count, acc: this.acc.map((p) => p.map((a) => a.slice())) };
  }

  /**
   * Add one image (HWC, size must match). Returns the luminance (or gray) amplitude on the half grid when
   * `wantLuminance` is set (a fresh array, for bootstrap samples).
   */
  add(img: ImageLike, wantLuminance = false): Float64Array | null {
    const { height: H, width: W } = this;
    if (img.height !== H || img.width !== W || img.channels !== this.channels) {
      throw new InputError('image', `shape ${img.height}x${img.width}x${img.channels}, expected ${H}x${W}x${this.channels}`);
    }
    for (let c = 0; c < this.channels; c++) rfft2(img.data, H, W, this.channels, c, this.spec[c]);
    this.count++;
    const n1 = 1 / this.count;
    let lumAmp: Float64Array | null = null;
    if (this.channels === 3) {
      const [wr, wg, wb] = LUMA_WEIGHTS, r = this.spec[0].data, g = this.spec[1].data, b = this.spec[2].data, y = this.lum;
      for (let i = 0; i < y.length; i++) y[i] = wr * r[i] + wg * g[i] + wb * b[i];
    }
    for (let p = 0; p < this.planes.length; p++) {
      const d = this.channels === 3 && p === 3 ? this.lum : this.spec[p].data;
      const [am, a2, lm, l2] = this.acc[p];
      const amp = this.ampBuf;
      for (let i = 0, n = amp.length; i < n; i++) {
        const re = d[2 * i], im = d[2 * i + 1];
        const a = Math.sqrt(re * re + im * im);
        amp[i] = a;
        const da = a - am[i]; am[i] += da * n1; a2[i] += da * (a - am[i]);
        const l = Math.log1p(a);
        const dl = l - lm[i]; lm[i] += dl * n1; l2[i] += dl * (l - lm[i]);
      }
      if (wantLuminance && this.planes[p] === 'y') lumAmp = amp.slice();
    }
    return lumAmp;
  }

  /** Fold another partial result in (parallel Welford / Chan). */
  merge(other: SpectrumStats | SpectrumStatsState): void {
    const o = other instanceof SpectrumStats ? other.state() : other;
    if (o.height !== this.height || o.width !== this.width || o.channels !== this.channels) throw new InputError('stats', 'cannot merge statistics of different image shapes');
    if (o.count === 0) return;
    const na = this.count, nb = o.count, n = na + nb;
    for (let p = 0; p < this.planes.length; p++) for (const [mi, m2i] of [[0, 1], [2, 3]]) {
      const ma = this.acc[p][mi], sa = this.acc[p][m2i], mb = o.acc[p][mi], sb = o.acc[p][m2i];
      for (let i = 0; i < ma.length; i++) {
        const d = mb[i] - ma[i];
        ma[i] += d * nb / n;
        sa[i] += sb[i] + d * d * na * nb / n;
      }
    }
    this.count = n;
  }

  private planeIndex(plane: string): number {
    const i = this.planes.indexOf(plane);
    if (i < 0) throw new InputError('plane', `"${plane}" not in ${this.planes.join(', ')}`);
    return i;
  }

  /** Per-frequency mean on the half grid. */
  meanHalf(plane = 'y', q: Quantity = 'amp'): Float64Array { return this.acc[this.planeIndex(plane)][q === 'amp' ? 0 : 2].slice(); }

  /** Per-frequency population variance on the half grid. */
  varianceHalf(plane = 'y', q: Quantity = 'amp'): Float64Array {
    const m2 = this.acc[this.planeIndex(plane)][q === 'amp' ? 1 : 3], out = new Float64Array(m2.length);
    if (this.count === 0) return out.fill(NaN);
    for (let i = 0; i < m2.length; i++) out[i] = m2[i] / this.count;
    return out;
  }

  /** Full H×W map, fftshift-ed (DC at the centre), for display. */
  map(kind: 'mean' | 'variance', plane = 'y', q: Quantity = 'amp'): Float64Array {
    const half = kind === 'mean' ? this.meanHalf(plane, q) : this.varianceHalf(plane, q);
    return fftshift(expandHalfReal(half, this.height, this.width), this.height, this.width);
  }
}

/** Radial bin edges in cycles per pixel: width 1/max(H,W) from 0 past the corner frequency √0.5. */
export function radialEdges(H: number, W: number, binWidth = 1 / Math.max(H, W)): number[] {
  const n = Math.ceil(Math.SQRT1_2 / binWidth) + 1;
  return Array.from({ length: n + 1 }, (_, i) => i * binWidth);
}

/** Mean of a half-grid map over each radial bin, weighted by multiplicity in the full spectrum (= full-grid mean). */
export function radialProfile(halfValues: ArrayLike<number>, H: number, W: number, edges = radialEdges(H, W)): { edges: number[]; centers: number[]; values: number[]; counts: number[] } {
  const g = halfGridGeometry(H, W), nb = edges.length - 1, width = edges[1] - edges[0];
  const sum = new Float64Array(nb), cnt = new Float64Array(nb);
  for (let i = 0; i < g.radius.length; i++) {
    const b = Math.min(nb - 1, Math.floor(g.radius[i] / width));
    sum[b] += g.weight[i] * halfValues[i]; cnt[b] += g.weight[i];
  }
  let last = nb - 1; while (last > 0 && cnt[last] === 0) last--;
  const idx = Array.from({ length: last + 1 }, (_, b) => b);
  return {
    edges: edges.slice(0, last + 2),
    centers: idx.map((b) => (edges[b] + edges[b + 1]) / 2),
    values: idx.map((b) => (cnt[b] > 0 ? sum[b] / cnt[b] : NaN)), // NaN: no frequency falls in this bin
    counts: idx.map((b) => cnt[b]),
  };
}

/** Mean over orientation bins of θ = atan2(fy, fx) folded to [0, π) (DC excluded). */
export function angularProfile(halfValues: ArrayLike<number>, H: number, W: number, bins = 12): { edgesRad: number[]; values: number[] } {
  const g = halfGridGeometry(H, W), sum = new Float64Array(bins), cnt = new Float64Array(bins);
  for (let i = 1; i < g.radius.length; i++) {
    let t = Math.atan2(g.fy[i], g.fx[i]); if (t < 0) t += Math.PI; if (t >= Math.PI) t -= Math.PI;
    const b = Math.min(bins - 1, Math.floor(t / Math.PI * bins));
    sum[b] += g.weight[i] * halfValues[i]; cnt[b] += g.weight[i];
  }
  return { edgesRad: Array.from({ length: bins + 1 }, (_, i) => i * Math.PI / bins), values: Array.from(sum, (s, b) => s / cnt[b]) };
}

/** Radial profiles of mean and variance for every plane and quantity (what `handgap spectrum` writes). */
export function summarize(stats: SpectrumStats, angularBins = 12) {
  const H = stats.height, W = stats.width, edges = radialEdges(H, W);
  const planes: Record<string, Record<Quantity, { mean: number[]; variance: number[]; angularVariance: number[] }>> = {};
  let centers: number[] = [], usedEdges: number[] = [];
  for (const p of stats.planes) {
    planes[p] = {} as Record<Quantity, { mean: number[]; variance: number[]; angularVariance: number[] }>;
    for (const q of ['amp', 'logamp'] as Quantity[]) {
      const m = radialProfile(stats.meanHalf(p, q), H, W, edges), v = radialProfile(stats.varianceHalf(p, q), H, W, edges);
      centers = m.centers; usedEdges = m.edges;
      planes[p][q] = { mean: m.values, variance: v.values, angularVariance: angularProfile(stats.varianceHalf(p, q), H, W, angularBins).values };
    }
  }
  return { height: H, width: W, count: stats.count, radialUnit: 'cycles/pixel', radialEdges: usedEdges, radialCenters: centers, angularEdgesRad: angularProfile(new Float64Array(H * ((W >> 1) + 1)), H, W, angularBins).edgesRad, planes };
}

/** Per-frequency variance (ddof 0) of a list of half-grid amplitude maps, with optional integer weights (bootstrap counts). */
function varianceOf(samples: ArrayLike<number>[], weights: Uint32Array | null): Float64Array {
  const n = samples[0].length, s1 = new Float64Array(n), s2 = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < samples.length; k++) {
    const w = weights ? weights[k] : 1; if (w === 0) continue; total += w;
    const x = samples[k];
    for (let i = 0; i < n; i++) { const v = x[i]; s1[i] += w * v; s2[i] += w * v * v; }
  }
  for (let i = 0; i < n; i++) { const m = s1[i] / total; s1[i] = Math.max(0, s2[i] / total - m * m); }
  return s1;
}

/**
 * Geometric mean of per-bin variance ratios over the bins other than DC: exp(mean_b log(vA_b / vB_b)).
 * With `centers` and a [lo, hi) band in cycles/pixel, only bins whose centre lies in the band count.
 */
export function varianceRatioScalar(ratios: number[], centers?: number[], band?: [number, number]): number {
  const r = ratios.map((x, i) => ({ x, i })).filter(({ x, i }) => i > 0 && Number.isFinite(x) && x > 0 && (!band || !centers || (centers[i] >= band[0] && centers[i] < band[1]))).map(({ x }) => x);
  return Math.exp(r.reduce((s, x) => s + Math.log(x), 0) / r.length);
}

/** Frequency bands (cycles/pixel) for the per-band summaries: low, mid, high (up to Nyquist) and corner (diagonal only). */
export const RATIO_BANDS: Record<string, [number, number]> = { low: [0, 0.125], mid: [0.125, 0.25], high: [0.25, 0.5], corner: [0.5, 1] };

/**
 * Bins the overall scalar averages: centres up to Nyquist (0.5 cycles/pixel). Beyond it only the diagonal corner
 * of the square grid remains (about 30% of the radial bins but few frequencies); it is reported as its own band.
 */
const SCALAR_BAND: [number, number] = [0, 0.5];

export interface SpectrumComparison {
  plane: string; quantity: Quantity;
  radialCenters: number[]; radialEdges: number[];
  /** Always 'candidate ÷ reference' (e.g. synthetic ÷ real): the direction of every ratio here. */
  ratio: 'candidate ÷ reference';
  /** variance(candidate) / variance(reference) per radial bin (bin 0 is DC) */
  varianceRatio: number[];
  /** geometric mean of varianceRatio over the non-DC bins up to Nyquist (SCALAR_BAND), with a percentile bootstrap interval over images */
  scalar: number; interval: [number, number] | null;
  /** the same geometric mean restricted to the RATIO_BANDS, with bootstrap intervals when computed */
  bands: Record<string, { range: [number, number]; scalar: number; interval: [number, number] | null }>;
  /** per radial bin, the 95% percentile bootstrap interval of varianceRatio (the same resamples of images as `interval`) */
  ratioInterval: { lo: number[]; hi: number[] } | null;
  bootstrap: { replicates: number; seed: number; imagesReference: number; imagesCandidate: number } | null;
}

/** A set's statistics and, for the bootstrap interval, the per-image luminance amplitudes kept for it. */
export interface ComparedSet { stats: SpectrumStats; samples?: ArrayLike<number>[] }

/**
 * Compare a candidate set (e.g. synthetic) with a reference set (e.g. real): per radial bin the ratio of
 * per-frequency amplitude variances, candidate ÷ reference, and its geometric mean up to Nyquist. The interval
 * resamples images (with replacement) from the per-image luminance amplitudes kept for each set, `replicates` times.
 */
export function compareSpectra(sets: { reference: ComparedSet; candidate: ComparedSet }, opts: { plane?: string; quantity?: Quantity; replicates?: number; seed?: number } = {}): SpectrumComparison {
  // a: the numerator (candidate), b: the denominator (reference)
  const a = sets.candidate.stats, b = sets.reference.stats;
  if (a.height !== b.height || a.width !== b.width) throw new InputError('compare', `image sizes differ: candidate ${a.height}x${a.width}, reference ${b.height}x${b.width}`);
  const plane = opts.plane ?? 'y', q = opts.quantity ?? 'amp', H = a.height, W = a.width, edges = radialEdges(H, W);
  const va = radialProfile(a.varianceHalf(plane, q), H, W, edges), vb = radialProfile(b.varianceHalf(plane, q), H, W, edges);
  const ratio = va.values.map((x, i) => x / vb.values[i]);
  const scalar = varianceRatioScalar(ratio, va.centers, SCALAR_BAND);
  const bandNames = Object.keys(RATIO_BANDS);
  const bands: SpectrumComparison['bands'] = {};
  for (const b of bandNames) bands[b] = { range: RATIO_BANDS[b], scalar: varianceRatioScalar(ratio, va.centers, RATIO_BANDS[b]), interval: null };
  let interval: [number, number] | null = null, bootstrap: SpectrumComparison['bootstrap'] = null, ratioInterval: SpectrumComparison['ratioInterval'] = null;
  const sa = sets.candidate.samples, sb = sets.reference.samples, B = opts.replicates ?? 100, seed = opts.seed ?? 0;
  if (sa && sb && sa.length > 1 && sb.length > 1 && B > 0 && q === 'amp' && plane === 'y') {
    const rng = Rng.derive(seed, 'spectrum-bootstrap');
    const draws: number[] = [], bandDraws: Record<string, number[]> = Object.fromEntries(bandNames.map((b) => [b, []]));
    const binDraws: number[][] = ratio.map(() => []);
    const counts = (n: number): Uint32Array => { const c = new Uint32Array(n); for (let i = 0; i < n; i++) c[rng.int(0, n)]++; return c; };
    for (let r = 0; r < B; r++) {
      const pa = radialProfile(varianceOf(sa, counts(sa.length)), H, W, edges).values;
      const pb = radialProfile(varianceOf(sb, counts(sb.length)), H, W, edges).values;
      const rr = pa.map((x, i) => x / pb[i]);
      rr.forEach((v, i) => binDraws[i].push(v));
      draws.push(varianceRatioScalar(rr, va.centers, SCALAR_BAND));
      for (const b of bandNames) bandDraws[b].push(varianceRatioScalar(rr, va.centers, RATIO_BANDS[b]));
    }
    const pctOf = (d: number[]): [number, number] => {
      d.sort((x, y) => x - y);
      const at = (p: number) => d[Math.min(B - 1, Math.max(0, Math.round(p * (B - 1))))];
      return [at(0.025), at(0.975)];
    };
    interval = pctOf(draws);
    for (const b of bandNames) bands[b].interval = pctOf(bandDraws[b]);
    const perBin = binDraws.map(pctOf);
    ratioInterval = { lo: perBin.map((p) => p[0]), hi: perBin.map((p) => p[1]) };
    bootstrap = { replicates: B, seed, imagesReference: sb.length, imagesCandidate: sa.length };
  }
  return { plane, quantity: q, ratio: 'candidate ÷ reference', radialCenters: va.centers, radialEdges: va.edges, varianceRatio: ratio, scalar, interval, bands, ratioInterval, bootstrap };
}
