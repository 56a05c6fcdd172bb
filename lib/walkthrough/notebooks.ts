/**
 * What each study notebook must show (IO: reads executed notebooks): the minimum number of image
 * outputs (PNG, from figures or image grids) per notebook at any scale, used by `handgap reproduce` after
 * executing them and by the tests.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Minimum image outputs of an executed notebook (figures whose data may be absent are not counted). */
export const EXPECTED_IMAGES: Record<string, number> = {
  '01_hand_model': 1,            // pose PCA
  '02_synthesis': 3,             // sample grid with joints, masks, contact sheet
  '03_spectral': 2,              // augmentation grid + amplitude statistics (needs real data for the latter)
  '04_composition_occlusion': 1, // composed grid (gap figures need real data)
  '05_training': 1,              // ratio bars (study's, plus ours)
  '06_occlusion_prior': 2,       // VAE curve, fill errors
  '07_saturation': 1,            // ablation bars
  '08_reproduce': 3,             // pose PCA, prior ×2 (+ spectrum, training, ratio with real data)
};

/** Number of outputs carrying an image/png in an executed notebook. */
export function countImageOutputs(file: string): number {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  return nb.cells.reduce((n, c) => n + (c.outputs ?? []).filter((o) => o.data && typeof o.data['image/png'] === 'string').length, 0);
}

/** null if the executed notebook shows at least the expected images, else what is missing. */
export function checkNotebookImages(executed: string): string | null {
  const name = path.basename(executed, '.ipynb');
  const want = EXPECTED_IMAGES[name];
  if (want === undefined) return null;
  const got = countImageOutputs(executed);
  return got >= want ? null : `${name}: ${got} image output(s), expected at least ${want}`;
}
