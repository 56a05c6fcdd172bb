/**
 * The parametric hand (pure math): shape (rest joint positions + bone frames) and pose (anatomical
 * joint angles with limits, plus an optional global rotation/translation) → 25 joint positions,
 * from which the 21 canonical joints are taken through MAP_25_TO_21.
 *
 * Kinematic convention (SMPL-style, all axes in the rest "hand frame"): the world rotation of the
 * bone leaving joint j is A[j] = A[parent(j)] · L[j], where the local rotation is
 *   L[j] = Rot(n_j, abduction) · Rot(f_j, flexion) · Rot(b_j, twist)
 * with b_j the rest bone direction (joint → child), n_j the palmar normal of that bone (⊥ b_j,
 * from the asset's bone frame: local −y), and f_j = b_j × n_j. Positive flexion turns the bone
 * toward the palm; for the right hand, positive abduction turns it toward the little-finger side.
 * Joint positions: p[c] = p[j] + A[j] · (rest[c] − rest[j]).
 */
import { JOINTS25, PARENTS25, MAP_25_TO_21 } from './skeleton.ts';
import { cross, dot, normalize, rotvecMatrix, sub, type Vec3 } from './math3.ts';

/** A hand shape: rest joints and per-joint bone frames, all in the hand frame. */
export interface HandShape {
  /** 25×3 rest joint positions, metres, hand frame, JOINTS25 order. */
  rest: Float64Array;
  /** 25×9 per joint: bone direction b (3), palmar normal n (3), flexion axis f = b×n (3). */
  axes: Float64Array;
  /** 25×3 dorsal hint each axes entry was built from (kept so shapes can be rebuilt). */
  dorsal: Float64Array;
}

/** First child of each 25-joint (−1 for tips). */
export const CHILD25: readonly number[] = JOINTS25.map((_, i) => PARENTS25.indexOf(i));

/** Build a shape from 25×3 rest positions and 25×3 dorsal hints (e.g. a glTF bone's local +y). */
export function makeShape(rest: ArrayLike<number>, dorsal: ArrayLike<number>): HandShape {
  const axes = new Float64Array(225);
  for (let j = 0; j < 25; j++) {
    // bone direction: toward the child; tips reuse their parent's bone, the wrist aims at the middle metacarpal base
    const a = CHILD25[j] >= 0 ? j : PARENTS25[j];
    const c = j === 0 ? 10 : CHILD25[a];
    const b = normalize(sub([rest[c * 3], rest[c * 3 + 1], rest[c * 3 + 2]], [rest[a * 3], rest[a * 3 + 1], rest[a * 3 + 2]]));
    const d: Vec3 = [dorsal[j * 3], dorsal[j * 3 + 1], dorsal[j * 3 + 2]];
    const dn = sub(d, [b[0] * dot(d, b), b[1] * dot(d, b), b[2] * dot(d, b)]);
    const n = normalize([-dn[0], -dn[1], -dn[2]]);
    const f = cross(b, n);
    axes.set([...b, ...n, ...f], j * 9);
  }
  return { rest: Float64Array.from(rest), axes, dorsal: Float64Array.from(dorsal) };
}

export type DofKind = 'flex' | 'abd' | 'twist';
export interface Dof { name: string; joint: number; kind: DofKind; /** limits in degrees */ min: number; max: number }

const d = (name: string, joint: number, kind: DofKind, min: number, max: number): Dof => ({ name, joint, kind, min, max });

/**
 * Anatomical degrees of freedom (radians in poses, degrees here) and their limits. Ranges follow
 * the usual clinical ranges, widened where the real poses of hgc-dev needed it (see docs/hand-model.md).
 * Finger MCPs: flexion + abduction; PIP, DIP: flexion only; thumb CMC: its own three axes;
 * thumb MCP: flexion + a little abduction; IP: flexion. Ring and little metacarpals flex a little
 * at their carpometacarpal joints (palm cupping).
 */
