/**
 * The one record every reader yields and every consumer takes.
 * Units: metres; frame: OpenCV camera (x right, y down, z forward); joint order: JOINTS21.
 */
export type Mat3 = [[number, number, number], [number, number, number], [number, number, number]];

export interface HandSample {
  /** Index within its dataset (0-based). */
  index: number;
  /** Path of the RGB image on disk (JPEG/PNG). */
  imagePath: string;
  /** 21×3 joints in metres, camera frame, canonical order; absent for sets without 3D labels. */
  xyz?: number[][];
  /** 3×3 camera intrinsics in pixels. */
  K: Mat3;
  /** Path of the label mask, when the set has one. */
  maskPath?: string;
  /** Mesh vertices (V×3, metres, camera frame), when available. */
  verts?: number[][];
  /** Anything else the source knows (seed, HDRI, pose parameters, handedness, ...). */
  meta?: Record<string, unknown>;
}
