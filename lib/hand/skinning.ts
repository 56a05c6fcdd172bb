/**
 * The renderer's rig in TypeScript (pure math): the same per-bone transforms as
 * lib/synth/blender/hand_rig.py's `HandRig.pose` and the same linear blend skinning as Blender's
 * Armature modifier, so the posed mesh (and every label derived from its surface) is known without
 * Blender — for fitting the rig to real labels and for tests. test/synth/surface-labels.test.ts checks
 * that Blender's posed vertices equal these.
 *
 * Posing from 25 target joints (any frame, metres):
 *   - palm: similarity fit (scale s, rotation R) of the palm joints (wrist, metacarpal bases, knuckles);
 *   - fingers: swing only — each bone's rotation is its parent's followed by the smallest rotation taking
 *     the rotated rest direction to the target direction (no twist is invented);
 *   - each bone is stretched along its axis by target length ÷ rest length and scaled by s across it.
 * Vertex v of bone b moves to  target_b + Rdelta_b · (g·s·I + (k_b − g·s)·d_b·d_bᵀ) · (v − rest_b), g the girth (1 by default).
 */
import { PARENTS25 } from './skeleton.ts';
import { cross, dot, norm, axisAngleMatrix, matMul } from './math3.ts';
import { fitSimilarity } from '../metrics/procrustes.ts';
import type { SkinnedMesh } from './gltf.ts';

/** Joints whose similarity fit places the palm (as hand_rig.py's PALM). */
export const RIG_PALM25: readonly number[] = [0, 1, 5, 6, 10, 11, 15, 16, 20, 21];
const TIPS25 = new Set([4, 9, 14, 19, 24]);
/** The joint each rig bone points at (the wrist bone at the middle metacarpal base; tips: none). */
export const RIG_CHILD25: readonly number[] = Array.from({ length: 25 }, (_, i) => (i === 0 ? 10 : TIPS25.has(i) ? -1 : i + 1));

/** One affine per bone: v' = t + A·(v − rest). */
export interface RigPose { /** 25×9 row-major */ A: Float64Array; /** 25×3 posed heads */ heads: Float64Array; /** 25×3 rest heads */ rest: Float64Array; /** palm scale */ scale: number }

const v3 = (a: ArrayLike<number>, i: number): [number, number, number] => [a[i * 3], a[i * 3 + 1], a[i * 3 + 2]];

/** Smallest rotation taking unit vector a to unit vector b (row-major 3×3). */
function rotationBetween(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = cross(a, b), s = norm(c), d = dot(a, b);
  if (s < 1e-12) {
    if (d > 0) return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    const p = Math.abs(a[0]) < 0.9 ? cross(a, [1, 0, 0]) : cross(a, [0, 1, 0]);
    return axisAngleMatrix(p.map((x) => x / norm(p)), Math.PI);
  }
  return axisAngleMatrix([c[0] / s, c[1] / s, c[2] / s], Math.atan2(s, d));
}

/**
 * Bone transforms that move the rig with rest joints `rest25` onto `target25` (both 25×3 flat, metres);
 * `girth` scales the skin across each bone (1: the asset's thickness), never the joints.
 */
