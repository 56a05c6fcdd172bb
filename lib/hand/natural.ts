/**
 * Natural hand poses (pure, seeded): a sampler inside anatomical limits without hyperextension, and a
 * self-penetration check between fingers.
 *
 * Sampler: the five finger states (extended, half-curled, curled) are drawn as a whole from the patterns
 * real hands show (REAL_FINGER_PATTERNS, measured on hgc-dev and the Leap recordings: mostly open hands and
 * counting gestures), and each finger's curl c uniformly within its state's range. Within a finger the
 * joints are coupled as in real hands: MCP ≈ 85°·c, PIP ≈ 100°·c, DIP ≈ ⅔ PIP (each with a few degrees of
 * noise); every flexion is ≥ 0 (no hyperextension). Fingers spread when open (abduction scaled by
 * 1 − curl). The thumb draws CMC flexion/abduction/twist in moderate ranges and MCP/IP flexion ≥ 0.
 * Everything is finally clamped to lib/hand/model.ts's limits.
 *
 * Self-penetration: each phalanx is a capsule whose radius is the median distance of the skin vertices
 * skinned to it from its bone (measured on the asset mesh); the depth between two fingers is
 * r_a + r_b − (distance of their bone segments). A pose is rejected when two fingers (or the thumb and a
 * finger) overlap by more than `maxDepth` (2 mm).
 */
import { Rng } from '../util/rng.ts';
import { DOFS, N_DOF, DOF_MIN, DOF_MAX } from './model.ts';
import type { SkinnedMesh } from './gltf.ts';
import { dominantJoints } from './skinning.ts';
import type { FingerState } from './stats.ts';

const DEG = Math.PI / 180;
const dof = (name: string) => { const i = DOFS.findIndex((d) => d.name === name); if (i < 0) throw new Error(`no DOF ${name}`); return i; };
const FINGERS = ['index', 'middle', 'ring', 'little'] as const;
/** Abduction of each finger when fully spread (deg; positive turns toward the little finger). */
const SPREAD = { index: -14, middle: -2, ring: 7, little: 16 };

/**
 * Finger-state patterns of real hands (thumb, index, middle, ring, little; states of `fingerStates` in
 * lib/hand/stats.ts: E extended, m half-curled, C curled) with their shares in percent. Measured on hgc-dev
 * (300 frames of counting gestures) and the Leap recordings (8,592 frames of free hand motion) pooled half
 * and half; patterns with ≥ 1 % kept (92 % of the pooled mass) and renormalised. test/hand/natural.test.ts
 * measures them again when the real sets are present. (hgc-dev alone: 18 % open hands, 9 % with three or
 * more half-curled fingers; Leap: 70 % open.)
 */
export const REAL_FINGER_PATTERNS: readonly (readonly [string, number])[] = [
  ['EEEEE', 48.2], ['Emmmm', 6.3], ['EmEEE', 6.2], ['CECCC', 5.6], ['CEECC', 5.6], ['mECCE', 4.7], ['mCCCC', 3.9], ['EECCC', 3.9],
  ['CEECE', 3.1], ['mEECE', 3.1], ['EmmmE', 2.4], ['ECCCC', 2.3], ['mEEEE', 2.1], ['mmEEE', 1.4], ['EEmmm', 1.2],
];
/** Curl ranges per state (c: 0 straight, 1 fully curled), inside `fingerStates`' thresholds with a margin. */
const FINGER_CURL: Record<FingerState, [number, number]> = { E: [0, 0.2], m: [0.38, 0.58], C: [0.75, 1] };
const THUMB_CURL: Record<FingerState, [number, number]> = { E: [0, 0.25], m: [0.42, 0.62], C: [0.85, 1] };
const PATTERN_TOTAL = REAL_FINGER_PATTERNS.reduce((s, [, w]) => s + w, 0);
function pickPattern(u: number): string {
  let acc = 0;
  for (const [p, w] of REAL_FINGER_PATTERNS) { acc += w / PATTERN_TOTAL; if (u < acc) return p; }
  return REAL_FINGER_PATTERNS[REAL_FINGER_PATTERNS.length - 1][0];
}

/**
 * One natural pose: N_DOF angles (radians, DOFS order). `grasp`: a hand about to hold an object — fingers
 * half curled together and the thumb opposed (CMC flexed, abducted away from the index and twisted).
 */
