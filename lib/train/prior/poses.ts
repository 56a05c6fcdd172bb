/**
 * Pose vectors for the occlusion prior and its baselines (pure math, no tf, no IO).
 * A prior pose is 63 numbers: 21 joints × xyz, root-relative (wrist at the origin), metres, camera frame,
 * left hands mirrored to right (x → −x), so one prior serves both hands.
 */
export const NJ = 21;
export const D = NJ * 3;

/** Root-relative, mirrored-if-left pose vector from a 21×3 flat pose (metres). */
export function toPriorVector(joints: ArrayLike<number>, offset: number, left: boolean, out: Float32Array, outOffset: number): void {
  const rx = joints[offset], ry = joints[offset + 1], rz = joints[offset + 2];
  const sx = left ? -1 : 1;
  for (let j = 0; j < NJ; j++) {
    out[outOffset + j * 3] = sx * (joints[offset + j * 3] - rx);
    out[outOffset + j * 3 + 1] = joints[offset + j * 3 + 1] - ry;
    out[outOffset + j * 3 + 2] = joints[offset + j * 3 + 2] - rz;
  }
}

/** N×63 prior vectors from N×21×3 poses with per-pose handedness. */
export function priorVectors(joints: ArrayLike<number>, count: number, handedness: ReadonlyArray<'left' | 'right'>): Float32Array {
  const out = new Float32Array(count * D);
  for (let i = 0; i < count; i++) toPriorVector(joints, i * D, handedness[i] === 'left', out, i * D);
  return out;
}

/** Apply a visibility mask (1 visible, 0 occluded, per joint) to a batch: occluded joints zeroed. */
export function maskPoses(poses: Float32Array, visible: Uint8Array): Float32Array {
  const out = new Float32Array(poses.length);
  const n = poses.length / D;
  for (let i = 0; i < n; i++) for (let j = 0; j < NJ; j++) {
    if (!visible[i * NJ + j]) continue;
    const o = i * D + j * 3;
    out[o] = poses[o]; out[o + 1] = poses[o + 1]; out[o + 2] = poses[o + 2];
  }
  return out;
}

/**
 * Exactly `round(fraction·20)` of joints 1..20 occluded per pose (the wrist is the origin of a
 * root-relative pose and is never counted). `random01` supplies uniform numbers (seeded by the caller).
 */
export function occlusionMasks(count: number, fraction: number, random01: () => number): Uint8Array {
  const vis = new Uint8Array(count * NJ).fill(1);
  const k = Math.round(fraction * (NJ - 1));
  for (let i = 0; i < count; i++) {
    const idx = Array.from({ length: NJ - 1 }, (_, t) => t + 1);
    for (let t = idx.length - 1; t > 0; t--) { const r = Math.floor(random01() * (t + 1)); [idx[t], idx[r]] = [idx[r], idx[t]]; }
    for (let t = 0; t < k; t++) vis[i * NJ + idx[t]] = 0;
  }
  return vis;
}

/** Keep visible joints of `observed`, take occluded ones from `fill` (both N×63). */
export function fillOccluded(observed: Float32Array, fill: Float32Array, visible: Uint8Array): Float32Array {
  const out = Float32Array.from(observed);
  const n = observed.length / D;
  for (let i = 0; i < n; i++) for (let j = 0; j < NJ; j++) {
    if (visible[i * NJ + j]) continue;
    const o = i * D + j * 3;
    out[o] = fill[o]; out[o + 1] = fill[o + 1]; out[o + 2] = fill[o + 2];
  }
  return out;
}

/** Mean per-joint 3D error (same units as the input) over occluded joints only. */
export function occludedJointError(truth: Float32Array, estimate: Float32Array, visible: Uint8Array): number {
  let sum = 0, n = 0;
  const count = truth.length / D;
  for (let i = 0; i < count; i++) for (let j = 0; j < NJ; j++) {
    if (visible[i * NJ + j]) continue;
    const o = i * D + j * 3;
    sum += Math.hypot(truth[o] - estimate[o], truth[o + 1] - estimate[o + 1], truth[o + 2] - estimate[o + 2]);
    n++;
  }
  return n ? sum / n : 0;
}

/** Baseline 1: fill occluded joints with the mean training pose. */
export function meanPose(train: Float32Array): Float32Array {
  const n = train.length / D, m = new Float32Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) m[d] += train[i * D + d];
  for (let d = 0; d < D; d++) m[d] /= n;
  return m;
}

export function meanPoseFill(observed: Float32Array, visible: Uint8Array, mean: Float32Array): Float32Array {
  const n = observed.length / D, fill = new Float32Array(observed.length);
  for (let i = 0; i < n; i++) fill.set(mean, i * D);
  return fillOccluded(observed, fill, visible);
}

/** Baseline 2: fill occluded joints from the training pose nearest on the visible joints. */
export function nearestNeighbourFill(observed: Float32Array, visible: Uint8Array, train: Float32Array): Float32Array {
  const n = observed.length / D, nt = train.length / D, fill = new Float32Array(observed.length);
  for (let i = 0; i < n; i++) {
    let best = -1, bestD = Infinity;
    for (let t = 0; t < nt; t++) {
      let d2 = 0;
      for (let j = 0; j < NJ && d2 < bestD; j++) {
        if (!visible[i * NJ + j]) continue;
        const o = i * D + j * 3, p = t * D + j * 3;
        const dx = observed[o] - train[p], dy = observed[o + 1] - train[p + 1], dz = observed[o + 2] - train[p + 2];
        d2 += dx * dx + dy * dy + dz * dz;
      }
      if (d2 < bestD) { bestD = d2; best = t; }
    }
    fill.set(train.subarray(best * D, best * D + D), i * D);
  }
  return fillOccluded(observed, fill, visible);
}