export const DOFS: readonly Dof[] = [
  d('thumb_cmc_flex', 1, 'flex', -45, 60), d('thumb_cmc_abd', 1, 'abd', -45, 45), d('thumb_cmc_twist', 1, 'twist', -60, 60),
  d('thumb_mcp_flex', 2, 'flex', -30, 90), d('thumb_mcp_abd', 2, 'abd', -20, 20), d('thumb_ip_flex', 3, 'flex', -40, 100),
  d('index_mcp_flex', 6, 'flex', -45, 100), d('index_mcp_abd', 6, 'abd', -35, 35), d('index_pip_flex', 7, 'flex', -15, 120), d('index_dip_flex', 8, 'flex', -30, 100),
  d('middle_mcp_flex', 11, 'flex', -45, 100), d('middle_mcp_abd', 11, 'abd', -35, 35), d('middle_pip_flex', 12, 'flex', -15, 120), d('middle_dip_flex', 13, 'flex', -30, 100),
  d('ring_cmc_flex', 15, 'flex', -10, 25), d('ring_mcp_flex', 16, 'flex', -45, 100), d('ring_mcp_abd', 16, 'abd', -35, 35), d('ring_pip_flex', 17, 'flex', -15, 120), d('ring_dip_flex', 18, 'flex', -30, 100),
  d('little_cmc_flex', 20, 'flex', -10, 30), d('little_mcp_flex', 21, 'flex', -45, 100), d('little_mcp_abd', 21, 'abd', -40, 40), d('little_pip_flex', 22, 'flex', -15, 120), d('little_dip_flex', 23, 'flex', -30, 100),
];
export const N_DOF = DOFS.length;
const DEG = Math.PI / 180;
/** Limits in radians, one pair per DOF. */
export const DOF_MIN = Float64Array.from(DOFS, (x) => x.min * DEG);
export const DOF_MAX = Float64Array.from(DOFS, (x) => x.max * DEG);

/** Per 25-joint: index of its flex / abd / twist DOF, or −1. */
const dofIndex = (kind: DofKind) => JOINTS25.map((_, j) => DOFS.findIndex((x) => x.joint === j && x.kind === kind));
const FLEX_OF = Int32Array.from(dofIndex('flex')), ABD_OF = Int32Array.from(dofIndex('abd')), TWIST_OF = Int32Array.from(dofIndex('twist'));

/** Global placement: p_camera = R(rotation) · (p_hand − rest wrist) + translation. Translation = wrist position. */
export interface GlobalTransform { /** rotation vector (axis × angle, radians) */ rotation: Vec3; /** metres */ translation: Vec3 }

export interface HandPose {
  /** N_DOF joint angles, radians, DOFS order. */
  angles: ArrayLike<number>;
  /** Absent: joints stay in the hand frame. */
  global?: GlobalTransform;
}

export function zeroAngles(): Float64Array { return new Float64Array(N_DOF); }

/** Clamp angles (radians, N_DOF) to DOF_MIN/DOF_MAX in place; returns the array. */
export function clampAngles(angles: Float64Array): Float64Array {
  for (let i = 0; i < N_DOF; i++) angles[i] = Math.min(DOF_MAX[i], Math.max(DOF_MIN[i], angles[i]));
  return angles;
}

/** Whether all angles lie within the limits (tolerance in radians). */
export function withinLimits(angles: ArrayLike<number>, tol = 1e-9): boolean {
  for (let i = 0; i < N_DOF; i++) if (angles[i] < DOF_MIN[i] - tol || angles[i] > DOF_MAX[i] + tol) return false;
  return true;
}

// local copies: imported bindings are getters under the tsx/CommonJS transforms, slow in hot loops
const PAR = Int32Array.from(PARENTS25), CHILD = Int32Array.from(CHILD25);
const LO = Float64Array.from(DOF_MIN), HI = Float64Array.from(DOF_MAX);
// scratch buffers (FK is synchronous, so sharing them is safe)
const A = new Float64Array(25 * 9);
const L = new Float64Array(9), M = new Float64Array(9);

function angleOf(angles: ArrayLike<number>, k: number, clamp: boolean): number {
  return clamp ? Math.min(HI[k], Math.max(LO[k], angles[k])) : angles[k];
}

