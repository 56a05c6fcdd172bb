/**
 * Explicit index maps between the canonical 21-joint order (JOINTS21, FreiHAND) and other
 * skeletons (pure data + two helpers). Convention for every map here:
 *   canonical[i] = other[TO21[i]]        (a "gather" from the other skeleton into canonical order)
 * and the reverse map FROM21 gathers canonical joints into the other order where the other
 * skeleton has no extra joints. Converting to 21 and back round-trips exactly whenever the other
 * skeleton's joints are a permutation of the canonical ones.
 */
import { MAP_25_TO_21 } from './skeleton.ts';

export type SkeletonName = 'freihand' | 'mano16tips' | 'rhd' | 'dexycb' | 'dart' | 'mediapipe' | 'webxr25';

/**
 * MANO's native 16 joints (wrist; index1-3; middle1-3; little1-3; ring1-3; thumb1-3) followed by
 * the five fingertip vertices in the order thumb, index, middle, ring, little (vertex ids
 * MANO_TIP_VERTICES). This is manopth/manotorch's 21-joint array before reordering.
 */
export const MANO16_TIPS_TO21: readonly number[] = [0, 13, 14, 15, 16, 1, 2, 3, 17, 4, 5, 6, 18, 10, 11, 12, 19, 7, 8, 9, 20];
/** MANO (778-vertex) fingertip vertex ids used with the 16 native joints: thumb, index, middle, ring, little. */
export const MANO_TIP_VERTICES: readonly number[] = [745, 317, 444, 556, 673];

/**
 * RHD (Rendered Handpose Dataset) per hand: 0 wrist, then each finger tip-to-base
 * (1 thumb tip, 2 thumb IP, 3 thumb MCP, 4 thumb CMC; 5-8 index tip..MCP; ... 17-20 little tip..MCP).
 * RHD stores the left hand at 0-20 and the right at 21-41: add 21 for the right hand.
 */
export const RHD_TO21: readonly number[] = [0, 4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17];
/** Dex-YCB joint_3d: same order as FreiHAND (wrist, thumb MCP..tip as CMC..tip, index, middle, ring, little). */
const DEXYCB_TO21: readonly number[] = Array.from({ length: 21 }, (_, i) => i);
/**
 * DART / DARTset: 21 MANO joints from manotorch's ManoLayer, which already reorders MANO's 16
 * joints + 5 tips into the FreiHAND order (assumption, from manotorch's reorder table).
 */
const DART_TO21: readonly number[] = Array.from({ length: 21 }, (_, i) => i);
/** MediaPipe Hands 21 landmarks: wrist, thumb CMC/MCP/IP/tip, index MCP/PIP/DIP/tip, middle, ring, pinky: the canonical order. */
const MEDIAPIPE_TO21: readonly number[] = Array.from({ length: 21 }, (_, i) => i);
/** 25-joint WebXR/NIMBLE-style skeleton (JOINTS25): the finger metacarpal bases have no canonical counterpart. */
const WEBXR25_TO21: readonly number[] = MAP_25_TO_21;

export const TO21: Record<SkeletonName, readonly number[]> = {
  freihand: Array.from({ length: 21 }, (_, i) => i),
  mano16tips: MANO16_TIPS_TO21,
  rhd: RHD_TO21,
  dexycb: DEXYCB_TO21,
  dart: DART_TO21,
  mediapipe: MEDIAPIPE_TO21,
  webxr25: WEBXR25_TO21,
};

/** Number of joints of each skeleton. */
export const SKELETON_SIZE: Record<SkeletonName, number> = { freihand: 21, mano16tips: 21, rhd: 21, dexycb: 21, dart: 21, mediapipe: 21, webxr25: 25 };

/** Inverse of a permutation map (other[k] = canonical[FROM21[k]]). */
export function invertMap(map: readonly number[]): number[] {
  const inv = new Array<number>(map.length).fill(-1);
  map.forEach((src, dst) => { inv[src] = dst; });
  if (inv.some((v) => v < 0)) throw new Error('invertMap: not a permutation');
  return inv;
}

/** Convert J×3 joints (array of [x,y,z]) of skeleton `from` to the canonical 21 order. */
export function toCanonical21(joints: ArrayLike<ArrayLike<number>>, from: SkeletonName): number[][] {
  if (joints.length !== SKELETON_SIZE[from]) throw new Error(`toCanonical21: ${from} has ${SKELETON_SIZE[from]} joints, got ${joints.length}`);
  return TO21[from].map((k) => [joints[k][0], joints[k][1], joints[k][2]]);
}

/**
 * Convert canonical 21 joints to skeleton `to`. For 'webxr25' the four finger metacarpal bases
 * are not in the canonical set: they are placed on the wrist→MCP segment at the given fractions
 * (default: the generic-hand asset's ratios 0.34, 0.32, 0.33, 0.50 for index..little), so the 25 → 21 → 25 trip is exact only for
 * the 21 shared joints.
 */
export function fromCanonical21(joints21: ArrayLike<ArrayLike<number>>, to: SkeletonName, metacarpalBaseFractions: readonly number[] = [0.34, 0.32, 0.33, 0.5]): number[][] {
  if (joints21.length !== 21) throw new Error(`fromCanonical21: expected 21 joints, got ${joints21.length}`);
  if (to === 'webxr25') {
    const out: number[][] = new Array(25);
    MAP_25_TO_21.forEach((k25, i) => { out[k25] = [joints21[i][0], joints21[i][1], joints21[i][2]]; });
    ([[5, 5], [10, 9], [15, 13], [20, 17]] as const).forEach(([base, mcp21], f) => {
      const w = joints21[0], m = joints21[mcp21];
      out[base] = [0, 1, 2].map((c) => w[c] + metacarpalBaseFractions[f] * (m[c] - w[c]));
    });
    return out;
  }
  const inv = invertMap(TO21[to] as number[]);
  return inv.map((i) => [joints21[i][0], joints21[i][1], joints21[i][2]]);
}
