/**
 * Pose-set statistics (pure). All functions take N×21×3 flat joint arrays in metres (canonical
 * order) and a per-pose handedness; left hands are mirrored to right hands first.
 *
 * Alignment ("aligned root-relative"): each pose is translated so the wrist is at the origin and
 * rotated into its own palm frame (y: wrist → middle MCP; z: normal of the wrist/index-MCP/little-MCP
 * plane; x = y × z), removing global rotation but keeping size and articulation.
 */
import { Rng } from '../util/rng.ts';
import { cross, dot, normalize, sub, type Vec3 } from './math3.ts';

export type Hand = 'left' | 'right';

/**
 * Aligned root-relative poses (N×63 flat), see module doc. With `normalizeTo` (metres), each pose is
 * also scaled so its wrist → middle-MCP distance equals that length (removes hand size).
 */
export function alignPoses(joints: Float64Array, handedness?: readonly Hand[], normalizeTo?: number): Float64Array {
  const n = joints.length / 63;
  const out = new Float64Array(n * 63);
  for (let i = 0; i < n; i++) {
    const o = i * 63, sx = handedness?.[i] === 'left' ? -1 : 1;
    const P = (j: number): Vec3 => [sx * joints[o + j * 3], joints[o + j * 3 + 1], joints[o + j * 3 + 2]];
    const w = P(0);
    const y = normalize(sub(P(9), w));
    const zRaw = cross(sub(P(5), w), sub(P(17), w));
    const z = normalize(sub(zRaw, [y[0] * dot(zRaw, y), y[1] * dot(zRaw, y), y[2] * dot(zRaw, y)]));
    const x = cross(y, z);
    const k = normalizeTo ? normalizeTo / Math.hypot(...sub(P(9), w)) : 1;
    for (let j = 0; j < 21; j++) {
      const d = sub(P(j), w);
      out[o + j * 3] = k * dot(d, x); out[o + j * 3 + 1] = k * dot(d, y); out[o + j * 3 + 2] = k * dot(d, z);
    }
  }
  return out;
}

/** Names of the model-free joint angles computed by `jointAngles`. */
export const ANGLE_NAMES: readonly string[] = [
  ...['thumb', 'index', 'middle', 'ring', 'little'].flatMap((f) => f === 'thumb' ? ['thumb_cmc', 'thumb_mcp', 'thumb_ip'].map((s) => `${s}_bend`) : [`${f}_mcp_bend`, `${f}_pip_bend`, `${f}_dip_bend`]),
  'thumb_index_spread', 'index_middle_spread', 'middle_ring_spread', 'ring_little_spread',
];

const FINGER_CHAINS = [[0, 1, 2, 3, 4], [0, 5, 6, 7, 8], [0, 9, 10, 11, 12], [0, 13, 14, 15, 16], [0, 17, 18, 19, 20]];

/**
 * Model-free joint angles per pose (N×19 flat, radians): the bend at each finger joint (angle between
 * consecutive bones: 0 = straight) and the spread between adjacent fingers' proximal bones.
 */
export function jointAngles(joints: Float64Array): Float64Array {
  const n = joints.length / 63, A = ANGLE_NAMES.length;
  const out = new Float64Array(n * A);
  const angle = (u: Vec3, v: Vec3) => Math.acos(Math.max(-1, Math.min(1, dot(u, v) / (Math.hypot(...u) * Math.hypot(...v) || 1))));
  for (let i = 0; i < n; i++) {
    const o = i * 63;
    const P = (j: number): Vec3 => [joints[o + j * 3], joints[o + j * 3 + 1], joints[o + j * 3 + 2]];
    let k = 0;
    for (const ch of FINGER_CHAINS) for (let b = 1; b <= 3; b++) out[i * A + k++] = angle(sub(P(ch[b]), P(ch[b - 1])), sub(P(ch[b + 1]), P(ch[b])));
    for (let f = 0; f < 4; f++) {
      const a = FINGER_CHAINS[f], b = FINGER_CHAINS[f + 1];
      const ia = f === 0 ? 2 : 1; // thumb: its MCP→IP bone
      out[i * A + k++] = angle(sub(P(a[ia + 1]), P(a[ia])), sub(P(b[2]), P(b[1])));
    }
  }
  return out;
}

