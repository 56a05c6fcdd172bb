/**
 * Procedural occluders for real test images (pure math; no file IO): a soft-edged ellipse placed over the
 * hand, seeded. Its mask is exact, so which joints it hides is known (lib/analysis/occlusion.ts), and it is
 * pasted with the project's composition (lib/image/compose.ts, a seeded colour or a donor's pixels).
 */
import type { SoftMask } from './compose.ts';
import { Rng } from '../util/rng.ts';

export interface Ellipse { cx: number; cy: number; rx: number; ry: number; /** radians */ angle: number }

/** Ellipse mask, 1 inside, 0 outside, a linear ramp `feather` px wide across the border (pixel centres at +0.5). */
export function ellipseMask(width: number, height: number, e: Ellipse, feather = 1.5): SoftMask {
  const data = new Float32Array(width * height);
  const c = Math.cos(e.angle), s = Math.sin(e.angle), r = Math.min(e.rx, e.ry);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const dx = x + 0.5 - e.cx, dy = y + 0.5 - e.cy;
    const u = (c * dx + s * dy) / e.rx, v = (-s * dx + c * dy) / e.ry;
    // signed distance to the border approximated in units of the smaller radius
    const d = (Math.hypot(u, v) - 1) * r;
    data[y * width + x] = Math.min(1, Math.max(0, 0.5 - d / feather));
  }
  return { data, width, height };
}

export interface OccluderPlacement {
  /** fraction of the hand's 2D extent (the larger side of the joints' box): radii drawn in [lo, hi] */
  radius: [number, number];
}

/**
 * A seeded ellipse over the hand: centred on a randomly drawn joint (1..20) of the 2D joints `uv` (px),
 * shifted by up to a quarter of its radius, radii a random fraction of the hand's extent, random angle.
 */
export function placeOccluder(uv: number[][], opts: OccluderPlacement, seed: number, ...keys: (string | number)[]): Ellipse {
  const rng = Rng.derive(seed, 'occluder', ...keys);
  const xs = uv.map((p) => p[0]), ys = uv.map((p) => p[1]);
  const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1);
  const j = 1 + Math.floor(rng.random() * 20);
  const rx = extent * rng.uniform(opts.radius[0], opts.radius[1]), ry = extent * rng.uniform(opts.radius[0], opts.radius[1]);
  const shift = 0.25 * Math.min(rx, ry), a = rng.uniform(0, 2 * Math.PI);
  return { cx: uv[j][0] + shift * Math.cos(a), cy: uv[j][1] + shift * Math.sin(a), rx, ry, angle: rng.uniform(0, Math.PI) };
}
