/**
 * F-score between two point clouds as FreiHAND's official `calculate_fscore` computes it:
 * for each point the distance to the nearest point of the other cloud, counted with a strict `d < th`.
 * Note the official naming: "precision" = fraction of GT points within th of the prediction,
 * "recall" = fraction of predicted points within th of the GT (f is symmetric, so only those two swap).
 * Counting uses a uniform grid (cell ≥ th) instead of a k-d tree: a point has a neighbour closer
 * than th iff one lies in the 27 surrounding cells, so counts are exact. Pure.
 */
import type { Points } from './points.ts';

export interface FScore {
  f: number;
  /** Official naming: fraction of GT points with a predicted point closer than th. */
  precision: number;
  /** Official naming: fraction of predicted points with a GT point closer than th. */
  recall: number;
}

const MAX_CELLS = 1 << 20;

/** Spatial grid over one point cloud, for "is there a point closer than th?" queries. */
export class ProximityGrid {
  private stamp = new Int32Array(0);
  private head = new Int32Array(0);
  private next = new Int32Array(0);
  private generation = 0;
  private pts: Points = new Float64Array(0);
  private cell = 1; private th = 0;
  private min = [0, 0, 0]; private dims = [1, 1, 1];

  /** Index `target` for queries at distance threshold `th` (same unit as the points). */
  build(target: Points, th: number): this {
    const n = target.length / 3;
    this.pts = target; this.th = th;
    let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = -Infinity, y1 = -Infinity, z1 = -Infinity;
    for (let i = 0; i < target.length; i += 3) {
      const x = target[i], y = target[i + 1], z = target[i + 2];
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
      if (z < z0) z0 = z; if (z > z1) z1 = z;
    }
    if (n === 0) { x0 = y0 = z0 = 0; x1 = y1 = z1 = 0; }
    // a hair above th so that float rounding of cell indices can never hide a neighbour
    let cell = th > 0 ? th * (1 + 1e-9) : 1;
    const cellsFor = (c: number) => (Math.floor((x1 - x0) / c) + 1) * (Math.floor((y1 - y0) / c) + 1) * (Math.floor((z1 - z0) / c) + 1);
    while (cellsFor(cell) > MAX_CELLS) cell *= 2;
    this.cell = cell;
    this.min = [x0, y0, z0];
    this.dims = [Math.floor((x1 - x0) / cell) + 1, Math.floor((y1 - y0) / cell) + 1, Math.floor((z1 - z0) / cell) + 1];
    const cells = this.dims[0] * this.dims[1] * this.dims[2];
    if (this.stamp.length < cells) { this.stamp = new Int32Array(Math.max(cells, 4096)); this.head = new Int32Array(this.stamp.length); this.generation = 0; }
    if (this.next.length < n) this.next = new Int32Array(Math.max(n, 1024));
    const gen = ++this.generation;
    const [nx, ny] = this.dims;
    for (let i = 0; i < n; i++) {
      const c = Math.floor((target[3 * i] - x0) / cell) + nx * (Math.floor((target[3 * i + 1] - y0) / cell) + ny * Math.floor((target[3 * i + 2] - z0) / cell));
      if (this.stamp[c] !== gen) { this.stamp[c] = gen; this.head[c] = -1; }
      this.next[i] = this.head[c];
      this.head[c] = i;
    }
    return this;
  }

  /** Number of `source` points with a target point at distance strictly below th. */
  countWithin(source: Points): number {
    const { pts, th, cell, stamp, head, next } = this;
    const gen = this.generation;
    const [x0, y0, z0] = this.min;
    const [nx, ny, nz] = this.dims;
    let count = 0;
    for (let i = 0; i < source.length; i += 3) {
      const x = source[i], y = source[i + 1], z = source[i + 2];
      const ix = Math.floor((x - x0) / cell), iy = Math.floor((y - y0) / cell), iz = Math.floor((z - z0) / cell);
      if (ix < -1 || iy < -1 || iz < -1 || ix > nx || iy > ny || iz > nz) continue;
      const ax = ix > 0 ? ix - 1 : 0, bx = ix < nx - 1 ? ix + 1 : nx - 1;
      const ay = iy > 0 ? iy - 1 : 0, by = iy < ny - 1 ? iy + 1 : ny - 1;
      const az = iz > 0 ? iz - 1 : 0, bz = iz < nz - 1 ? iz + 1 : nz - 1;
      let found = false;
      // own cell first: the likeliest place for a neighbour
      if (ix >= 0 && iy >= 0 && iz >= 0 && ix < nx && iy < ny && iz < nz) {
        const c = ix + nx * (iy + ny * iz);
        if (stamp[c] === gen) {
          for (let j = head[c]; j >= 0; j = next[j]) {
            const dx = x - pts[3 * j], dy = y - pts[3 * j + 1], dz = z - pts[3 * j + 2];
            if (Math.sqrt(dx * dx + dy * dy + dz * dz) < th) { found = true; break; }
          }
        }
      }
      for (let cz = az; cz <= bz && !found; cz++) {
        for (let cy = ay; cy <= by && !found; cy++) {
          const rowBase = nx * (cy + ny * cz);
          for (let cx = ax; cx <= bx; cx++) {
            if (cx === ix && cy === iy && cz === iz) continue;
            const c = cx + rowBase;
            if (stamp[c] !== gen) continue;
            for (let j = head[c]; j >= 0; j = next[j]) {
              const dx = x - pts[3 * j], dy = y - pts[3 * j + 1], dz = z - pts[3 * j + 2];
              if (Math.sqrt(dx * dx + dy * dy + dz * dz) < th) { found = true; break; }
            }
            if (found) break;
          }
        }
      }
      if (found) count++;
    }
    return count;
  }
}

/** f = 2·r·p/(r+p) in the official evaluation order; 0 when r + p = 0. */
export function fFromPR(precision: number, recall: number): number {
  return recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
}

const gridA = new ProximityGrid(), gridB = new ProximityGrid();

/** calculate_fscore(gt, pred, th) → (f, precision, recall) with the official naming. */
export function fscore(gt: Points, pred: Points, th: number): FScore {
  const nGt = gt.length / 3, nPred = pred.length / 3;
  if (nGt === 0 || nPred === 0) return { f: 0, precision: 0, recall: 0 };
  const precision = gridA.build(pred, th).countWithin(gt) / nGt;
  const recall = gridB.build(gt, th).countWithin(pred) / nPred;
  return { f: fFromPR(precision, recall), precision, recall };
}

/** Brute-force nearest-neighbour distances (for tests and tiny clouds): for each source point, the distance to the nearest target point. */
export function nearestDistances(source: Points, target: Points): Float64Array {
  const out = new Float64Array(source.length / 3);
  for (let i = 0; i < source.length; i += 3) {
    let best = Infinity;
    for (let j = 0; j < target.length; j += 3) {
      const dx = source[i] - target[j], dy = source[i + 1] - target[j + 1], dz = source[i + 2] - target[j + 2];
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) best = d;
    }
    out[i / 3] = Math.sqrt(best);
  }
  return out;
}