/** A finger's state: 'E' extended, 'C' curled, 'm' half-curled (in between). */
export type FingerState = 'E' | 'C' | 'm';

/**
 * Finger states per pose (thumb, index, middle, ring, little), from the model-free bends of `jointAngles`:
 * a finger is extended when its MCP + PIP bend is below 60° and curled above 120°; the thumb when its
 * MCP + IP bend is below 40° and above 80°. A pose's pattern is the five states, e.g. 'CEECC' (a "2").
 */
export function fingerStates(joints: Float64Array): string[] {
  const A = ANGLE_NAMES.length, angles = jointAngles(joints);
  const col = (name: string) => ANGLE_NAMES.indexOf(name);
  const cols = [['thumb_mcp_bend', 'thumb_ip_bend'], ...['index', 'middle', 'ring', 'little'].map((f) => [`${f}_mcp_bend`, `${f}_pip_bend`])].map((c) => c.map(col));
  const limits = [[40, 80], [60, 120], [60, 120], [60, 120], [60, 120]];
  return Array.from({ length: angles.length / A }, (_, i) => cols.map(([a, b], f) => {
    const deg = (angles[i * A + a] + angles[i * A + b]) * 180 / Math.PI;
    return deg < limits[f][0] ? 'E' : deg > limits[f][1] ? 'C' : 'm';
  }).join(''));
}

