/**
 * Where skin detail belongs on the hand's texture (pure): the asset's triangles are rasterised in UV space and
 * every texel gets its rest-pose surface point and normal, from which anatomical feature maps follow —
 * nails (dorsal end of the distal phalanges), flexion creases (palmar side of the finger joints), knuckle
 * wrinkles (dorsal side of the interphalangeal joints), the three principal palm lines, the palmar side (lighter,
 * less melanin) and redness (finger tips, knuckles, palm). lib/synth/texture-model.ts builds the linear texture
 * basis from these maps.
 *
 * Frames: the asset's hand frame (metres); joints in JOINTS25 order; `dorsal` = each joint's local +y (toward the
 * back of the hand). UVs as stored in glTF (origin top-left, v down), so texel row = v·size as in the written PNG.
 */

export interface SkinMeshInput {
  /** V×3 rest positions */ positions: ArrayLike<number>;
  /** F×3 triangles */ faces: ArrayLike<number>;
  /** V×2 texture coordinates */ uvs: ArrayLike<number>;
}
export interface RestJoints { /** 25×3 */ positions: ArrayLike<number>; /** 25×3 unit dorsal directions */ dorsal: ArrayLike<number> }

export interface SkinFeatureMaps {
  size: number;
  /** 1 where a triangle covers the texel */ covered: Float32Array;
  nail: Float32Array; crease: Float32Array; wrinkle: Float32Array; palmLines: Float32Array;
  /** 1 on the palmar side, 0 on the dorsal side, smooth across the sides */ palmar: Float32Array;
  redness: Float32Array;
  /** dorsal/side skin within 3 cm of the wrist, away from creases: the tone the forearm continues */ wrist: Float32Array;
}

type V3 = [number, number, number];
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const len = (a: V3) => Math.sqrt(dot(a, a));
const unit = (a: V3): V3 => { const l = len(a) || 1; return [a[0] / l, a[1] / l, a[2] / l]; };
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const smooth = (e0: number, e1: number, x: number) => { const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0))); return t * t * (3 - 2 * t); };
const gauss = (d: number, s: number) => Math.exp(-(d * d) / (2 * s * s));

/** Bones as (joint, child) in JOINTS25 order: thumb 1→2→3→4, each finger metacarpal → … → tip. */
const BONES: [number, number][] = [];
for (const base of [1, 5, 10, 15, 20]) { const n = base === 1 ? 3 : 4; for (let k = 0; k < n; k++) BONES.push([base + k, base + k + 1]); }
const DISTAL = new Set([3, 8, 13, 18, 23]);
/** Joints with palmar flexion creases: thumb MCP and IP, finger MCP, PIP and DIP. */
const CREASE_JOINTS = [2, 3, 6, 7, 8, 11, 12, 13, 16, 17, 18, 21, 22, 23];
/** Joints with dorsal knuckle wrinkles: PIP and DIP of the fingers, thumb IP. */
const WRINKLE_JOINTS = [3, 7, 8, 12, 13, 17, 18, 22, 23];

