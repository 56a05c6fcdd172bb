/**
 * 3D camera-frame joints from the estimator's 2.5D output (pure): 2D joint pixels in the source image,
 * root-relative depths in units of the bone scale s, the camera K, and s itself.
 *
 * Joint j lies on its pixel's ray d_j = K⁻¹(u_j, v_j, 1) at depth Z_j = Z_root + s·z_j, so X_j = Z_j·d_j.
 * Only the root depth Z_root is unknown. As in FreiHAND's protocol the scale s (|joint 10 − joint 9|, in
 * metres) is given with each test image (FreiHAND publishes it; for sets that publish 3D labels it is
 * computed from them, which uses that one bone length of the label and nothing else). We assume the
 * hand's proportions are those of the training hands: Z_root is the depth at which the summed length of
 * the 20 bones equals s × `boneSumRatio` (the training set's mean of Σ bone lengths / s). Σ bone lengths
 * grows monotonically with Z_root over the range searched (5 cm to 5 m), so bisection finds it; one bone
 * alone (Iqbal et al. 2018) is noisier than the sum of twenty.
 */
import type { Mat3 } from '../../data/types.ts';
import { PARENTS21 } from '../../hand/skeleton.ts';
import { freihandScale } from '../../data/geometry.ts';

/** Σ of the 20 bone lengths of a 21-joint pose (same unit as the pose). */
export function boneLengthSum(xyz: ArrayLike<ArrayLike<number>>): number {
  let s = 0;
  for (let j = 1; j < 21; j++) {
    const a = xyz[j], b = xyz[PARENTS21[j]];
    s += Math.hypot((a[0] as number) - (b[0] as number), (a[1] as number) - (b[1] as number), (a[2] as number) - (b[2] as number));
  }
  return s;
}

/** Mean over labelled poses of Σ bone lengths ÷ FreiHAND scale (stored with the model). */
export function meanBoneSumRatio(poses: number[][][]): number {
  if (poses.length === 0) throw new Error('meanBoneSumRatio: no poses');
  return poses.reduce((acc, p) => acc + boneLengthSum(p) / freihandScale(p), 0) / poses.length;
}

function rays(uv: ArrayLike<ArrayLike<number>>, K: Mat3): number[][] {
  const [fx, s, cx] = K[0], [, fy, cy] = K[1];
  return Array.from({ length: 21 }, (_, j) => {
    const v = ((uv[j][1] as number) - cy) / fy;
    return [((uv[j][0] as number) - cx - s * v) / fx, v, 1];
  });
}

/**
 * Camera-frame joints (metres). `uv`: 21 source-image pixels; `z`: 21 root-relative depths ÷ scale;
 * `scale`: metres; `boneSumRatio`: see above. Returns the joints and the root depth found.
 */
export function liftToCamera(uv: ArrayLike<ArrayLike<number>>, z: ArrayLike<number>, K: Mat3, scale: number, boneSumRatio: number): { xyz: number[][]; rootDepth: number } {
  const d = rays(uv, K);
  const at = (zr: number) => d.map((r, j) => { const Z = zr + scale * ((z[j] as number) - (z[0] as number)); return [r[0] * Z, r[1] * Z, Z]; });
  const target = scale * boneSumRatio;
  let lo = 0.05, hi = 5;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (boneLengthSum(at(mid)) < target) lo = mid; else hi = mid;
  }
  const rootDepth = 0.5 * (lo + hi);
  return { xyz: at(rootDepth), rootDepth };
}
