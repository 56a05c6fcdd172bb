/**
 * MANO-style linear blend skinning (pure math), for users who hold a MANO licence and convert the
 * model to JSON (see docs/synthesis.md, "MANO model file"). Same math as smplx's lbs.py:
 *   v_shaped = T + S·β                       (V×3; S: V×3×B shape blend shapes)
 *   J        = R_J · v_shaped                 (J×3; joint regressor J×V)
 *   v_posed  = v_shaped + P·(vec(R(θ_j) − I) for j ≥ 1)   (pose blend shapes, V×3×9(J−1))
 *   G_j      = G_parent(j) · [R(θ_j) | J_j − J_parent(j)],  G_0 = [R(θ_0) | J_0]
 *   v        = Σ_j w_vj · (G_j − [0 | G_j·J_j]) · v_posed + t
 * Units as in the file (MANO: metres). θ: J×3 rotation vectors (axis × angle, radians).
 */
import { InputError } from '../util/errors.ts';
import { rotvecMatrix } from './math3.ts';

export interface LbsModel {
  /** V×3 rest template */ template: number[][];
  /** F×3 triangle indices */ faces: number[][];
  /** V×J skinning weights (rows sum to 1) */ weights: number[][];
  /** J×V joint regressor (dense) */ jointRegressor: number[][];
  /** J parents (−1 for the root) */ parents: number[];
  /** V×3×B shape blend shapes (optional) */ shapedirs?: number[][][];
  /** V×3×P pose blend shapes, P = 9(J−1) (optional) */ posedirs?: number[][][];
}

function isMatrix(m: unknown, rows: number | null, cols: number | null): m is number[][] {
  return Array.isArray(m) && (rows === null || m.length === rows)
    && m.every((r) => Array.isArray(r) && (cols === null || r.length === cols) && r.every((x) => typeof x === 'number' && Number.isFinite(x)));
}

/** Validate a parsed model JSON (`where` names the file); errors name the field and expected shape. */
export function parseLbsModel(raw: unknown, where = 'model'): LbsModel {
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) throw new InputError(where, 'expected a JSON object with template, faces, weights, jointRegressor, parents');
  if (!isMatrix(o.template, null, 3) || (o.template as number[][]).length === 0) throw new InputError(where, 'template: expected a non-empty V×3 list of numbers');
  const V = (o.template as number[][]).length;
  if (!Array.isArray(o.parents) || !o.parents.every((p) => Number.isInteger(p))) throw new InputError(where, 'parents: expected a list of integers (−1 for the root)');
  const parents = o.parents as number[];
  const J = parents.length;
  parents.forEach((p, j) => { if (j === 0 ? p !== -1 : !(p >= 0 && p < j)) throw new InputError(where, `parents[${j}] = ${p}: the root must be −1 and every other parent must come earlier`); });
  if (!isMatrix(o.weights, V, J)) throw new InputError(where, `weights: expected V×J = ${V}×${J}`);
  (o.weights as number[][]).forEach((r, v) => { const s = r.reduce((a, b) => a + b, 0); if (Math.abs(s - 1) > 1e-3) throw new InputError(where, `weights[${v}] sums to ${s.toFixed(4)}, expected 1`); });
  if (!isMatrix(o.jointRegressor, J, V)) throw new InputError(where, `jointRegressor: expected J×V = ${J}×${V}`);
  if (!isMatrix(o.faces, null, 3) || !(o.faces as number[][]).every((f) => f.every((i) => Number.isInteger(i) && i >= 0 && i < V))) throw new InputError(where, `faces: expected F×3 vertex indices in [0, ${V})`);
  const blend = (name: 'shapedirs' | 'posedirs', cols?: number) => {
    const b = o[name];
    if (b === undefined) return undefined;
    if (!Array.isArray(b) || b.length !== V || !b.every((r) => isMatrix(r, 3, cols ?? null))) throw new InputError(where, `${name}: expected V×3×${cols ?? 'B'} = ${V}×3×${cols ?? 'B'}`);
    return b as number[][][];
  };
  return {
    template: o.template as number[][], faces: o.faces as number[][], weights: o.weights as number[][], jointRegressor: o.jointRegressor as number[][], parents,
    shapedirs: blend('shapedirs'), posedirs: blend('posedirs', 9 * (J - 1)),
  };
}

