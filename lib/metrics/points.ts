/**
 * Point sets as flat float64 arrays (n×3, row-major) for the metrics, and conversion from the
 * nested arrays the readers produce. Pure.
 */
import { InputError } from '../util/errors.ts';

/** n×3 points, row-major: x0 y0 z0 x1 y1 z1 ... */
export type Points = Float64Array;

/** Nested n×3 (or flat) → flat; checks the shape and finiteness, naming `where` and the index. */
export function toPoints(p: ArrayLike<ArrayLike<number>> | Float64Array, where = 'points', expectedCount?: number): Points {
  if (p instanceof Float64Array) {
    if (p.length % 3 !== 0) throw new InputError(where, `flat array length ${p.length} is not a multiple of 3`);
    if (expectedCount !== undefined && p.length !== expectedCount * 3) throw new InputError(where, `expected ${expectedCount} points, got ${p.length / 3}`);
    for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) throw new InputError(where, `point ${Math.floor(i / 3)} coordinate ${i % 3} is ${p[i]}`);
    return p;
  }
  if (!Array.isArray(p)) throw new InputError(where, `expected an array of [x, y, z] points, got ${typeof p}`);
  const n = p.length;
  if (expectedCount !== undefined && n !== expectedCount) throw new InputError(where, `expected ${expectedCount} points, got ${n}`);
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const q = p[i];
    if (!Array.isArray(q) || q.length !== 3) throw new InputError(where, `point ${i} is not [x, y, z] (got ${Array.isArray(q) ? `length ${q.length}` : typeof q})`);
    for (let c = 0; c < 3; c++) {
      const v = q[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(where, `point ${i} coordinate ${'xyz'[c]} is ${v === null ? 'null (NaN in JSON)' : String(v)}`);
      out[3 * i + c] = v;
    }
  }
  return out;
}

export function toNested(p: Points): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < p.length; i += 3) out.push([p[i], p[i + 1], p[i + 2]]);
  return out;
}

/** Per-point Euclidean distances, computed as numpy does: sqrt((dx² + dy²) + dz²). */
export function pointDistances(a: Points, b: Points, out = new Float64Array(a.length / 3)): Float64Array {
  for (let i = 0, j = 0; j < out.length; i += 3, j++) {
    const dx = a[i] - b[i], dy = a[i + 1] - b[i + 1], dz = a[i + 2] - b[i + 2];
    out[j] = Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
  return out;
}
