/**
 * Shape parameters (pure): a small vector that deforms a base shape the way hands differ, used by
 * fitting. Layout (N_SHAPE = 31):
 *   [0]       log global scale
 *   [1..15]   log length factor of the 3 distal bones of each finger (thumb, index, middle, ring, little):
 *             thumb CMC→MCP, MCP→IP, IP→tip; fingers MCP→PIP, PIP→DIP, DIP→tip
 *   [16..30]  displacement (metres, hand frame, before global scale) of the palm joints
 *             thumb CMC, index/middle/ring/little MCP (25-joint indices 1, 6, 11, 16, 21)
 * Bone frames (rotation axes) stay those of the base shape.
 */
import type { HandShape } from './model.ts';
import { PARENTS25 } from './skeleton.ts';

export const N_SHAPE = 31;
/** 25-joint index of the joint at the far end of each scaled bone, in parameter order. */
export const SCALED_BONE_ENDS: readonly number[] = [2, 3, 4, 7, 8, 9, 12, 13, 14, 17, 18, 19, 22, 23, 24];
/** 25-joint indices of the palm joints that can move. */
export const PALM_JOINTS: readonly number[] = [1, 6, 11, 16, 21];

/** Write the rest positions of `base` deformed by `params` into `out.rest` (axes shared with base). */
export function applyShapeParams(base: HandShape, params: ArrayLike<number>, out?: HandShape): HandShape {
  const res: HandShape = out ?? { rest: new Float64Array(75), axes: base.axes, dorsal: base.dorsal };
  const br = base.rest, r = res.rest;
  const s = Math.exp(params[0]);
  // local offsets, scaled
  const off = OFF;
  for (let j = 1; j < 25; j++) {
    const p = PARENTS25[j];
    off[j * 3] = br[j * 3] - br[p * 3]; off[j * 3 + 1] = br[j * 3 + 1] - br[p * 3 + 1]; off[j * 3 + 2] = br[j * 3 + 2] - br[p * 3 + 2];
  }
  for (let k = 0; k < 15; k++) {
    const j = SCALED_BONE_ENDS[k], f = Math.exp(params[1 + k]);
    off[j * 3] *= f; off[j * 3 + 1] *= f; off[j * 3 + 2] *= f;
  }
  for (let k = 0; k < 5; k++) {
    const j = PALM_JOINTS[k];
    for (let c = 0; c < 3; c++) off[j * 3 + c] += params[16 + k * 3 + c];
  }
  r[0] = br[0]; r[1] = br[1]; r[2] = br[2];
  for (let j = 1; j < 25; j++) {
    const p = PARENTS25[j];
    r[j * 3] = r[p * 3] + s * off[j * 3]; r[j * 3 + 1] = r[p * 3 + 1] + s * off[j * 3 + 1]; r[j * 3 + 2] = r[p * 3 + 2] + s * off[j * 3 + 2];
  }
  return res;
}
const OFF = new Float64Array(75);