/** out = Rot(axis at ax[o..o+3], angle) · B (B, out row-major 3×3; out must not alias B). */
function rotTimes(ax: Float64Array, o: number, angle: number, B: Float64Array, out: Float64Array): void {
  const x = ax[o], y = ax[o + 1], z = ax[o + 2];
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  const r0 = t * x * x + c, r1 = t * x * y - s * z, r2 = t * x * z + s * y;
  const r3 = t * x * y + s * z, r4 = t * y * y + c, r5 = t * y * z - s * x;
  const r6 = t * x * z - s * y, r7 = t * y * z + s * x, r8 = t * z * z + c;
  for (let k = 0; k < 3; k++) {
    const b0 = B[k], b1 = B[3 + k], b2 = B[6 + k];
    out[k] = r0 * b0 + r1 * b1 + r2 * b2;
    out[3 + k] = r3 * b0 + r4 * b1 + r5 * b2;
    out[6 + k] = r6 * b0 + r7 * b1 + r8 * b2;
  }
}

/**
 * Core FK into a flat buffer: `out` (75 numbers, 25×3 metres, from `outOffset`). `R` (row-major
 * 3×3) and `t` place the hand (p = R·(p_hand − rest wrist) + t); pass null for both to stay in the
 * hand frame. Angles are clamped to the limits unless `clamp` is false.
 */
export function fkInto(shape: HandShape, angles: ArrayLike<number>, R: ArrayLike<number> | null, t: ArrayLike<number> | null, out: Float64Array, clamp = true, outOffset = 0): Float64Array {
  const rest = shape.rest, ax = shape.axes;
  if (R) { for (let k = 0; k < 9; k++) A[k] = R[k]; } else { A.fill(0, 0, 9); A[0] = A[4] = A[8] = 1; }
  const o = outOffset;
  if (t) { out[o] = t[0]; out[o + 1] = t[1]; out[o + 2] = t[2]; } else if (R) { out[o] = 0; out[o + 1] = 0; out[o + 2] = 0; } else { out[o] = rest[0]; out[o + 1] = rest[1]; out[o + 2] = rest[2]; }
  for (let j = 1; j < 25; j++) {
    const p = PAR[j];
    // position from the parent's bone rotation
    const ox = rest[j * 3] - rest[p * 3], oy = rest[j * 3 + 1] - rest[p * 3 + 1], oz = rest[j * 3 + 2] - rest[p * 3 + 2];
    const Ap = p * 9;
    out[o + j * 3] = out[o + p * 3] + A[Ap] * ox + A[Ap + 1] * oy + A[Ap + 2] * oz;
    out[o + j * 3 + 1] = out[o + p * 3 + 1] + A[Ap + 3] * ox + A[Ap + 4] * oy + A[Ap + 5] * oz;
    out[o + j * 3 + 2] = out[o + p * 3 + 2] + A[Ap + 6] * ox + A[Ap + 7] * oy + A[Ap + 8] * oz;
    if (CHILD[j] < 0) continue;
    // this joint's own rotation L = Rot(n, abd) · Rot(f, flex) · Rot(b, twist), then A[j] = A[p] · L
    const fi = FLEX_OF[j], ai = ABD_OF[j], ti = TWIST_OF[j];
    const Aj = j * 9;
    if (fi < 0 && ai < 0 && ti < 0) { for (let k = 0; k < 9; k++) A[Aj + k] = A[Ap + k]; continue; }
    L.fill(0); L[0] = L[4] = L[8] = 1;
    let cur = L, nxt = M;
    let tmp: Float64Array;
    if (ti >= 0) { rotTimes(ax, j * 9, angleOf(angles, ti, clamp), cur, nxt); tmp = cur; cur = nxt; nxt = tmp; }
    if (fi >= 0) { rotTimes(ax, j * 9 + 6, angleOf(angles, fi, clamp), cur, nxt); tmp = cur; cur = nxt; nxt = tmp; }
    if (ai >= 0) { rotTimes(ax, j * 9 + 3, angleOf(angles, ai, clamp), cur, nxt); tmp = cur; cur = nxt; nxt = tmp; }
    for (let r = 0; r < 3; r++) {
      const a0 = A[Ap + r * 3], a1 = A[Ap + r * 3 + 1], a2 = A[Ap + r * 3 + 2];
      A[Aj + r * 3] = a0 * cur[0] + a1 * cur[3] + a2 * cur[6];
      A[Aj + r * 3 + 1] = a0 * cur[1] + a1 * cur[4] + a2 * cur[7];
      A[Aj + r * 3 + 2] = a0 * cur[2] + a1 * cur[5] + a2 * cur[8];
    }
  }
  return out;
}

