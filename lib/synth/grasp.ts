/**
 * Objects held in the hand (pure math): everyday shapes placed in grasp contact with the posed hand mesh.
 *
 * Construction: two finger tips t1, t2 (thumb with index or middle, else two neighbouring fingers; the tips
 * are the real-convention tip labels, i.e. surface vertices) are put on the object's surface: with
 * u = (t2 − t1)/d and n the direction from their midpoint m toward the palm (made ⟂ u), the object's local
 * frame is x = u, y = n, z = u × n. A ball or a cylinder (can, bottle, mug, tool handle) of radius r ≥ d/2
 * has its axis along z through m + h·n with h = √(r² − d²/4), so both tips lie exactly on it; a box has
 * its ±x faces through the tips. The object is accepted when no hand-mesh vertex lies deeper than
 * MAX_OBJECT_PENETRATION inside it (analytic signed distances); otherwise smaller radii, the other side
 * of the tips (h < 0) and other tip pairs are tried, and without an acceptable placement the sample has no
 * object. Contacts are recorded: the tips within MAX_CONTACT_GAP of the surface (≥ 2 by construction).
 * Units: metres, the render's camera frame.
 */
import { Rng } from '../util/rng.ts';
import { hsvToRgb } from '../image/colour.ts';

export const GRASP_KINDS = ['ball', 'can', 'bottle', 'mug', 'box', 'handle'] as const;
export type GraspKind = (typeof GRASP_KINDS)[number];
export const OBJECT_MATERIALS = ['wood', 'plastic', 'metal', 'label'] as const;
export type ObjectMaterial = (typeof OBJECT_MATERIALS)[number];

/** Hand vertices may sink at most this deep into a held object (metres; skin compresses). */
export const MAX_OBJECT_PENETRATION = 0.003;
/** A tip within this distance of the surface is in contact (metres). */
export const MAX_CONTACT_GAP = 0.003;

/** Shape in its local frame (x = tip line, y = toward the palm, z = axis): sizes in metres. */
export interface GraspShape {
  kind: GraspKind;
  /** ball, can, bottle, mug, handle: radius; box: half-extents [x, y, z] */
  radius?: number;
  halfExtents?: number[];
  /** cylinder-like kinds: length along z */
  length?: number;
}

export interface GraspObject extends GraspShape {
  /** centre in the camera frame */
  center: number[];
  /** 3×3 row-major rotation whose columns are the local x, y, z axes in the camera frame */
  axes: number[];
  material: ObjectMaterial;
  color: number[];
  /** second colour of wood grain or a printed label */
  color2: number[];
  roughness: number;
  /** tips (FreiHAND joint index) within MAX_CONTACT_GAP of the surface */
  contacts: number[];
  /** deepest hand vertex inside the object (metres, ≤ MAX_OBJECT_PENETRATION) */
  penetration: number;
}

const TIPS = [4, 8, 12, 16, 20];
const PAIRS: [number, number][] = [[4, 8], [4, 12], [4, 16], [8, 12], [12, 16], [8, 16]];

/** Signed distance (metres, negative inside) of camera-frame point p to the shape at (center, axes). */
export function signedDistance(o: GraspShape & { center: number[]; axes: number[] }, p: ArrayLike<number>): number {
  const d = [p[0] - o.center[0], p[1] - o.center[1], p[2] - o.center[2]];
  const A = o.axes;
  const x = A[0] * d[0] + A[3] * d[1] + A[6] * d[2], y = A[1] * d[0] + A[4] * d[1] + A[7] * d[2], z = A[2] * d[0] + A[5] * d[1] + A[8] * d[2];
  if (o.kind === 'ball') return Math.hypot(x, y, z) - o.radius!;
  if (o.kind === 'box') {
    const h = o.halfExtents!;
    const q = [Math.abs(x) - h[0], Math.abs(y) - h[1], Math.abs(z) - h[2]];
    return Math.hypot(Math.max(q[0], 0), Math.max(q[1], 0), Math.max(q[2], 0)) + Math.min(Math.max(q[0], q[1], q[2]), 0);
  }
  const cyl = (r: number, z0: number, z1: number) => {
    const dr = Math.hypot(x, y) - r, dz = Math.max(z0 - z, z - z1);
    return Math.hypot(Math.max(dr, 0), Math.max(dz, 0)) + Math.min(Math.max(dr, dz), 0);
  };
  const r = o.radius!, L = o.length!;
  let s = cyl(r, -L / 2, L / 2);
  if (o.kind === 'bottle') s = Math.min(s, cyl(0.35 * r, L / 2, L / 2 + 0.3 * L)); // shoulder and neck above the body
  if (o.kind === 'mug') { // handle: a torus in the y–z plane on the −y side (away from the palm)
    const R = 0.35 * L, t = 0.15 * r, cy = -(r + 0.6 * R);
    const q = Math.hypot(Math.hypot(y - cy, z) - R, x);
    s = Math.min(s, q - t);
  }
  return s;
}

function deepest(o: GraspShape & { center: number[]; axes: number[] }, verts: ArrayLike<number>): number {
  let worst = -Infinity;
  for (let v = 0; v < verts.length; v += 3) { const s = -signedDistance(o, [verts[v], verts[v + 1], verts[v + 2]]); if (s > worst) worst = s; }
  return worst;
}

/**
 * An object of `kind` held by the hand with posed vertices `verts` (V×3 flat) and labels `labels21` (21×3 flat),
 * or null when no placement keeps the hand outside it. `palm` is a point inside the palm (camera frame).
 */
