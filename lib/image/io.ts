/**
 * Pixel buffers in and out of files, through sharp. An Image is HWC, RGB (3 channels) or gray (1),
 * values as stored (0..255) in a Uint8Array, or floats in a Float32Array for processing.
 */
import sharp from 'sharp';
import fs from 'node:fs';
import { InputError } from '../util/errors.ts';
import { writeFileAtomicAsync } from '../util/fsx.ts';

export interface Image<T extends Uint8Array | Float32Array = Uint8Array> {
  data: T;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** Read an image file as 8-bit RGB (alpha dropped) or gray; optional resize (bicubic) to width×height. */
export async function readImage(file: string, opts: { gray?: boolean; width?: number; height?: number } = {}): Promise<Image> {
  if (!fs.existsSync(file)) throw new InputError(file, 'image file not found');
  try {
    let s = sharp(file, { failOn: 'error' }).removeAlpha();
    if (opts.width && opts.height) s = s.resize(opts.width, opts.height, { fit: 'fill', kernel: 'cubic' });
    if (opts.gray) s = s.grayscale();
    else s = s.toColourspace('srgb');
    const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as 1 | 3 };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `cannot decode image (${(e as Error).message})`);
  }
}

/** Width and height without decoding pixels. */
export async function imageSize(file: string): Promise<{ width: number; height: number }> {
  try {
    const m = await sharp(file).metadata();
    if (!m.width || !m.height) throw new Error('no size in header');
    return { width: m.width, height: m.height };
  } catch (e) {
    throw new InputError(file, `cannot read image header (${(e as Error).message})`);
  }
}

/** Write an 8-bit image; format from the extension (.png, .jpg/.jpeg, .webp). Atomic. */
export async function writeImage(file: string, img: Image, opts: { quality?: number } = {}): Promise<void> {
  const s = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: img.channels } });
  const ext = file.toLowerCase().split('.').pop();
  const buf = ext === 'png' ? await s.png().toBuffer()
    : ext === 'jpg' || ext === 'jpeg' ? await s.jpeg({ quality: opts.quality ?? 95 }).toBuffer()
    : ext === 'webp' ? await s.webp({ quality: opts.quality ?? 95 }).toBuffer()
    : (() => { throw new InputError(file, 'unsupported image extension (use .png, .jpg or .webp)'); })();
  await writeFileAtomicAsync(file, buf);
}

/** Float copy of an 8-bit image (values unchanged, 0..255). */
export function toFloat(img: Image): Image<Float32Array> {
  return { data: Float32Array.from(img.data), width: img.width, height: img.height, channels: img.channels };
}

/** 8-bit copy of a float image: clipped to 0..255 and rounded. */
export function toUint8(img: Image<Float32Array>): Image {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(img.data[i])));
  return { data: out, width: img.width, height: img.height, channels: img.channels };
}
