/**
 * The rest skeleton of the WebXR generic-hand asset (MIT, @webxr-input-profiles/assets). This is
 * the one file in lib/hand that reads from disk: the asset's GLB, parsed by ./gltf.ts.
 *
 * Frame ("hand frame"): the asset's own glTF frame, metres. For the right hand the fingers point
 * along −y, the thumb lies toward −z, the back of the hand faces +x (palm toward −x).
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../util/paths.ts';
import { MissingDependencyError } from '../util/errors.ts';
import { JOINTS25 } from './skeleton.ts';
import { parseGltfJson, skinJoints, skinnedMesh, type SkinnedMesh } from './gltf.ts';
import { makeShape, type HandShape } from './model.ts';

export function genericHandPath(side: 'right' | 'left' = 'right'): string {
  return path.join(projectRoot, 'node_modules', '@webxr-input-profiles', 'assets', 'dist', 'profiles', 'generic-hand', `${side}.glb`);
}

/** The asset's bytes and its skin joints (asset frame), or one clear error when the npm package is missing. */
function readAsset(side: 'right' | 'left'): { file: string; bytes: Buffer; skin: ReturnType<typeof skinJoints> } {
  const file = genericHandPath(side);
  if (!fs.existsSync(file)) throw new MissingDependencyError(`@webxr-input-profiles/assets (${file})`, 'npm ci');
  const bytes = fs.readFileSync(file);
  return { file, bytes, skin: skinJoints(parseGltfJson(bytes, file), 0, file) };
}

const cache = new Map<string, HandShape>();

/**
 * Rest shape (25 joints, metres, hand frame) of the generic-hand asset, with each joint's bone
 * frame taken from the asset's joint node rotations (local −z along the bone, local +y dorsal).
 */
export function genericHandRestShape(side: 'right' | 'left' = 'right'): HandShape {
  const hit = cache.get(side);
  if (hit) return hit;
  const { file, skin: joints } = readAsset(side);
  const byName = new Map(joints.map((j) => [j.name, j]));
  const positions = new Float64Array(75), dorsal = new Float64Array(75);
  JOINTS25.forEach((name, i) => {
    const j = byName.get(name);
    if (!j) throw new Error(`${file}: joint ${name} missing from the skin`);
    positions.set(j.position, i * 3);
    dorsal.set([j.rotation[1], j.rotation[4], j.rotation[7]], i * 3); // local +y axis in the asset frame
  });
  const shape = makeShape(positions, dorsal);
  cache.set(side, shape);
  return shape;
}

const meshCache = new Map<string, SkinnedMesh>();

/**
 * The asset's skinned mesh in its rest pose (hand frame, metres; 1360 vertices for the WebXR hands) with
 * joint indices remapped to JOINTS25 order. The renderer poses the same mesh in Blender.
 */
export function genericHandMesh(side: 'right' | 'left' = 'right'): SkinnedMesh {
  const hit = meshCache.get(side);
  if (hit) return hit;
  const { file, bytes, skin } = readAsset(side);
  const to25 = skin.map((j) => {
    const k = (JOINTS25 as readonly string[]).indexOf(j.name);
    if (k < 0) throw new Error(`${file}: skin joint ${j.name} is not one of JOINTS25`);
    return k;
  });
  const mesh = skinnedMesh(bytes, 0, file);
  mesh.joints = mesh.joints.map((j) => to25[j]);
  meshCache.set(side, mesh);
  return mesh;
}
