/**
 * Fitted real sets: a real set's labels (FreiHAND layout: xyz + K, or hgc-dev) with the renderer's rig fitted
 * to every frame (lib/hand/fit-real.ts), so `handgap render` with pose source "fitted" shows the same poses
 * from the same views with the same K. Written as a handgap pose file (lib/data/pose-sets.ts) with `rig25`,
 * `K` and meta (image size, source indices, per-sample residual). `fittedSetFile` caches the fit of a whole
 * set under $HANDGAP_CACHE/fitted/, so a render config can name the real set directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { readFreihand, labelFile } from '../data/freihand.ts';
import { loadPoseSource, selectPoses, writePoseFile, POSE_FILE_FORMAT, type PoseSet } from '../data/pose-sets.ts';
import { genericHandRestShape, genericHandMesh } from '../hand/asset.ts';
import { realFitContext, fitRealHand } from '../hand/fit-real.ts';
import { RING_T21 } from '../hand/real-joints.ts';
import { imageSize } from '../image/io.ts';
import { median } from '../metrics/numeric.ts';
import { resolveDatasetArg, cacheDir } from '../util/paths.ts';
import { Rng } from '../util/rng.ts';
import { Progress } from '../util/progress.ts';
import { InputError } from '../util/errors.ts';

/** Bump when the fit or the label definition changes what a fitted set contains. */
export const FITTED_SET_VERSION = 1;

export interface FittedSetResult { set: PoseSet; indices: number[]; residualMm: number[]; residualMedianMm: number; imageSize: [number, number] }

/** Fit the rig to a real set (all frames, or a seeded subset of `limit`). */
export async function fitRealSet(arg: string, opts: { limit?: number; seed?: number; quiet?: boolean } = {}): Promise<FittedSetResult> {
  const dir = resolveDatasetArg(arg);
  const real = readFreihand(dir, { checkImages: false });
  const all = loadPoseSource(arg === 'hgc-dev' ? arg : dir);
  if (all.count !== real.samples.length) throw new InputError(dir, `${all.count} poses but ${real.samples.length} K entries`);
  const seed = opts.seed ?? 0;
  const indices = opts.limit !== undefined && opts.limit < all.count
    ? Rng.derive(seed, 'poses-limit', all.name).permutation(all.count).slice(0, opts.limit).sort((a, b) => a - b)
    : Array.from({ length: all.count }, (_, i) => i);
  const set = selectPoses(all, indices, all.name);
  const size = await imageSize(real.samples[indices[0]].imagePath);
  const ctx = realFitContext(genericHandRestShape(), genericHandMesh());
  const rig25 = new Float64Array(set.count * 75), residualMm: number[] = [];
  const progress = opts.quiet ? null : new Progress({ label: `fitting the rig to ${set.name}`, total: set.count, unit: 'poses' });
  for (let i = 0; i < set.count; i++) {
    const r = fitRealHand(ctx, set.joints.subarray(i * 63, i * 63 + 63), set.handedness[i] === 'left');
    rig25.set(r.joints25, i * 75);
    residualMm.push(+(r.meanError * 1000).toFixed(3));
    progress?.tick();
  }
  progress?.finish();
  const residualMedianMm = median(residualMm);
  const K = indices.map((i) => real.samples[i].K.map((row) => row.slice()));
  const imageSizeWH: [number, number] = [size.width, size.height];
  const fitted: PoseSet = {
    ...set, name: `${set.name}-fitted`, rig25, K,
    meta: {
      ...set.meta, fittedFrom: path.resolve(dir), split: real.split, imageSize: imageSizeWH, sourceIndices: indices, limitSeed: opts.limit !== undefined ? seed : null,
      residualMm, residualMedianMm,
      residual: 'mean per-joint distance (mm) between the real labels and the labels the renderer derives from the fitted rig (lib/hand/real-joints.ts)',
      rig25Frame: 'camera frame; x negated for left hands (the renderer renders them mirrored and flips the image back)',
      fittedSetVersion: FITTED_SET_VERSION,
    },
  };
  return { set: fitted, indices, residualMm, residualMedianMm, imageSize: imageSizeWH };
}

/**
 * The fitted-set file a render config's `pose.file` names: a handgap pose file as it is, or a real set (known
 * name or FreiHAND-layout folder) fitted once and cached by its label files' content and the fit version.
 */
export async function fittedSetFile(arg: string): Promise<string> {
  if (fs.existsSync(arg) && fs.statSync(arg).isFile()) {
    if (!fs.readFileSync(arg, 'utf8').slice(0, 300).includes(`"${POSE_FILE_FORMAT}"`)) throw new InputError(arg, `not a handgap pose file (write one with 'handgap poses fit <real set> --real-labels --out <file>', or name a real set)`);
    return arg;
  }
  const dir = resolveDatasetArg(arg);
  const real = readFreihand(dir, { checkImages: false });
  const h = crypto.createHash('sha256');
  for (const kind of ['xyz', 'K'] as const) { const f = labelFile(dir, real.split, kind); if (fs.existsSync(f)) h.update(fs.readFileSync(f)); }
  h.update(JSON.stringify({ v: FITTED_SET_VERSION, t: RING_T21 }));
  const file = path.join(cacheDir(), 'fitted', `${path.basename(path.resolve(dir))}-${h.digest('hex').slice(0, 12)}.json`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`fitting the rig to ${arg} once (cached in ${file})\n`);
    const r = await fitRealSet(arg);
    writePoseFile(file, r.set);
    process.stderr.write(`fit residual (mean per-joint distance): median ${r.residualMedianMm.toFixed(2)} mm over ${r.set.count} frames\n`);
  }
  return file;
}