export function sampleNaturalAngles(rng: Rng, opts: { grasp?: boolean } = {}): number[] {
  if (opts.grasp) return graspAngles(rng);
  const a = new Array(N_DOF).fill(0);
  const pattern = pickPattern(rng.random());
  const curl: Record<string, number> = {};
  ['thumb', ...FINGERS].forEach((f, k) => {
    const [lo, hi] = (f === 'thumb' ? THUMB_CURL : FINGER_CURL)[pattern[k] as FingerState];
    curl[f] = rng.uniform(lo, hi);
  });
  const spread = rng.uniform(0, 1);
  for (const f of FINGERS) {
    const c = curl[f];
    a[dof(`${f}_mcp_flex`)] = Math.max(0, 85 * c + rng.normal(0, 7)) * DEG;
    const pip = Math.max(0, 100 * c + rng.normal(0, 8));
    a[dof(`${f}_pip_flex`)] = pip * DEG;
    a[dof(`${f}_dip_flex`)] = Math.max(0, (2 / 3) * pip + rng.normal(0, 6)) * DEG;
    a[dof(`${f}_mcp_abd`)] = (SPREAD[f] * spread * (1 - c) + rng.normal(0, 3)) * DEG;
  }
  a[dof('ring_cmc_flex')] = rng.uniform(0, 10) * curl.ring * DEG;
  a[dof('little_cmc_flex')] = rng.uniform(0, 15) * curl.little * DEG;
  const t = curl.thumb;
  a[dof('thumb_cmc_flex')] = (rng.uniform(-15, 10) + 25 * t) * DEG;
  a[dof('thumb_cmc_abd')] = rng.uniform(-30, 10) * DEG; // toward the little finger beyond ~10° the thumb enters the index
  a[dof('thumb_cmc_twist')] = rng.uniform(-15, 15) * DEG;
  a[dof('thumb_mcp_flex')] = Math.max(0, 50 * t + rng.normal(0, 8)) * DEG;
  a[dof('thumb_mcp_abd')] = rng.normal(0, 4) * DEG;
  a[dof('thumb_ip_flex')] = Math.max(0, 60 * t + rng.normal(0, 10)) * DEG;
  return a.map((v, i) => Math.min(DOF_MAX[i], Math.max(DOF_MIN[i], v)));
}

function graspAngles(rng: Rng): number[] {
  const a = new Array(N_DOF).fill(0);
  const base = rng.uniform(0.2, 0.6);
  for (const f of FINGERS) {
    const c = clamp01(base + rng.normal(0, 0.06));
    a[dof(`${f}_mcp_flex`)] = Math.max(0, 85 * c + rng.normal(0, 5)) * DEG;
    const pip = Math.max(0, 100 * c + rng.normal(0, 6));
    a[dof(`${f}_pip_flex`)] = pip * DEG;
    a[dof(`${f}_dip_flex`)] = Math.max(0, (2 / 3) * pip + rng.normal(0, 5)) * DEG;
    a[dof(`${f}_mcp_abd`)] = (SPREAD[f] * 0.2 + rng.normal(0, 2)) * DEG;
  }
  a[dof('ring_cmc_flex')] = rng.uniform(0, 10) * DEG;
  a[dof('little_cmc_flex')] = rng.uniform(0, 15) * DEG;
  a[dof('thumb_cmc_flex')] = rng.uniform(5, 30) * DEG;
  a[dof('thumb_cmc_abd')] = rng.uniform(-35, -10) * DEG;
  a[dof('thumb_cmc_twist')] = rng.uniform(-45, 0) * DEG;
  a[dof('thumb_mcp_flex')] = rng.uniform(0, 30) * DEG;
  a[dof('thumb_mcp_abd')] = rng.normal(0, 4) * DEG;
  a[dof('thumb_ip_flex')] = rng.uniform(0, 40) * DEG;
  return a.map((v, i) => Math.min(DOF_MAX[i], Math.max(DOF_MIN[i], v)));
}

function clamp01(x: number): number { return Math.min(1, Math.max(0, x)); }

/** Phalanx bones per finger as [head, end] 25-joint pairs (the thumb metacarpal lies in the thenar mass, not a capsule). */
export const FINGER_BONES25: readonly (readonly [number, number])[][] = [
  [[2, 3], [3, 4]],
  [[6, 7], [7, 8], [8, 9]],
  [[11, 12], [12, 13], [13, 14]],
  [[16, 17], [17, 18], [18, 19]],
  [[21, 22], [22, 23], [23, 24]],
];

