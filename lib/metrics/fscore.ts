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

const MAX_CELLS = 1 << 21;

/**
 * Grid over one target cloud (its own bounding box, cell a hair above th, points counting-sorted
 * by cell), queried point by point: sources outside the box grown by one cell are rejected at once,
 * the own cell is searched first, then the other 26 with early exit.
 */
export class ProximityGrid {
  private nx = 1; private ny = 1; private nz = 1;
  private x0 = 0; private y0 = 0; private z0 = 0;
  private inv = 1; private th = 0; private th2lo = 0; private th2hi = 0;
  private gen = 0;
  private stamp = new Int32Array(0); private start = new Int32Array(0); private end = new Int32Array(0);
  private occ = new Int32Array(0); private cellOfPt = new Int32Array(0); private sorted = new Float64Array(0);

  build(target: Points, th: number): this {
    const n = target.length / 3;
    let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = -Infinity, y1 = -Infinity, z1 = -Infinity;
    for (let i = 0; i < target.length; i += 3) {
      const x = target[i], y = target[i + 1], z = target[i + 2];
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
      if (z < z0) z0 = z; if (z > z1) z1 = z;
    }
    if (!(x1 >= x0)) { x0 = y0 = z0 = 0; x1 = y1 = z1 = 0; }
    let cell = th > 0 ? th * (1 + 1e-9) : 1;
    const cellsFor = (c: number) => (Math.floor((x1 - x0) / c) + 1) * (Math.floor((y1 - y0) / c) + 1) * (Math.floor((z1 - z0) / c) + 1);
    while (cellsFor(cell) > MAX_CELLS) cell *= 2;
    const inv = 1 / cell;
    const nx = Math.floor((x1 - x0) * inv) + 1, ny = Math.floor((y1 - y0) * inv) + 1, nz = Math.floor((z1 - z0) * inv) + 1;
    this.x0 = x0; this.y0 = y0; this.z0 = z0; this.inv = inv; this.nx = nx; this.ny = ny; this.nz = nz;
    this.th = th; this.th2lo = th * th * (1 - 1e-12); this.th2hi = th * th * (1 + 1e-12);
    const cells = nx * ny * nz;
    if (this.stamp.length < cells) { const c = Math.max(cells, 4096); this.stamp = new Int32Array(c); this.start = new Int32Array(c); this.end = new Int32Array(c); this.gen = 0; }
    if (this.cellOfPt.length < n) { const c = Math.max(n, 1024); this.cellOfPt = new Int32Array(c); this.occ = new Int32Array(c); this.sorted = new Float64Array(3 * c); }
    const gen = ++this.gen;
    const { stamp, start, end, occ, cellOfPt, sorted } = this;
    let occN = 0;
    for (let i = 0; i < n; i++) {
      // offsets are >= 0 here, so truncation is floor
      let ix = ((target[3 * i] - x0) * inv) | 0, iy = ((target[3 * i + 1] - y0) * inv) | 0, iz = ((target[3 * i + 2] - z0) * inv) | 0;
      if (ix >= nx) ix = nx - 1; if (iy >= ny) iy = ny - 1; if (iz >= nz) iz = nz - 1;
      const c = ix + nx * (iy + ny * iz);
      cellOfPt[i] = c;
      if (stamp[c] !== gen) { stamp[c] = gen; end[c] = 0; occ[occN++] = c; }
      end[c]++;
    }
    let pos = 0;
    for (let o = 0; o < occN; o++) { const c = occ[o]; start[c] = pos; pos += end[c]; end[c] = start[c]; }
    for (let i = 0; i < n; i++) {
      const q = 3 * end[cellOfPt[i]]++;
      sorted[q] = target[3 * i]; sorted[q + 1] = target[3 * i + 1]; sorted[q + 2] = target[3 * i + 2];
    }
    return this;
  }

  /** Number of `source` points with a target point at distance strictly below th. */
  countWithin(source: Points): number {
    const { nx, ny, nz, x0, y0, z0, inv, th, th2lo, th2hi, gen, stamp, start, end, sorted: pb } = this;
    let count = 0;
    for (let i = 0; i < source.length; i += 3) {
      const x = source[i], y = source[i + 1], z = source[i + 2];
      const ix = Math.floor((x - x0) * inv), iy = Math.floor((y - y0) * inv), iz = Math.floor((z - z0) * inv);
      if (ix < -1 || iy < -1 || iz < -1 || ix > nx || iy > ny || iz > nz) continue;
      let hit = false;
      if (ix >= 0 && iy >= 0 && iz >= 0 && ix < nx && iy < ny && iz < nz) {
        const c = ix + nx * (iy + ny * iz);
        if (stamp[c] === gen) {
          const qEnd = 3 * end[c];
          for (let q = 3 * start[c]; q < qEnd; q += 3) {
            const dx = x - pb[q], dy = y - pb[q + 1], dz = z - pb[q + 2];
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < th2lo || (d2 <= th2hi && Math.sqrt(d2) < th)) { hit = true; break; }
          }
        }
      }
      if (!hit) {
        const ax = ix > 0 ? ix - 1 : 0, bx = ix < nx - 1 ? ix + 1 : nx - 1;
        const ay = iy > 0 ? iy - 1 : 0, by = iy < ny - 1 ? iy + 1 : ny - 1;
        const az = iz > 0 ? iz - 1 : 0, bz = iz < nz - 1 ? iz + 1 : nz - 1;
        search: for (let cz = az; cz <= bz; cz++) for (let cy = ay; cy <= by; cy++) {
          const row = nx * (cy + ny * cz);
          for (let cx = ax; cx <= bx; cx++) {
            if (cx === ix && cy === iy && cz === iz) continue;
            const c = cx + row;
            if (stamp[c] !== gen) continue;
            const qEnd = 3 * end[c];
            for (let q = 3 * start[c]; q < qEnd; q += 3) {
              const dx = x - pb[q], dy = y - pb[q + 1], dz = z - pb[q + 2];
              const d2 = dx * dx + dy * dy + dz * dz;
              // squared test away from the threshold; the exact official test (sqrt(d) < th) next to it
              if (d2 < th2lo || (d2 <= th2hi && Math.sqrt(d2) < th)) { hit = true; break search; }
            }
          }
        }
      }
      if (hit) count++;
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