export function graspObject(rng: Rng, kind: GraspKind, material: ObjectMaterial, verts: ArrayLike<number>, labels21: ArrayLike<number>, palm: number[]): GraspObject | null {
  const tip = (j: number) => [labels21[j * 3], labels21[j * 3 + 1], labels21[j * 3 + 2]];
  const start = rng.int(0, 2); // thumb with index or with middle first
  const pairs = [...PAIRS.slice(start, 2), ...PAIRS.slice(0, start), ...PAIRS.slice(2)];
  const sizeFactor = rng.uniform(0.8, 1.25);
  const lengthFactor = rng.uniform(0.85, 1.15);
  const colors = [hsvToRgb(rng.random(), rng.uniform(0.3, 0.9), rng.uniform(0.35, 0.95)), hsvToRgb(rng.random(), rng.uniform(0.1, 0.9), rng.uniform(0.2, 1))];
  const roughness = material === 'metal' ? rng.uniform(0.15, 0.4) : material === 'wood' ? rng.uniform(0.5, 0.8) : rng.uniform(0.25, 0.6);
  // pairs whose fingers point at each other first (a pinch or wrap), sideways neighbours last
  const dirOf = (j: number) => { const t = tip(j), q = tip(j - 1); const v = [t[0] - q[0], t[1] - q[1], t[2] - q[2]]; const l = Math.hypot(v[0], v[1], v[2]) || 1; return v.map((x) => x / l); };
  const opposition = ([a, b]: [number, number]) => {
    const t1 = tip(a), t2 = tip(b), e = [t2[0] - t1[0], t2[1] - t1[1], t2[2] - t1[2]], l = Math.hypot(e[0], e[1], e[2]) || 1;
    const da = dirOf(a), db = dirOf(b);
    return (da[0] * e[0] + da[1] * e[1] + da[2] * e[2]) / l - (db[0] * e[0] + db[1] * e[1] + db[2] * e[2]) / l;
  };
  const ordered = pairs.map((p, i) => ({ p, i, o: opposition(p) })).sort((x, y) => (y.o - x.o) || (x.i - y.i)).map((x) => x.p);
  for (const [a, b] of ordered) {
    const t1 = tip(a), t2 = tip(b);
    const e = [t2[0] - t1[0], t2[1] - t1[1], t2[2] - t1[2]], d = Math.hypot(e[0], e[1], e[2]);
    if (d < 0.01 || d > 0.14) continue;
    const u = e.map((x) => x / d), m = [(t1[0] + t2[0]) / 2, (t1[1] + t2[1]) / 2, (t1[2] + t2[2]) / 2];
    let n0 = [palm[0] - m[0], palm[1] - m[1], palm[2] - m[2]];
    const nu = n0[0] * u[0] + n0[1] * u[1] + n0[2] * u[2];
    n0 = [n0[0] - nu * u[0], n0[1] - nu * u[1], n0[2] - nu * u[2]];
    const nl = Math.hypot(n0[0], n0[1], n0[2]);
    if (nl < 1e-6) continue;
    n0 = n0.map((x) => x / nl);
    const z0 = [u[1] * n0[2] - u[2] * n0[1], u[2] * n0[0] - u[0] * n0[2], u[0] * n0[1] - u[1] * n0[0]];
    // the object may turn about the tip line: toward the palm first, then tilted, then away from the palm
    for (const phi of [0, 0.5, -0.5, 1.0, -1.0, Math.PI / 2, -Math.PI / 2, Math.PI]) {
      const c = Math.cos(phi), sn = Math.sin(phi);
      const n = [0, 1, 2].map((k) => c * n0[k] + sn * z0[k]), z = [0, 1, 2].map((k) => c * z0[k] - sn * n0[k]);
      const axes = [u[0], n[0], z[0], u[1], n[1], z[1], u[2], n[2], z[2]];
      for (const shrink of [1, 0.8, 0.6, 0.45]) {
        const shape = shapeFor(kind, d, sizeFactor * shrink, lengthFactor);
        if (!shape) continue;
        const h = shape.kind === 'box' ? shape.halfExtents![1] * 0.6 : Math.sqrt(Math.max(0, shape.radius! ** 2 - d * d / 4));
        const center = [m[0] + h * n[0], m[1] + h * n[1], m[2] + h * n[2]];
        const o = { ...shape, center, axes };
        const pen = deepest(o, verts);
        if (pen > MAX_OBJECT_PENETRATION) continue;
        const contacts = TIPS.filter((j) => Math.abs(signedDistance(o, tip(j))) <= MAX_CONTACT_GAP);
        if (contacts.length < 2) continue;
        return { ...o, material, color: colors[0], color2: colors[1], roughness, contacts, penetration: Math.max(0, pen) };
      }
    }
  }
  return null;
}

/** Everyday sizes (metres) scaled by `s`; the radius never below half the tip distance (both tips on the surface). */
function shapeFor(kind: GraspKind, d: number, s: number, ls: number): GraspShape | null {
  const atLeast = (r: number) => Math.max(r, d / 2 + 1e-4);
  switch (kind) {
    case 'ball': return { kind, radius: atLeast(0.035 * s) };
    case 'can': return { kind, radius: atLeast(0.033 * s), length: 0.115 * ls };
    case 'bottle': return { kind, radius: atLeast(0.032 * s), length: 0.16 * ls };
    case 'mug': return { kind, radius: atLeast(0.04 * s), length: 0.095 * ls };
    case 'handle': return d / 2 > 0.025 ? null : { kind, radius: atLeast(0.015 * s), length: 0.15 * ls };
    case 'box': return { kind, halfExtents: [d / 2, 0.03 * s, 0.05 * ls] };
  }
}