export function poseRig(rest25: ArrayLike<number>, target25: ArrayLike<number>, girth = 1): RigPose {
  const palmSrc: number[] = [], palmDst: number[] = [];
  for (const j of RIG_PALM25) { palmSrc.push(...v3(rest25, j)); palmDst.push(...v3(target25, j)); }
  const { R, s } = fitSimilarity(palmSrc, palmDst, { withScale: true });
  const restDir: number[][] = [], k = new Float64Array(25);
  for (let i = 0; i < 25; i++) {
    const c = RIG_CHILD25[i];
    const from = c >= 0 ? v3(rest25, i) : v3(rest25, PARENTS25[i]);
    const to = c >= 0 ? v3(rest25, c) : v3(rest25, i);
    const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]], l = norm(d);
    restDir.push(d.map((x) => x / l));
    if (i === 0 || c < 0) k[i] = s;
    else {
      const t = [target25[c * 3] - target25[i * 3], target25[c * 3 + 1] - target25[i * 3 + 1], target25[c * 3 + 2] - target25[i * 3 + 2]];
      k[i] = norm(t) / l;
    }
  }
  const delta: Float64Array[] = new Array(25);
  for (let i = 0; i < 25; i++) {
    const parentDelta = i === 0 || PARENTS25[i] === 0 ? R : delta[PARENTS25[i]];
    const c = RIG_CHILD25[i];
    if (i === 0) { delta[i] = R; continue; }
    if (c < 0) { delta[i] = parentDelta; continue; }
    const t = [target25[c * 3] - target25[i * 3], target25[c * 3 + 1] - target25[i * 3 + 1], target25[c * 3 + 2] - target25[i * 3 + 2]];
    const lt = norm(t);
    if (lt < 1e-9) { delta[i] = parentDelta; continue; }
    const d = restDir[i];
    const dr = [0, 1, 2].map((r) => parentDelta[r * 3] * d[0] + parentDelta[r * 3 + 1] * d[1] + parentDelta[r * 3 + 2] * d[2]);
    delta[i] = matMul(rotationBetween(dr, t.map((x) => x / lt)), parentDelta);
  }
  const A = new Float64Array(225);
  for (let i = 0; i < 25; i++) {
    const d = restDir[i];
    // S = g·s·I + (k − g·s)·d·dᵀ (g: girth), A = delta · S
    const S = new Float64Array(9), gs = girth * s;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) S[r * 3 + c] = (r === c ? gs : 0) + (k[i] - gs) * d[r] * d[c];
    A.set(matMul(delta[i], S), i * 9);
  }
  return { A, heads: Float64Array.from(target25), rest: Float64Array.from(rest25), scale: s };
}

/** Linear blend skinning of `mesh` (rest positions in the rig's rest frame) by the rig pose: V×3 flat. */
export function skinMesh(mesh: SkinnedMesh, pose: RigPose, out = new Float64Array(mesh.positions.length)): Float64Array {
  const { A, heads, rest } = pose, P = mesh.positions;
  const V = P.length / 3;
  for (let v = 0; v < V; v++) {
    let x = 0, y = 0, z = 0, wsum = 0;
    for (let q = 0; q < 4; q++) {
      const w = mesh.weights[v * 4 + q];
      if (w <= 0) continue;
      const b = mesh.joints[v * 4 + q];
      const dx = P[v * 3] - rest[b * 3], dy = P[v * 3 + 1] - rest[b * 3 + 1], dz = P[v * 3 + 2] - rest[b * 3 + 2];
      const o = b * 9;
      x += w * (heads[b * 3] + A[o] * dx + A[o + 1] * dy + A[o + 2] * dz);
      y += w * (heads[b * 3 + 1] + A[o + 3] * dx + A[o + 4] * dy + A[o + 5] * dz);
      z += w * (heads[b * 3 + 2] + A[o + 6] * dx + A[o + 7] * dy + A[o + 8] * dz);
      wsum += w;
    }
    if (wsum > 0) { out[v * 3] = x / wsum; out[v * 3 + 1] = y / wsum; out[v * 3 + 2] = z / wsum; }
    else { out[v * 3] = P[v * 3]; out[v * 3 + 1] = P[v * 3 + 1]; out[v * 3 + 2] = P[v * 3 + 2]; }
  }
  return out;
}

/** Per vertex, the skin joint with the largest weight (V entries; -1 for a vertex with no weight). */
export function dominantJoints(mesh: SkinnedMesh): Int32Array {
  const V = mesh.positions.length / 3;
  const dominant = new Int32Array(V);
  for (let v = 0; v < V; v++) {
    let best = -1, bw = 0;
    for (let q = 0; q < 4; q++) if (mesh.weights[v * 4 + q] > bw) { bw = mesh.weights[v * 4 + q]; best = mesh.joints[v * 4 + q]; }
    dominant[v] = best;
  }
  return dominant;
}
