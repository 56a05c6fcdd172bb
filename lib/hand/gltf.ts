/**
 * Minimal glTF 2.0 / GLB reader for skeletons (pure: takes bytes, does no IO). It reads the JSON
 * chunk, walks the node hierarchy of the default scene and returns every skin joint's world
 * transform in the asset's own frame (glTF units: metres); `skinnedMesh` decodes a skinned mesh from the
 * GLB's binary chunk (positions, triangles, joint indices and weights).
 */
import { matMul, quatMatrix, type Vec3 } from './math3.ts';

export interface GltfJoint {
  name: string;
  node: number;
  /** Joint origin in the asset frame (metres). */
  position: Vec3;
  /** World rotation of the joint node (row-major 3×3, scale removed). */
  rotation: Float64Array;
}

interface GltfNode { name?: string; translation?: number[]; rotation?: number[]; scale?: number[]; matrix?: number[]; children?: number[] }
interface GltfDoc { scene?: number; scenes?: { nodes: number[] }[]; nodes?: GltfNode[]; skins?: { joints: number[] }[] }

/** Parse the JSON chunk of a GLB container (or a .gltf JSON text given as bytes). `where` names the source in errors. */
export function parseGltfJson(bytes: Uint8Array, where = 'glb'): GltfDoc {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 20 && dv.getUint32(0, true) === 0x46546c67) { // 'glTF'
    const len = dv.getUint32(12, true), type = dv.getUint32(16, true);
    if (type !== 0x4e4f534a) throw new Error(`${where}: first GLB chunk is not JSON`);
    return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + len))) as GltfDoc;
  }
  try { return JSON.parse(new TextDecoder().decode(bytes)) as GltfDoc; } catch { throw new Error(`${where}: neither GLB nor glTF JSON`); }
}

/** 4×4 column-major local matrix of a node → [R (3×3 row-major, with scale), t]. */
function localTransform(n: GltfNode): { M: Float64Array; t: Vec3 } {
  if (n.matrix) {
    const m = n.matrix; // column-major 4×4
    return { M: Float64Array.of(m[0], m[4], m[8], m[1], m[5], m[9], m[2], m[6], m[10]), t: [m[12], m[13], m[14]] };
  }
  const R = quatMatrix(n.rotation ?? [0, 0, 0, 1]);
  const s = n.scale ?? [1, 1, 1];
  const M = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) M[r * 3 + c] = R[r * 3 + c] * s[c];
  return { M, t: (n.translation ?? [0, 0, 0]) as Vec3 };
}

/** World transforms of the joints of skin `skinIndex`, in skin joint order. */
export function skinJoints(doc: GltfDoc, skinIndex = 0, where = 'glb'): GltfJoint[] {
  const nodes = doc.nodes ?? [];
  const skin = doc.skins?.[skinIndex];
  if (!skin) throw new Error(`${where}: no skin ${skinIndex}`);
  const world = new Map<number, { M: Float64Array; t: Vec3 }>();
  const visit = (i: number, parent: { M: Float64Array; t: Vec3 }) => {
    const l = localTransform(nodes[i]);
    const M = matMul(parent.M, l.M);
    const pt = parent.M;
    const t: Vec3 = [
      parent.t[0] + pt[0] * l.t[0] + pt[1] * l.t[1] + pt[2] * l.t[2],
      parent.t[1] + pt[3] * l.t[0] + pt[4] * l.t[1] + pt[5] * l.t[2],
      parent.t[2] + pt[6] * l.t[0] + pt[7] * l.t[1] + pt[8] * l.t[2],
    ];
    world.set(i, { M, t });
    for (const c of nodes[i].children ?? []) visit(c, { M, t });
  };
  const roots = doc.scenes?.[doc.scene ?? 0]?.nodes ?? [];
  for (const r of roots) visit(r, { M: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), t: [0, 0, 0] });
  return skin.joints.map((node) => {
    const w = world.get(node);
    if (!w) throw new Error(`${where}: skin joint node ${node} is not in the scene`);
    // remove scale: normalise columns
    const R = Float64Array.from(w.M);
    for (let c = 0; c < 3; c++) {
      const l = Math.hypot(R[c], R[3 + c], R[6 + c]);
      for (let r = 0; r < 3; r++) R[r * 3 + c] /= l;
    }
    return { name: nodes[node].name ?? `node${node}`, node, position: w.t, rotation: R };
  });
}