export function skinFeatureMaps(mesh: SkinMeshInput, rest: RestJoints, size: number): SkinFeatureMaps {
  const P = size * size;
  const maps: SkinFeatureMaps = {
    size, covered: new Float32Array(P), nail: new Float32Array(P), crease: new Float32Array(P), wrinkle: new Float32Array(P),
    palmLines: new Float32Array(P), palmar: new Float32Array(P), redness: new Float32Array(P), wrist: new Float32Array(P),
  };
  const J = (i: number): V3 => [rest.positions[3 * i], rest.positions[3 * i + 1], rest.positions[3 * i + 2]];
  const D = (i: number): V3 => unit([rest.dorsal[3 * i], rest.dorsal[3 * i + 1], rest.dorsal[3 * i + 2]]);
  const V = (i: number): V3 => [mesh.positions[3 * i], mesh.positions[3 * i + 1], mesh.positions[3 * i + 2]];
  // smooth vertex normals (area-weighted face normals)
  const nv = mesh.positions.length / 3, nf = mesh.faces.length / 3;
  const normals = new Float64Array(3 * nv);
  for (let f = 0; f < nf; f++) {
    const [a, b, c] = [mesh.faces[3 * f], mesh.faces[3 * f + 1], mesh.faces[3 * f + 2]];
    const n = cross(sub(V(b), V(a)), sub(V(c), V(a)));
    for (const v of [a, b, c]) for (let k = 0; k < 3; k++) normals[3 * v + k] += n[k];
  }
  // palm frame: across (little knuckle → index knuckle), along (wrist → middle knuckle), palmar normal
  const wrist = J(0), idxK = J(6), litK = J(21), midK = J(11);
  const across = sub(idxK, litK), palmW = len(across), acrossU = unit(across);
  const along = sub(midK, wrist), palmL = len(along), alongU = unit(along);

  const shade = (p: V3, n: V3, t: number) => {
    // nearest bone
    let best = 0, bestD = Infinity, bestT = 0;
    for (let b = 0; b < BONES.length; b++) {
      const [i, c] = BONES[b], a = J(i), d = sub(J(c), a), l2 = dot(d, d);
      const s = Math.min(1, Math.max(0, dot(sub(p, a), d) / l2));
      const q: V3 = [a[0] + s * d[0], a[1] + s * d[1], a[2] + s * d[2]];
      const dist = len(sub(p, q));
      if (dist < bestD) { bestD = dist; best = b; bestT = s; }
    }
    const [bi, bc] = BONES[best];
    const side = dot(n, D(bi)); // +1 dorsal, −1 palmar
    maps.palmar[t] = smooth(0.15, -0.45, side);
    const wristDist = len(sub(p, wrist));
    // nails: dorsal end of the distal phalanx, not on the sides
    if (DISTAL.has(bi)) {
      const boneDir = unit(sub(J(bc), J(bi)));
      const lateral = Math.abs(dot(n, unit(cross(boneDir, D(bi)))));
      maps.nail[t] = smooth(0.3, 0.5, bestT) * smooth(0.25, 0.55, side) * smooth(0.8, 0.55, lateral);
      maps.redness[t] = Math.max(maps.redness[t], smooth(0.4, 0.9, bestT) * (1 - maps.nail[t]));
    }
    // joint lines: distance along the bone axis from each joint
    let crease = 0, wrinkle = 0, knuckleRed = 0;
    for (const j of CREASE_JOINTS) {
      const child = j + 1, axis = unit(sub(J(child), J(j)));
      const s = dot(sub(p, J(j)), axis), r = len(sub(sub(p, J(j)), axis.map((x) => x * s) as V3));
      if (r > 0.018) continue;
      const palm = smooth(0.0, -0.4, dot(n, D(j)));
      // a double line at the finger joints (1 mm apart), 0.5 mm wide
      crease = Math.max(crease, palm * Math.max(gauss(s + 0.0008, 0.0005), 0.8 * gauss(s - 0.0012, 0.0005)));
    }
    for (const j of WRINKLE_JOINTS) {
      const axis = unit(sub(J(j + 1), J(j)));
      const s = dot(sub(p, J(j)), axis), r = len(sub(sub(p, J(j)), axis.map((x) => x * s) as V3));
      if (r > 0.018 || Math.abs(s) > 0.005) continue;
      const dors = smooth(0.2, 0.6, dot(n, D(j)));
      const env = gauss(s, 0.0022);
      wrinkle = Math.max(wrinkle, dors * env * (0.5 + 0.5 * Math.cos((2 * Math.PI * s) / 0.0014)));
      knuckleRed = Math.max(knuckleRed, dors * gauss(s, 0.004));
    }
    maps.crease[t] = crease; maps.wrinkle[t] = wrinkle;
    maps.redness[t] = Math.max(maps.redness[t], 0.6 * knuckleRed);
    // palm lines on the palmar side of the palm (metacarpal bones)
    const onPalm = [1, 5, 10, 15, 20].includes(bi); // metacarpal bones (thumb's for the thenar eminence)
    if (onPalm && maps.palmar[t] > 0.5) {
      const u = dot(sub(p, litK), acrossU) / palmW, v = dot(sub(p, wrist), alongU) / palmL; // u: 0 ulnar … 1 radial; v: 0 wrist … 1 knuckles
      const heart = Math.abs(v - (0.8 + 0.08 * u)) + (u > 0.72 ? (u - 0.72) * 3 : 0);
      const head = Math.abs(v - (0.58 + 0.16 * u)) + (u < 0.25 ? (0.25 - u) * 3 : 0);
      const life = Math.abs(Math.hypot(u - 1.05, (v - 0.32) * 1.2) - 0.4) + (v > 0.72 ? (v - 0.72) * 3 : 0) + (v < 0.08 ? (0.08 - v) * 3 : 0);
      const w = 0.0007 / palmW; // 0.7 mm in palm units
      maps.palmLines[t] = maps.palmar[t] * Math.max(gauss(heart, w), gauss(head, w), gauss(life, w));
      maps.redness[t] = Math.max(maps.redness[t], 0.5 * maps.palmar[t]);
    }
    maps.wrist[t] = wristDist < 0.03 && side > -0.2 ? 1 : 0;
  };

  // rasterise every triangle in UV space
  for (let f = 0; f < nf; f++) {
    const ids = [mesh.faces[3 * f], mesh.faces[3 * f + 1], mesh.faces[3 * f + 2]];
    const uv = ids.map((v) => [mesh.uvs[2 * v] * size - 0.5, mesh.uvs[2 * v + 1] * size - 0.5]);
    const x0 = Math.max(0, Math.floor(Math.min(uv[0][0], uv[1][0], uv[2][0]))), x1 = Math.min(size - 1, Math.ceil(Math.max(uv[0][0], uv[1][0], uv[2][0])));
    const y0 = Math.max(0, Math.floor(Math.min(uv[0][1], uv[1][1], uv[2][1]))), y1 = Math.min(size - 1, Math.ceil(Math.max(uv[0][1], uv[1][1], uv[2][1])));
    const det = (uv[1][0] - uv[0][0]) * (uv[2][1] - uv[0][1]) - (uv[2][0] - uv[0][0]) * (uv[1][1] - uv[0][1]);
    if (Math.abs(det) < 1e-12) continue;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const w1 = ((x - uv[0][0]) * (uv[2][1] - uv[0][1]) - (uv[2][0] - uv[0][0]) * (y - uv[0][1])) / det;
      const w2 = ((uv[1][0] - uv[0][0]) * (y - uv[0][1]) - (x - uv[0][0]) * (uv[1][1] - uv[0][1])) / det;
      const w0 = 1 - w1 - w2;
      // half a texel of slack so seams are covered from both sides
      const e = -0.5 / Math.max(1, Math.sqrt(Math.abs(det)));
      if (w0 < e || w1 < e || w2 < e) continue;
      const t = y * size + x;
      if (maps.covered[t]) continue;
      maps.covered[t] = 1;
      const p: V3 = [0, 0, 0], n: V3 = [0, 0, 0];
      ids.forEach((v, k) => { const w = [w0, w1, w2][k]; for (let c = 0; c < 3; c++) { p[c] += w * mesh.positions[3 * v + c]; n[c] += w * normals[3 * v + c]; } });
      shade(p, unit(n), t);
    }
  }
  return maps;
}
