/**
 * Geometry on one sample record (pure): projection with K, root-relative and scale-normalised forms
 * (FreiHAND's scale: the length of the middle finger's first bone, joints 9→10), crop boxes around
 * the projected hand and the intrinsics of a crop.
 */
import type { Mat3 } from './types.ts';

/** Index of the middle finger's MCP and PIP in the canonical 21-joint order. */
export const MIDDLE_MCP = 9, MIDDLE_PIP = 10;

/** Project n×3 camera-frame points (metres) to n×2 pixels: uv = (K xyz) / z. */
export function project(xyz: number[][], K: Mat3): number[][] {
  return xyz.map(([x, y, z]) => {
    const u = K[0][0] * x + K[0][1] * y + K[0][2] * z;
    const v = K[1][0] * x + K[1][1] * y + K[1][2] * z;
    const w = K[2][0] * x + K[2][1] * y + K[2][2] * z;
    return [u / w, v / w];
  });
}

/** FreiHAND scale: |xyz[10] - xyz[9]| (metres). */
export function freihandScale(xyz: number[][]): number {
  const a = xyz[MIDDLE_MCP], b = xyz[MIDDLE_PIP];
  return Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
}

/** xyz - xyz[root] (metres). */
export function rootRelative(xyz: number[][], root = 0): number[][] {
  const r = xyz[root];
  return xyz.map((p) => [p[0] - r[0], p[1] - r[1], p[2] - r[2]]);
}

/** Root-relative and divided by the scale (unitless); scale defaults to FreiHAND's bone length. */
export function scaleNormalised(xyz: number[][], scale = freihandScale(xyz), root = 0): number[][] {
  return rootRelative(xyz, root).map((p) => [p[0] / scale, p[1] / scale, p[2] / scale]);
}

/** Undo scaleNormalised: metres in the camera frame, given the root position and scale. */
export function denormalise(norm: number[][], rootXyz: number[], scale: number): number[][] {
  return norm.map((p) => [p[0] * scale + rootXyz[0], p[1] * scale + rootXyz[1], p[2] * scale + rootXyz[2]]);
}

export interface CropBox { x: number; y: number; size: number }

/** Square box around the projected joints: centre of their bounding box, side = max extent × (1 + 2·margin). Pixels. */
export function handCropBox(uv: number[][], margin = 0.25, minSize = 16): CropBox {
  let u0 = Infinity, v0 = Infinity, u1 = -Infinity, v1 = -Infinity;
  for (const [u, v] of uv) { u0 = Math.min(u0, u); u1 = Math.max(u1, u); v0 = Math.min(v0, v); v1 = Math.max(v1, v); }
  const size = Math.max(minSize, Math.max(u1 - u0, v1 - v0) * (1 + 2 * margin));
  return { x: (u0 + u1) / 2 - size / 2, y: (v0 + v1) / 2 - size / 2, size };
}

/** Intrinsics after cropping `box` and resizing it to outSize×outSize (pixel centres at +0.5). */
export function cropK(K: Mat3, box: CropBox, outSize: number): Mat3 {
  const r = outSize / box.size;
  return [
    [K[0][0] * r, K[0][1] * r, (K[0][2] - box.x) * r],
    [K[1][0] * r, K[1][1] * r, (K[1][2] - box.y) * r],
    [0, 0, 1],
  ];
}

/** Mirror a sample horizontally (left ↔ right hand): x negated, cx' = width - cx. */
export function mirrorSample(xyz: number[][], K: Mat3, width: number): { xyz: number[][]; K: Mat3 } {
  return {
    xyz: xyz.map(([x, y, z]) => [-x, y, z]),
    K: [[K[0][0], -K[0][1], width - K[0][2]], [K[1][0], K[1][1], K[1][2]], [0, 0, 1]],
  };
}
