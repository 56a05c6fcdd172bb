/**
 * Labels in the real data's joint convention (MANO / FreiHAND), derived from the posed mesh surface
 * (pure math). The renderer's rig joints follow the WebXR/NIMBLE convention: bone heads at the
 * metacarpal bases, finger tips inside the pad, the wrist near the forearm. Real annotations put
 *   - MCP, PIP, DIP, thumb MCP/IP: at the joint centre inside the finger,
 *   - tips: on the finger-tip surface, at the end of the finger,
 *   - the wrist: in the middle of the wrist cross-section, at the base of the palm,
 *   - the thumb CMC (MANO's "thumb1"): inside the thenar eminence, part-way up the first metacarpal.
 * Each label is a fixed weighted set of mesh vertices chosen once on the rest mesh:
 *   - ring joints: the centroid of the cross-section ring of skin vertices in a 3 mm slab around the plane
 *     through a point on a rig bone (fraction `t` from the bone's head toward its end), normal to the bone,
 *     counting only vertices skinned mostly to that bone or its neighbours (not the next finger);
 *   - tips: the surface vertex farthest along the distal phalanx.
 * A label is then Σ w_i · v_i over the posed vertices: it moves with the skin exactly as rendered.
 * Where along its bone each ring sits (RING_T21) was calibrated so that the median bone lengths match
 * hgc-dev's (docs/hand-model.md).
 */
import { MAP_25_TO_21, PARENTS25 } from './skeleton.ts';
import type { SkinnedMesh } from './gltf.ts';
import { dominantJoints } from './skinning.ts';

/** Recorded with every rendered sample. */
export const LABEL_CONVENTION = 'real (MANO/FreiHAND) joints from the posed mesh surface: lib/hand/real-joints.ts';

export interface RingRule { kind: 'ring'; /** optional second ring mixed in with weight `mix` (MANO's thumb1 sits between the thumb metacarpal and the palm) */ also?: { from: number; to: number; t: number; bones: number[]; mix: number }; /** 25-joint index of the bone head */ from: number; /** 25-joint index of the bone end */ to: number; /** plane position along from → to */ t: number; /** bones (25-joint heads) whose vertices count */ bones: number[] }
export interface TipRule { kind: 'tip'; /** 25-joint tip */ tip: number; bones: number[] }
export type JointRule = RingRule | TipRule;

const FINGER_BASE25 = [1, 5, 10, 15, 20]; // thumb metacarpal, index..little metacarpal bases
const PALM_BONES25 = [0, 1, 5, 10, 15, 20];

/**
 * Plane position of each ring label along its bone (fraction from the bone's head; FreiHAND order; tips
 * unused). Calibrated once by coordinate descent so that the labels of the rest mesh have hgc-dev's median
 * bone proportions (worst bone 0.91–1.08 of real, proportions floor 1.1 mm at rest; see docs/hand-model.md):
 * the wrist sits 30 % up the wrist → middle-metacarpal bone, the little finger's PIP/DIP planes move
 * distally, every other plane stays within ±0.1 of the rig joint. They absorb the asset's own proportions
 * as well as the definition difference; re-calibrate for another asset.
 */
export const RING_T21: readonly number[] = [0.3, -0.025, -0.1, 0, 0, 0.075, 0, -0.05, 0, -0.05, 0, 0, 0, -0.075, 0, 0.15, 0, 0.175, 0.25, 0.325, 0];
/** MANO's thumb1 lies between the thumb metacarpal and the palm centre: this share of it is the palm ring. */
export const THUMB_CMC_PALM_MIX = 0.2;
const PALM_CENTRE_T = 0.2;

/** The rules for the 21 labels, FreiHAND order (`t21` overrides RING_T21, for calibration). */
export function realConventionRules(opts: { t21?: ArrayLike<number>; thumbCmcMix?: number } = {}): JointRule[] {
  const T = opts.t21 ?? RING_T21;
  // wrist: the cross-section of the palm base, part-way up the wrist → middle-metacarpal bone
  const rules: JointRule[] = [{ kind: 'ring', from: 0, to: 10, t: T[0], bones: PALM_BONES25 }];
  for (let f = 0; f < 5; f++) {
    const base = FINGER_BASE25[f];
    const j25 = MAP_25_TO_21.slice(1 + f * 4, 5 + f * 4); // the finger's 4 labelled joints as 25-joint indices
    j25.forEach((j, k) => {
      if (k === 3) { rules.push({ kind: 'tip', tip: j, bones: [PARENTS25[j], j] }); return; }
      const bones = [PARENTS25[j], j].filter((b) => b >= 0 && (b !== 0 || j === base));
      const rule: RingRule = { kind: 'ring', from: j, to: j + 1, t: T[1 + f * 4 + k], bones };
      if (f === 0 && k === 0) rule.also = { from: 0, to: 10, t: PALM_CENTRE_T, bones: PALM_BONES25, mix: opts.thumbCmcMix ?? THUMB_CMC_PALM_MIX };
      rules.push(rule);
    });
  }
  return rules;
}

