/**
 * Pixel crops around the hand (IO: reads the image through sharp). The square box comes from the
 * projected joints (geometry.handCropBox); parts of the box outside the image are filled with black.
 * Returns the crop, its intrinsics and the joints' pixel positions in it.
 */
import sharp from 'sharp';
import { InputError } from '../util/errors.ts';
import type { HandSample, Mat3 } from './types.ts';
import type { Image } from '../image/io.ts';
import { project, handCropBox, cropK, type CropBox } from './geometry.ts';

export interface HandCrop { image: Image; K: Mat3; uv: number[][]; box: CropBox }

/** Crop `sample`'s image to a square around its projected joints and resize to outSize×outSize (RGB). */
export async function cropHand(sample: HandSample, outSize = 128, margin = 0.25): Promise<HandCrop> {
  if (!sample.xyz) throw new InputError(sample.imagePath, `sample ${sample.index} has no xyz to crop around`);
  const uv = project(sample.xyz, sample.K);
  const box = handCropBox(uv, margin);
  const meta = await sharp(sample.imagePath).metadata().catch((e) => { throw new InputError(sample.imagePath, `cannot read image (${(e as Error).message})`); });
  const W = meta.width!, H = meta.height!;
  // integer box (pixel edges), then pad what lies outside the image
  const x = Math.floor(box.x), y = Math.floor(box.y), size = Math.max(1, Math.ceil(box.size));
  const ix0 = Math.max(0, x), iy0 = Math.max(0, y), ix1 = Math.min(W, x + size), iy1 = Math.min(H, y + size);
  if (ix1 <= ix0 || iy1 <= iy0) throw new InputError(sample.imagePath, `sample ${sample.index}: the hand box lies outside the ${W}×${H} image`);
  // sharp applies resize before extend within one pipeline, so pad first, then resize in a second pass
  const padded = await sharp(sample.imagePath).removeAlpha().toColourspace('srgb')
    .extract({ left: ix0, top: iy0, width: ix1 - ix0, height: iy1 - iy0 })
    .extend({ left: ix0 - x, top: iy0 - y, right: x + size - ix1, bottom: y + size - iy1, background: { r: 0, g: 0, b: 0 } })
    .raw().toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(padded.data, { raw: { width: padded.info.width, height: padded.info.height, channels: padded.info.channels } })
    .resize(outSize, outSize, { fit: 'fill', kernel: 'cubic' })
    .raw().toBuffer({ resolveWithObject: true });
  const intBox = { x, y, size };
  const K = cropK(sample.K, intBox, outSize);
  return { image: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 }, K, uv: project(sample.xyz, K), box: intBox };
}
