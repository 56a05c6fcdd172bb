/**
 * Small 3D helpers for the hand model (pure). Vectors are [x, y, z] tuples or slices of flat
 * Float64Arrays; 3×3 matrices are row-major Float64Array(9) unless stated otherwise.
 */

export type Vec3 = [number, number, number];

export function sub(a: ArrayLike<number>, b: ArrayLike<number>): Vec3 { return [a[0] - b[0], a[1] - b[1], a[2] - b[2]]; }
export function add(a: ArrayLike<number>, b: ArrayLike<number>): Vec3 { return [a[0] + b[0], a[1] + b[1], a[2] + b[2]]; }
export function scale(a: ArrayLike<number>, s: number): Vec3 { return [a[0] * s, a[1] * s, a[2] * s]; }
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
export function cross(a: ArrayLike<number>, b: ArrayLike<number>): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
export function norm(a: ArrayLike<number>): number { return Math.hypot(a[0], a[1], a[2]); }
export function normalize(a: ArrayLike<number>): Vec3 {
  const n = norm(a);
  if (n === 0) throw new Error('normalize: zero vector');
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** Rotation matrix (row-major 3×3) for a rotation of `angle` radians about the unit `axis`. */
export function axisAngleMatrix(axis: ArrayLike<number>, angle: number, out = new Float64Array(9)): Float64Array {
  const [x, y, z] = [axis[0], axis[1], axis[2]];
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  out[0] = t * x * x + c; out[1] = t * x * y - s * z; out[2] = t * x * z + s * y;
  out[3] = t * x * y + s * z; out[4] = t * y * y + c; out[5] = t * y * z - s * x;
  out[6] = t * x * z - s * y; out[7] = t * y * z + s * x; out[8] = t * z * z + c;
  return out;
}

/** Rotation matrix from a rotation vector (axis × angle, radians). */
export function rotvecMatrix(r: ArrayLike<number>, out = new Float64Array(9)): Float64Array {
  const a = Math.hypot(r[0], r[1], r[2]);
  if (a < 1e-12) {
    // first order: I + [r]x
    out[0] = 1; out[1] = -r[2]; out[2] = r[1];
    out[3] = r[2]; out[4] = 1; out[5] = -r[0];
    out[6] = -r[1]; out[7] = r[0]; out[8] = 1;
    return out;
  }
  return axisAngleMatrix([r[0] / a, r[1] / a, r[2] / a], a, out);
}

/** Rotation vector of a rotation matrix (row-major), angle in [0, π]. */
export function matrixRotvec(m: ArrayLike<number>): Vec3 {
  const cos = Math.max(-1, Math.min(1, (m[0] + m[4] + m[8] - 1) / 2));
  const angle = Math.acos(cos);
  if (angle < 1e-9) return [(m[7] - m[5]) / 2, (m[2] - m[6]) / 2, (m[3] - m[1]) / 2];
  if (Math.PI - angle < 1e-6) {
    // near π: axis from the diagonal
    const xx = Math.sqrt(Math.max(0, (m[0] + 1) / 2)), yy = Math.sqrt(Math.max(0, (m[4] + 1) / 2)), zz = Math.sqrt(Math.max(0, (m[8] + 1) / 2));
    let ax: Vec3;
    if (xx >= yy && xx >= zz) ax = [xx, (m[1] + m[3]) / (4 * xx), (m[2] + m[6]) / (4 * xx)];
    else if (yy >= zz) ax = [(m[1] + m[3]) / (4 * yy), yy, (m[5] + m[7]) / (4 * yy)];
    else ax = [(m[2] + m[6]) / (4 * zz), (m[5] + m[7]) / (4 * zz), zz];
    return scale(normalize(ax), angle);
  }
  const k = angle / (2 * Math.sin(angle));
  return [(m[7] - m[5]) * k, (m[2] - m[6]) * k, (m[3] - m[1]) * k];
}

/** out = a · b (3×3 row-major). `out` may not alias a or b. */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, out = new Float64Array(9)): Float64Array {
  for (let i = 0; i < 3; i++) {
    const a0 = a[i * 3], a1 = a[i * 3 + 1], a2 = a[i * 3 + 2];
    out[i * 3] = a0 * b[0] + a1 * b[3] + a2 * b[6];
    out[i * 3 + 1] = a0 * b[1] + a1 * b[4] + a2 * b[7];
    out[i * 3 + 2] = a0 * b[2] + a1 * b[5] + a2 * b[8];
  }
  return out;
}

export function matVec(m: ArrayLike<number>, v: ArrayLike<number>): Vec3 {
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

export function transpose(m: ArrayLike<number>): Float64Array {
  return Float64Array.of(m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]);
}


/** Rotation matrix of a unit quaternion [x, y, z, w] (glTF order). */
export function quatMatrix(q: ArrayLike<number>): Float64Array {
  const [x, y, z, w] = [q[0], q[1], q[2], q[3]];
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  );
}

/** Solve the symmetric positive definite system A·x = b (A n×n row-major) by Cholesky; returns null if A is not SPD. */
export function choleskySolve(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) { if (sum <= 0) return null; L[i * n + i] = Math.sqrt(sum); } else L[i * n + j] = sum / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let sum = b[i]; for (let k = 0; k < i; k++) sum -= L[i * n + k] * y[k]; y[i] = sum / L[i * n + i]; }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) { let sum = y[i]; for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k]; x[i] = sum / L[i * n + i]; }
  return x;
}