/** Share of each finger-state pattern (`fingerStates`) in a pose set, largest first. */
export function fingerPatternShares(joints: Float64Array): [string, number][] {
  const states = fingerStates(joints), counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()].map(([k, c]): [string, number] => [k, c / states.length]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export interface AngleDistribution { name: string; meanA: number; stdA: number; meanB: number; stdB: number; /** 1-D Wasserstein-1 distance (radians) */ w1: number; histA: number[]; histB: number[]; edges: number[] }

function sortedColumn(m: Float64Array, cols: number, c: number): Float64Array { const n = m.length / cols; return Float64Array.from({ length: n }, (_, i) => m[i * cols + c]).sort(); }

/** 1-D Wasserstein-1 distance between two samples (quantile matching on a common grid). */
export function wasserstein1(a: Float64Array, b: Float64Array): number {
  const sa = Float64Array.from(a).sort(), sb = Float64Array.from(b).sort();
  const m = Math.max(sa.length, sb.length, 200);
  let s = 0;
  for (let i = 0; i < m; i++) {
    const q = (i + 0.5) / m;
    s += Math.abs(sa[Math.min(sa.length - 1, Math.floor(q * sa.length))] - sb[Math.min(sb.length - 1, Math.floor(q * sb.length))]);
  }
  return s / m;
}

/** Per-angle distributions of two sets (angles from `jointAngles`), with histograms on shared edges (degrees). */
export function angleDistributions(anglesA: Float64Array, anglesB: Float64Array, bins = 18): AngleDistribution[] {
  const A = ANGLE_NAMES.length;
  return ANGLE_NAMES.map((name, c) => {
    const a = sortedColumn(anglesA, A, c), b = sortedColumn(anglesB, A, c);
    const ms = (x: Float64Array) => { let m = 0; for (const v of x) m += v; m /= x.length; let s = 0; for (const v of x) s += (v - m) ** 2; return [m, Math.sqrt(s / Math.max(1, x.length - 1))]; };
    const [meanA, stdA] = ms(a), [meanB, stdB] = ms(b);
    const edges = Array.from({ length: bins + 1 }, (_, i) => (i * 180) / bins);
    const hist = (x: Float64Array) => { const h = new Array(bins).fill(0); for (const v of x) h[Math.min(bins - 1, Math.floor((v * 180 / Math.PI) / (180 / bins)))] += 1 / x.length; return h; };
    return { name, meanA, stdA, meanB, stdB, w1: wasserstein1(a, b), histA: hist(a), histB: hist(b), edges };
  });
}

/**
 * Nearest-neighbour distance of each pose of B to set A: mean per-joint distance (metres) between
 * aligned poses. Inputs are ALIGNED N×63 arrays (see alignPoses).
 */
export function nearestDistances(alignedA: Float64Array, alignedB: Float64Array): Float64Array {
  const nA = alignedA.length / 63, nB = alignedB.length / 63;
  const out = new Float64Array(nB);
  for (let b = 0; b < nB; b++) {
    let best = Infinity;
    const ob = b * 63;
    for (let a = 0; a < nA; a++) {
      const oa = a * 63;
      let s = 0;
      for (let j = 0; j < 21 && s < best * 21; j++) {
        const dx = alignedA[oa + j * 3] - alignedB[ob + j * 3], dy = alignedA[oa + j * 3 + 1] - alignedB[ob + j * 3 + 1], dz = alignedA[oa + j * 3 + 2] - alignedB[ob + j * 3 + 2];
        s += Math.sqrt(dx * dx + dy * dy + dz * dz);
      }
      if (s / 21 < best) best = s / 21;
    }
    out[b] = best;
  }
  return out;
}

/** Coverage: fraction of B's poses within distance d (metres, mean per-joint, aligned) of some pose of A, for each d. */
export function coverage(alignedA: Float64Array, alignedB: Float64Array, thresholds: readonly number[]): { threshold: number; fraction: number }[] {
  const nn = nearestDistances(alignedA, alignedB);
  return thresholds.map((t) => ({ threshold: t, fraction: nn.reduce((c, v) => c + (v <= t ? 1 : 0), 0) / nn.length }));
}

/**
 * Squared maximum mean discrepancy (biased V-statistic, so identical sets give exactly 0) with a
 * Gaussian kernel on ALIGNED poses (N×63 flat, metres). `sigma` (metres, on the 63-vector) defaults
 * to the median pairwise distance of the pooled sample. Sets larger than `maxPoses` are subsampled
 * with a seeded choice.
 */
export function mmd2(alignedA: Float64Array, alignedB: Float64Array, opts: { sigma?: number; maxPoses?: number; seed?: number } = {}): { mmd2: number; sigma: number; nA: number; nB: number } {
  const maxN = opts.maxPoses ?? 1500, seed = opts.seed ?? 0;
  const sub = (x: Float64Array, tag: string) => {
    const n = x.length / 63;
    if (n <= maxN) return x;
    const idx = Rng.derive(seed, 'mmd', tag).permutation(n).slice(0, maxN).sort((p, q) => p - q);
    const out = new Float64Array(maxN * 63);
    idx.forEach((s, i) => out.set(x.subarray(s * 63, s * 63 + 63), i * 63));
    return out;
  };
  const a = sub(alignedA, 'A'), b = sub(alignedB, 'B');
  const nA = a.length / 63, nB = b.length / 63;
  const d2 = (x: Float64Array, i: number, y: Float64Array, j: number) => { let s = 0; for (let k = 0; k < 63; k++) { const d = x[i * 63 + k] - y[j * 63 + k]; s += d * d; } return s; };
  let sigma = opts.sigma ?? 0;
  if (!sigma) {
    const rng = Rng.derive(seed, 'mmd-sigma');
    const ds: number[] = [];
    for (let t = 0; t < 2000; t++) {
      const pickA = rng.random() < 0.5, pickB = rng.random() < 0.5;
      const x = pickA ? a : b, y = pickB ? a : b;
      ds.push(Math.sqrt(d2(x, rng.int(0, x.length / 63), y, rng.int(0, y.length / 63))));
    }
    ds.sort((p, q) => p - q);
    sigma = ds[ds.length >> 1] || 1e-3;
  }
  const g = 1 / (2 * sigma * sigma);
  const meanK = (x: Float64Array, nx: number, y: Float64Array, ny: number) => {
    let s = 0;
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) s += Math.exp(-g * d2(x, i, y, j));
    return s / (nx * ny);
  };
  const v = meanK(a, nA, a, nA) + meanK(b, nB, b, nB) - 2 * meanK(a, nA, b, nB);
  return { mmd2: Math.max(0, v), sigma, nA, nB };
}

