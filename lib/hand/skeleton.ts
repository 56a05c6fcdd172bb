/**
 * Canonical skeleton definitions (pure data). The canonical order everywhere in handgap is FreiHAND's
 * 21 joints; positions are metres in the OpenCV camera frame (x right, y down, z forward).
 * Other skeletons convert through explicit index maps (see joint-maps.ts).
 */

/** FreiHAND / MANO-21 joint order. */
export const JOINTS21 = [
  'wrist',
  'thumb_cmc', 'thumb_mcp', 'thumb_ip', 'thumb_tip',
  'index_mcp', 'index_pip', 'index_dip', 'index_tip',
  'middle_mcp', 'middle_pip', 'middle_dip', 'middle_tip',
  'ring_mcp', 'ring_pip', 'ring_dip', 'ring_tip',
  'little_mcp', 'little_pip', 'little_dip', 'little_tip',
] as const;
export type Joint21 = (typeof JOINTS21)[number];

/** Parent of each of the 21 joints (-1 for the wrist). */
export const PARENTS21: readonly number[] = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19];

export const FINGERS = ['thumb', 'index', 'middle', 'ring', 'little'] as const;
export type Finger = (typeof FINGERS)[number];

/**
 * 25-joint skeleton in the NIMBLE / WebXR style: wrist, then per finger the metacarpal base and
 * four more joints (thumb: metacarpal, proximal, distal, tip; others: metacarpal, proximal,
 * intermediate, distal, tip). Names follow the WebXR Hand Input joint names.
 */
export const JOINTS25 = [
  'wrist',
  'thumb-metacarpal', 'thumb-phalanx-proximal', 'thumb-phalanx-distal', 'thumb-tip',
  'index-finger-metacarpal', 'index-finger-phalanx-proximal', 'index-finger-phalanx-intermediate', 'index-finger-phalanx-distal', 'index-finger-tip',
  'middle-finger-metacarpal', 'middle-finger-phalanx-proximal', 'middle-finger-phalanx-intermediate', 'middle-finger-phalanx-distal', 'middle-finger-tip',
  'ring-finger-metacarpal', 'ring-finger-phalanx-proximal', 'ring-finger-phalanx-intermediate', 'ring-finger-phalanx-distal', 'ring-finger-tip',
  'pinky-finger-metacarpal', 'pinky-finger-phalanx-proximal', 'pinky-finger-phalanx-intermediate', 'pinky-finger-phalanx-distal', 'pinky-finger-tip',
] as const;
export type Joint25 = (typeof JOINTS25)[number];

export const PARENTS25: readonly number[] = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 8, 0, 10, 11, 12, 13, 0, 15, 16, 17, 18, 0, 20, 21, 22, 23];

/**
 * For each of the 21 canonical joints, the index of the 25-joint skeleton joint at the same place.
 * The thumb's 25-joint "metacarpal" joint is the CMC; the finger metacarpal bases (5, 10, 15, 20)
 * have no 21-joint counterpart.
 */
export const MAP_25_TO_21: readonly number[] = [0, 1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24];