/** Copy the 25 world bone rotations (25×9 row-major) of the LAST fkInto call into `out` (for Jacobians). */
export function copyBoneRotations(out: Float64Array): Float64Array { out.set(A); return out; }

/**
 * Forward kinematics: 25 joint positions (25×3, metres) of `shape` in `pose`, in the hand frame or,
 * when `pose.global` is set, in the frame it maps to (OpenCV camera frame for rendering).
 */
export function forwardKinematics(shape: HandShape, pose: HandPose): number[][] {
  const out = new Float64Array(75);
  const R = pose.global ? rotvecMatrix(pose.global.rotation) : null;
  fkInto(shape, pose.angles, R, pose.global ? pose.global.translation : null, out);
  return Array.from({ length: 25 }, (_, j) => [out[j * 3], out[j * 3 + 1], out[j * 3 + 2]]);
}

/** The 21 canonical joints (21×3) of a 25-joint array (25×3). */
export function joints21From25(j25: ArrayLike<ArrayLike<number>>): number[][] { return MAP_25_TO_21.map((k) => [j25[k][0], j25[k][1], j25[k][2]]); }

/** Same on flat buffers: 75 → 63 numbers. */
export function flat21From25(j25: ArrayLike<number>, out = new Float64Array(63), inOffset = 0, outOffset = 0): Float64Array {
  for (let i = 0; i < 21; i++) { const k = MAP_25_TO_21[i]; for (let c = 0; c < 3; c++) out[outOffset + i * 3 + c] = j25[inOffset + k * 3 + c]; }
  return out;
}

/**
 * Batched FK for many poses of one shape: `angles` is N×N_DOF (flat, radians), optional `rotations`
 * N×3 rotation vectors and `translations` N×3 metres. Returns N×25×3 (flat, metres).
 */
export function forwardKinematicsBatch(shape: HandShape, angles: Float64Array, opts: { rotations?: Float64Array; translations?: Float64Array; out?: Float64Array; clamp?: boolean } = {}): Float64Array {
  const n = angles.length / N_DOF;
  if (!Number.isInteger(n)) throw new Error(`forwardKinematicsBatch: angles length ${angles.length} is not a multiple of ${N_DOF}`);
  const out = opts.out ?? new Float64Array(n * 75);
  const R = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const a = angles.subarray(i * N_DOF, (i + 1) * N_DOF);
    const rot = opts.rotations ? rotvecMatrix(opts.rotations.subarray(i * 3, i * 3 + 3), R) : null;
    const tr = opts.translations ? opts.translations.subarray(i * 3, i * 3 + 3) : (rot ? [0, 0, 0] : null);
    fkInto(shape, a, rot, tr, out, opts.clamp ?? true, i * 75);
  }
  return out;
}

/** Bone lengths (24, metres) of a 25-joint array (flat 75), bone k = joint k+1 to its parent. */
export function boneLengths25(j25: ArrayLike<number>, offset = 0): Float64Array {
  const out = new Float64Array(24);
  for (let j = 1; j < 25; j++) {
    const p = PARENTS25[j];
    out[j - 1] = Math.hypot(j25[offset + j * 3] - j25[offset + p * 3], j25[offset + j * 3 + 1] - j25[offset + p * 3 + 1], j25[offset + j * 3 + 2] - j25[offset + p * 3 + 2]);
  }
  return out;
}
