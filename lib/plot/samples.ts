/**
 * Grids of HandSamples with their labels drawn: joints (21×3 metres, camera frame) projected with
 * the sample's K onto its image, in finger colours (see grid.ts).
 */
import type { HandSample } from '../data/types.ts';
import type { Image } from '../image/io.ts';
import { imageGrid, type GridOptions } from './grid.ts';
import { projectPoints } from './joints2d.ts';

/** One grid of samples; caption per sample (default: its index). Samples without xyz show no joints. */
export async function sampleGrid(samples: HandSample[], opts: GridOptions & { caption?: (s: HandSample) => string } = {}): Promise<Image> {
  return imageGrid(samples.map((s) => ({
    image: s.imagePath,
    joints2d: s.xyz ? projectPoints(s.xyz, s.K) : undefined,
    caption: opts.caption ? opts.caption(s) : `#${s.index}`,
  })), opts);
}
