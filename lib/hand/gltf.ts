/**
 * Minimal glTF 2.0 / GLB reader for skeletons (pure: takes bytes, does no IO). It reads the JSON
 * chunk, walks the node hierarchy of the default scene and returns every skin joint's world
 * transform in the asset's own frame (glTF units: metres). Meshes and buffers are not decoded.
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
