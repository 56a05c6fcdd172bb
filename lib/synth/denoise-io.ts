/**
 * The IO side of the guided denoiser: reads the worker's auxiliary passes (.npy, HxWx10 float32: linear colour,
 * albedo, normal, object index), denoises (lib/synth/denoise.ts), applies the view transform and writes the final
 * 8-bit image atomically (JPEG/PNG through lib/image/io.ts).
 */
import fs from 'node:fs';
import { readNpy } from '../data/npy.ts';
import { writeImage } from '../image/io.ts';
import { InputError } from '../util/errors.ts';
import { denoiseGuided, linearToSrgb8, type AuxPasses, type DenoiseOptions } from './denoise.ts';

/** Split the worker's HxWx10 auxiliary array into passes. */
export function readAuxPasses(file: string): AuxPasses {
  const a = readNpy(file);
  if (a.shape.length !== 3 || a.shape[2] !== 10 || !(a.data instanceof Float32Array)) {
    throw new InputError(file, `expected a float32 H×W×10 array of passes, got ${a.dtype} (${a.shape.join(', ')})`);
  }
  const [H, W, C] = a.shape, d = a.data, N = H * W;
  const color = new Float32Array(3 * N), albedo = new Float32Array(3 * N), normal = new Float32Array(3 * N), index = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < 3; c++) { color[3 * i + c] = d[i * C + c]; albedo[3 * i + c] = d[i * C + 3 + c]; normal[3 * i + c] = d[i * C + 6 + c]; }
    index[i] = d[i * C + 9];
  }
  return { width: W, height: H, color, albedo, normal, index };
}

/**
 * Final image of a sample from its auxiliary passes: denoised unless `denoise` is false (then the linear colour
 * goes through the same view transform, e.g. for converged references). Removes the passes file afterwards.
 */
export async function finishImage(auxFile: string, rgbFile: string, opts: { denoise: boolean; quality?: number; options?: Partial<DenoiseOptions> }): Promise<void> {
  const p = readAuxPasses(auxFile);
  const color = opts.denoise ? denoiseGuided(p, opts.options) : p.color;
  await writeImage(rgbFile, { data: linearToSrgb8(color), width: p.width, height: p.height, channels: 3 }, { quality: opts.quality });
  fs.rmSync(auxFile, { force: true });
}