export interface PoseSetComparison {
  countA: number; countB: number;
  angles: AngleDistribution[];
  /** Fraction of B within d of A (d in metres, mean per-joint distance, aligned root-relative). */
  coverage: { threshold: number; fraction: number }[];
  /** Median nearest-neighbour distance of B to A (metres). */
  medianNearest: number;
  mmd: { mmd2: number; sigma: number; nA: number; nB: number };
}

/**
 * Everything the gap report needs about two pose sets (N×63 flat metres + per-pose handedness):
 * per-angle distributions, coverage of B by A at `thresholds` (metres; default 5, 10, 15, 20 mm) and
 * the MMD on aligned root-relative joints. Seeded where it subsamples. `normalizeTo` (e.g. 0.09 m)
 * scales every pose to a common wrist → middle-MCP length first, so hand size does not count.
 */
export function comparePoseSets(jointsA: Float64Array, handA: readonly Hand[], jointsB: Float64Array, handB: readonly Hand[], opts: { thresholds?: number[]; seed?: number; maxPoses?: number; /** metres: remove hand size (see alignPoses) */ normalizeTo?: number } = {}): PoseSetComparison {
  const mirror = (j: Float64Array, h: readonly Hand[]) => Float64Array.from(j, (v, k) => (k % 3 === 0 && h[Math.floor(k / 63)] === 'left' ? -v : v));
  const alA = alignPoses(jointsA, handA, opts.normalizeTo), alB = alignPoses(jointsB, handB, opts.normalizeTo);
  const nn = nearestDistances(alA, alB);
  const thresholds = opts.thresholds ?? [0.005, 0.01, 0.015, 0.02];
  const sorted = Float64Array.from(nn).sort();
  return {
    countA: jointsA.length / 63, countB: jointsB.length / 63,
    angles: angleDistributions(jointAngles(mirror(jointsA, handA)), jointAngles(mirror(jointsB, handB))),
    coverage: thresholds.map((t) => ({ threshold: t, fraction: nn.reduce((c, v) => c + (v <= t ? 1 : 0), 0) / nn.length })),
    medianNearest: sorted[sorted.length >> 1],
    mmd: mmd2(alA, alB, { seed: opts.seed ?? 0, maxPoses: opts.maxPoses }),
  };
}

/**
 * Chirality score per pose (N, unitless sign test): with the palm normal n = (index MCP − wrist) ×
 * (little MCP − wrist), the sum over the four fingers of the component along n of each finger's bend
 * (tip − PIP, minus its part along the proximal bone). Positive for right hands in the canonical order
 * (fingers flex toward the palm), negative for left hands; near zero for flat hands.
 */
export function chiralityScores(joints: Float64Array): Float64Array {
  const n = joints.length / 63, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 63;
    const P = (j: number): Vec3 => [joints[o + j * 3], joints[o + j * 3 + 1], joints[o + j * 3 + 2]];
    const w = P(0), nn = cross(sub(P(5), w), sub(P(17), w));
    let s = 0;
    for (const m of [5, 9, 13, 17]) {
      const pip = P(m + 1), bone = sub(pip, P(m)), tv = sub(P(m + 3), pip);
      const k = dot(tv, bone) / dot(bone, bone);
      s += dot(nn, [tv[0] - k * bone[0], tv[1] - k * bone[1], tv[2] - k * bone[2]]);
    }
    out[i] = s;
  }
  return out;
}
