/**
 * Image grids with joints drawn over them (samples, augmentations, compositions): each cell is
 * resized to the cell size, the 21 joints and bones are drawn as an SVG overlay (finger colours of
 * the print style) and composited with sharp, with an optional caption under each image.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { Image } from '../image/io.ts';
import { readImage, writeImage } from '../image/io.ts';
import { InputError } from '../util/errors.ts';
import { bones21 } from './joints2d.ts';
import { FINGER_COLOURS, FONT_FAMILY } from './style.ts';

export interface GridCell {
  image: Image | string;              // pixels or a file path
  joints2d?: ArrayLike<number>[];     // 21×2 pixel coordinates in the ORIGINAL image
  caption?: string;
}

export interface GridOptions { columns?: number; cellSize?: number; gap?: number; captionHeight?: number; jointRadius?: number; lineWidth?: number }

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** SVG overlay (width×height) of a 21-joint skeleton already scaled to the cell. */
function skeletonSvg(uv: ArrayLike<number>[], width: number, height: number, opts: { jointRadius?: number; lineWidth?: number } = {}): string {
  if (uv.length !== 21) throw new InputError('joints2d', `has ${uv.length} joints, expected 21 (FreiHAND order)`);
  const lw = opts.lineWidth ?? 2, r = opts.jointRadius ?? 2.5;
  const lines = bones21().map((b) => `<line x1="${uv[b.parent][0].toFixed(1)}" y1="${uv[b.parent][1].toFixed(1)}" x2="${uv[b.child][0].toFixed(1)}" y2="${uv[b.child][1].toFixed(1)}" stroke="${FINGER_COLOURS[b.finger]}" stroke-width="${lw}" stroke-linecap="round"/>`);
  const dots = Array.from(uv, (p, j) => `<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="${r}" fill="${j === 0 ? '#000' : FINGER_COLOURS[Math.floor((j - 1) / 4)]}" stroke="#fff" stroke-width="0.8"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${lines.join('')}${dots.join('')}</svg>`;
}

/** Compose cells into one RGB image (white background). */
export async function imageGrid(cells: GridCell[], opts: GridOptions = {}): Promise<Image> {
  if (!cells.length) throw new InputError('imageGrid', 'no cells');
  const cols = Math.min(opts.columns ?? Math.ceil(Math.sqrt(cells.length)), cells.length);
  const rows = Math.ceil(cells.length / cols);
  const size = opts.cellSize ?? 224, gap = opts.gap ?? 4;
  const capH = cells.some((c) => c.caption) ? (opts.captionHeight ?? 18) : 0;
  const W = cols * size + (cols + 1) * gap, H = rows * (size + capH) + (rows + 1) * gap;
  const layers: OverlayOptions[] = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const img = typeof c.image === 'string' ? await readImage(c.image) : c.image;
    const x0 = gap + (i % cols) * (size + gap), y0 = gap + Math.floor(i / cols) * (size + capH + gap);
    const raw = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: img.channels } });
    const sx = size / img.width, sy = size / img.height;
    layers.push({ input: await raw.resize(size, size, { fit: 'fill' }).png().toBuffer(), left: x0, top: y0 });
    if (c.joints2d) {
      const uv = Array.from(c.joints2d, (p) => [p[0] * sx, p[1] * sy]);
      layers.push({ input: Buffer.from(skeletonSvg(uv, size, size, opts)), left: x0, top: y0 });
    }
    if (c.caption) {
      layers.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${capH}"><text x="${size / 2}" y="${capH - 5}" font-family="${FONT_FAMILY}" font-size="12" text-anchor="middle" fill="#000">${esc(c.caption)}</text></svg>`), left: x0, top: y0 + size });
    }
  }
  const { data, info } = await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } }).composite(layers).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

/** imageGrid written to a PNG/JPEG file (atomic). */
export async function writeImageGrid(file: string, cells: GridCell[], opts: GridOptions = {}): Promise<Image> {
  const img = await imageGrid(cells, opts);
  await writeImage(file, img);
  return img;
}