/** A skinned triangle mesh decoded from a GLB's binary chunk (asset frame, metres). */
export interface SkinnedMesh {
  /** V×3 flat rest positions */
  positions: Float64Array;
  /** F×3 flat triangle vertex indices */
  faces: Uint32Array;
  /** V×4 skin joint indices (into the skin's joint list) and their weights */
  joints: Uint16Array;
  weights: Float64Array;
  /** V×2 texture coordinates (TEXCOORD_0; glTF: origin top-left, v down), when the mesh has them */
  uvs?: Float64Array;
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

/**
 * Decode mesh `meshIndex`'s first primitive (POSITION, JOINTS_0, WEIGHTS_0, indices) from a GLB. The mesh's
 * node transform is not applied: for a skinned mesh glTF places vertices through the skin (the bind pose),
 * which for the WebXR hands is the asset frame itself (identity inverse-bind parents).
 */
export function skinnedMesh(bytes: Uint8Array, meshIndex = 0, where = 'glb'): SkinnedMesh {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!(bytes.length >= 20 && dv.getUint32(0, true) === 0x46546c67)) throw new Error(`${where}: not a GLB file`);
  const doc = parseGltfJson(bytes, where) as GltfDoc & {
    meshes?: { primitives: { attributes: Record<string, number>; indices?: number }[] }[];
    accessors?: { bufferView: number; byteOffset?: number; componentType: number; count: number; type: string; normalized?: boolean }[];
    bufferViews?: { byteOffset?: number; byteLength: number; byteStride?: number }[];
  };
  const jsonLen = dv.getUint32(12, true);
  const binStart = 20 + jsonLen + 8; // header of the BIN chunk
  const prim = doc.meshes?.[meshIndex]?.primitives?.[0];
  if (!prim) throw new Error(`${where}: no mesh ${meshIndex}`);
  const read = (acc: number): Float64Array => {
    const a = doc.accessors![acc];
    const bv = doc.bufferViews![a.bufferView];
    const nc = COMPONENTS[a.type];
    const size = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 }[a.componentType];
    if (!nc || !size) throw new Error(`${where}: accessor ${acc}: unsupported ${a.type}/${a.componentType}`);
    const stride = bv.byteStride ?? nc * size;
    const base = binStart + (bv.byteOffset ?? 0) + (a.byteOffset ?? 0);
    const out = new Float64Array(a.count * nc);
    for (let i = 0; i < a.count; i++) for (let c = 0; c < nc; c++) {
      const o = base + i * stride + c * size;
      let v: number;
      switch (a.componentType) {
        case 5126: v = dv.getFloat32(o, true); break;
        case 5125: v = dv.getUint32(o, true); break;
        case 5123: v = dv.getUint16(o, true); if (a.normalized) v /= 65535; break;
        case 5121: v = dv.getUint8(o); if (a.normalized) v /= 255; break;
        case 5122: v = dv.getInt16(o, true); break;
        default: v = dv.getInt8(o);
      }
      out[i * nc + c] = v;
    }
    return out;
  };
  const at = prim.attributes;
  if (at.POSITION === undefined || at.JOINTS_0 === undefined || at.WEIGHTS_0 === undefined || prim.indices === undefined) throw new Error(`${where}: mesh ${meshIndex} lacks POSITION, JOINTS_0, WEIGHTS_0 or indices`);
  return {
    positions: read(at.POSITION), faces: Uint32Array.from(read(prim.indices)), joints: Uint16Array.from(read(at.JOINTS_0)), weights: read(at.WEIGHTS_0),
    ...(at.TEXCOORD_0 !== undefined ? { uvs: read(at.TEXCOORD_0) } : {}),
  };
}