/** T + S·β (V×3). Missing β components count as 0. */
export function shapedVertices(m: LbsModel, betas: ArrayLike<number> = []): number[][] {
  return m.template.map((t, v) => {
    const out = [t[0], t[1], t[2]];
    const S = m.shapedirs?.[v];
    if (S) for (let k = 0; k < 3; k++) for (let b = 0; b < Math.min(betas.length, S[k].length); b++) out[k] += S[k][b] * betas[b];
    return out;
  });
}

/** R_J · verts (J×3). */
export function regressJoints(m: LbsModel, verts: number[][]): number[][] {
  return m.jointRegressor.map((row) => {
    const j = [0, 0, 0];
    row.forEach((w, v) => { if (w !== 0) { j[0] += w * verts[v][0]; j[1] += w * verts[v][1]; j[2] += w * verts[v][2]; } });
    return j;
  });
}

/** 3×4 affine as 12 numbers (row-major [R | t]). */
type Affine = Float64Array;
function compose(a: Affine, b: Affine): Affine {
  const o = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) o[r * 4 + c] = a[r * 4] * b[c] + a[r * 4 + 1] * b[4 + c] + a[r * 4 + 2] * b[8 + c];
    o[r * 4 + 3] = a[r * 4] * b[3] + a[r * 4 + 1] * b[7] + a[r * 4 + 2] * b[11] + a[r * 4 + 3];
  }
  return o;
}

export interface LbsOutput { /** V×3 */ vertices: number[][]; /** J×3 posed joints */ joints: number[][] }

/** Pose the model: β (B), θ (J×3 rotation vectors), optional translation (3). */
export function lbs(m: LbsModel, betas: ArrayLike<number>, pose: number[][], translation: ArrayLike<number> = [0, 0, 0]): LbsOutput {
  const J = m.parents.length;
  if (pose.length !== J || !pose.every((p) => p.length === 3)) throw new InputError('pose', `expected J×3 = ${J}×3 rotation vectors`);
  const vShaped = shapedVertices(m, betas);
  const Jrest = regressJoints(m, vShaped);
  const R = pose.map((p) => rotvecMatrix(p));
  // Pose blend shapes from (R_j − I), j ≥ 1.
  const vPosed = vShaped.map((v) => v.slice());
  if (m.posedirs) {
    const feat: number[] = [];
    for (let j = 1; j < J; j++) for (let k = 0; k < 9; k++) feat.push(R[j][k] - (k % 4 === 0 ? 1 : 0));
    m.posedirs.forEach((P, v) => { for (let k = 0; k < 3; k++) for (let f = 0; f < feat.length; f++) vPosed[v][k] += P[k][f] * feat[f]; });
  }
  const G: Affine[] = [];
  for (let j = 0; j < J; j++) {
    const p = m.parents[j];
    const t = p < 0 ? Jrest[j] : [Jrest[j][0] - Jrest[p][0], Jrest[j][1] - Jrest[p][1], Jrest[j][2] - Jrest[p][2]];
    const local = Float64Array.of(R[j][0], R[j][1], R[j][2], t[0], R[j][3], R[j][4], R[j][5], t[1], R[j][6], R[j][7], R[j][8], t[2]);
    G.push(p < 0 ? local : compose(G[p], local));
  }
  const joints = G.map((g) => [g[3] + translation[0], g[7] + translation[1], g[11] + translation[2]]);
  // Remove the rest joint location: A_j = G_j · [I | −J_j].
  const A = G.map((g, j) => compose(g, Float64Array.of(1, 0, 0, -Jrest[j][0], 0, 1, 0, -Jrest[j][1], 0, 0, 1, -Jrest[j][2])));
  const vertices = vPosed.map((v, vi) => {
    const M = new Float64Array(12);
    m.weights[vi].forEach((w, j) => { if (w !== 0) for (let k = 0; k < 12; k++) M[k] += w * A[j][k]; });
    return [0, 1, 2].map((r) => M[r * 4] * v[0] + M[r * 4 + 1] * v[1] + M[r * 4 + 2] * v[2] + M[r * 4 + 3] + translation[r]);
  });
  return { vertices, joints };
}