/** Capsule radius of every bone in FINGER_BONES25 (metres, rest mesh): median distance of its skin vertices to the bone. */
export function fingerRadii(mesh: SkinnedMesh, rest25: ArrayLike<number>): number[][] {
  const V = mesh.positions.length / 3;
  const dominant = dominantJoints(mesh);
  const p = (j: number) => [rest25[j * 3], rest25[j * 3 + 1], rest25[j * 3 + 2]];
  return FINGER_BONES25.map((bones) => bones.map(([h, e]) => {
    const d: number[] = [];
    for (let v = 0; v < V; v++) if (dominant[v] === h) d.push(pointSegment([mesh.positions[v * 3], mesh.positions[v * 3 + 1], mesh.positions[v * 3 + 2]], p(h), p(e)));
    if (!d.length) throw new Error(`no skin vertex on bone ${h}→${e}`);
    d.sort((x, y) => x - y);
    return d[d.length >> 1];
  }));
}

/**
 * Deepest overlap (metres; negative = the closest fingers are apart) between the capsules of two different
 * fingers, for joints25 (25×3 flat) of a hand whose rest mesh was scaled by `scale`.
 */
export function fingerPenetration(joints25: ArrayLike<number>, radii: number[][], scale = 1): { depth: number; fingers: [number, number] } {
  const p = (j: number) => [joints25[j * 3], joints25[j * 3 + 1], joints25[j * 3 + 2]];
  let depth = -Infinity, pair: [number, number] = [0, 0];
  for (let fa = 0; fa < 5; fa++) for (let fb = fa + 1; fb < 5; fb++) {
    FINGER_BONES25[fa].forEach(([ha, ea], ia) => FINGER_BONES25[fb].forEach(([hb, eb], ib) => {
      const d = (radii[fa][ia] + radii[fb][ib]) * scale - segmentSegment(p(ha), p(ea), p(hb), p(eb));
      if (d > depth) { depth = d; pair = [fa, fb]; }
    }));
  }
  return { depth, fingers: pair };
}

function pointSegment(x: number[], a: number[], b: number[]): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], ax = [x[0] - a[0], x[1] - a[1], x[2] - a[2]];
  const t = Math.min(1, Math.max(0, (ab[0] * ax[0] + ab[1] * ax[1] + ab[2] * ax[2]) / (ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2 || 1)));
  return Math.hypot(ax[0] - t * ab[0], ax[1] - t * ab[1], ax[2] - t * ab[2]);
}

/** Distance between segments p1q1 and p2q2 (Ericson, Real-Time Collision Detection 5.1.9). */
export function segmentSegment(p1: number[], q1: number[], p2: number[], q2: number[]): number {
  const d1 = [q1[0] - p1[0], q1[1] - p1[1], q1[2] - p1[2]], d2 = [q2[0] - p2[0], q2[1] - p2[1], q2[2] - p2[2]], r = [p1[0] - p2[0], p1[1] - p2[1], p1[2] - p2[2]];
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const a = dot(d1, d1), e = dot(d2, d2), f = dot(d2, r);
  let s: number, t: number;
  if (a <= 1e-15 && e <= 1e-15) { s = 0; t = 0; }
  else if (a <= 1e-15) { s = 0; t = Math.min(1, Math.max(0, f / e)); }
  else {
    const c = dot(d1, r);
    if (e <= 1e-15) { t = 0; s = Math.min(1, Math.max(0, -c / a)); }
    else {
      const b = dot(d1, d2), den = a * e - b * b;
      s = den > 1e-15 ? Math.min(1, Math.max(0, (b * f - c * e) / den)) : 0;
      t = (b * s + f) / e;
      if (t < 0) { t = 0; s = Math.min(1, Math.max(0, -c / a)); }
      else if (t > 1) { t = 1; s = Math.min(1, Math.max(0, (b - c) / a)); }
    }
  }
  const c1 = [p1[0] + d1[0] * s, p1[1] + d1[1] * s, p1[2] + d1[2] * s], c2 = [p2[0] + d2[0] * t, p2[1] + d2[1] * t, p2[2] + d2[2] * t];
  return Math.hypot(c1[0] - c2[0], c1[1] - c2[1], c1[2] - c2[2]);
}