/** A label definition: for each of the 21 joints, vertex indices and weights (summing to 1). */
export interface LabelDefinition { vertices: Int32Array[]; weights: Float64Array[]; rules: JointRule[] }

/** Build the vertex sets on the rest mesh (positions in the same frame as `rest25`, 25×3 flat, metres). */
export function buildLabelDefinition(mesh: SkinnedMesh, rest25: ArrayLike<number>, rules = realConventionRules(), slab = 0.003): LabelDefinition {
  const P = mesh.positions, V = P.length / 3;
  const dominant = dominantJoints(mesh);
  const at = (j: number) => [rest25[j * 3], rest25[j * 3 + 1], rest25[j * 3 + 2]];
  const vertices: Int32Array[] = [], weights: Float64Array[] = [];
  const ring = (from: number, to: number, t: number, cand: number[], i: number): number[] => {
    const a = at(from), b = at(to);
    const d = unit([b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
    const c = [0, 1, 2].map((k) => a[k] + t * (b[k] - a[k]));
    const out = cand.filter((v) => {
      const e = [P[v * 3] - c[0], P[v * 3 + 1] - c[1], P[v * 3 + 2] - c[2]];
      return Math.abs(e[0] * d[0] + e[1] * d[1] + e[2] * d[2]) < slab && Math.hypot(e[0], e[1], e[2]) < 0.045;
    });
    if (out.length < 3) throw new Error(`label rule ${i}: only ${out.length} vertices in the cross-section at t = ${t} of bone ${from}→${to}`);
    return out;
  };
  rules.forEach((r, i) => {
    const own = new Set(r.bones);
    const cand: number[] = [];
    for (let v = 0; v < V; v++) if (own.has(dominant[v])) cand.push(v);
    if (!cand.length) throw new Error(`label rule ${i}: no vertex is skinned to bones ${r.bones.join(',')}`);
    if (r.kind === 'tip') {
      const a = at(PARENTS25[r.tip]), b = at(r.tip);
      const d = unit([b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
      let best = cand[0], bd = -Infinity;
      for (const v of cand) { const s = (P[v * 3] - b[0]) * d[0] + (P[v * 3 + 1] - b[1]) * d[1] + (P[v * 3 + 2] - b[2]) * d[2]; if (s > bd) { bd = s; best = v; } }
      vertices.push(Int32Array.of(best)); weights.push(Float64Array.of(1));
      return;
    }
    const main = ring(r.from, r.to, r.t, cand, i);
    if (!r.also || r.also.mix === 0) { vertices.push(Int32Array.from(main)); weights.push(new Float64Array(main.length).fill(1 / main.length)); return; }
    const ownB = new Set(r.also.bones);
    const other = ring(r.also.from, r.also.to, r.also.t, Array.from({ length: V }, (_, v) => v).filter((v) => ownB.has(dominant[v])), i);
    const m = r.also.mix;
    vertices.push(Int32Array.from([...main, ...other]));
    weights.push(Float64Array.from([...main.map(() => (1 - m) / main.length), ...other.map(() => m / other.length)]));
  });
  return { vertices, weights, rules };
}

/** The 21 labels (21×3 flat) of posed vertices (V×3 flat, any frame). */
export function labelsFromVertices(def: LabelDefinition, verts: ArrayLike<number>, out = new Float64Array(63)): Float64Array {
  for (let j = 0; j < 21; j++) {
    let x = 0, y = 0, z = 0;
    const ids = def.vertices[j], w = def.weights[j];
    for (let q = 0; q < ids.length; q++) { const v = ids[q]; x += w[q] * verts[v * 3]; y += w[q] * verts[v * 3 + 1]; z += w[q] * verts[v * 3 + 2]; }
    out[j * 3] = x; out[j * 3 + 1] = y; out[j * 3 + 2] = z;
  }
  return out;
}

function unit(v: number[]): number[] { const l = Math.hypot(v[0], v[1], v[2]); return v.map((x) => x / l); }
