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

/**
 * Up-front check of an image file without decoding its pixels: the header gives a size, and the file is
 * not cut short (a JPEG ends with its end-of-image marker, a PNG with its IEND chunk, a WebP is as long as
 * its RIFF header says). Catches truncated files before a long job starts; `what` (e.g. "sample 3 of
 * set X") is added to the message.
 */
export async function checkImageFile(file: string, what?: string): Promise<{ width: number; height: number }> {
  const where = what ? `${file} (${what})` : file;
  if (!fs.existsSync(file)) throw new InputError(where, 'image file not found');
  let size: { width: number; height: number };
  try { size = await imageSize(file); } catch (e) { throw new InputError(where, (e as InputError).message.slice(file.length + 2)); }
  const fd = fs.openSync(file, 'r');
  try {
    const len = fs.fstatSync(fd).size, n = Math.min(len, 1024);
    const head = Buffer.alloc(12), tail = Buffer.alloc(n);
    fs.readSync(fd, head, 0, 12, 0);
    fs.readSync(fd, tail, 0, n, len - n);
    const cut = (expected: string) => new InputError(where, `image is truncated or damaged after its header (${len} bytes, ${expected} missing); re-create or remove this file`);
    if (head[0] === 0xff && head[1] === 0xd8) {
      // the end-of-image marker, allowing trailing padding some writers add
      if (tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0) throw cut('the JPEG end-of-image marker');
    } else if (head.subarray(1, 4).toString('latin1') === 'PNG') {
      if (tail.lastIndexOf(Buffer.from('IEND', 'latin1')) < 0) throw cut('the PNG IEND chunk');
    } else if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') {
      if (head.readUInt32LE(4) + 8 > len) throw cut(`${head.readUInt32LE(4) + 8 - len} bytes of the WebP data`);
    }
  } finally { fs.closeSync(fd); }
  return size;
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
