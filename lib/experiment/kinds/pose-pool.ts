/**
 * pose-pool: a seeded pool of poses from a source, with model angles fitted when the source has none (the
 * renderer needs them); or, with `fitted`, the rig fitted to a real set's frames (their poses, views and K:
 * lib/synth/fitted-set.ts), optionally only one part of its blocked split, so renders of the pool show real
 * training frames and never a test frame (the syn-hgc design of the sweeps).
 */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind } from '../step.ts';
import { loadPoseSource, readPoseFile, selectPoses, writePoseFile, type PoseSet } from '../../data/pose-sets.ts';
import { blockSplit } from '../../data/split.ts';
import { readFreihand } from '../../data/freihand.ts';
import { nestedSubsets } from '../../hand/sampler.ts';
import { fitPoseSet } from '../../hand/fit.ts';
import { genericHandRestShape } from '../../hand/asset.ts';
import { fittedSetFile } from '../../synth/fitted-set.ts';
import { median } from '../../metrics/numeric.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { Progress } from '../../util/progress.ts';
import { InputError } from '../../util/errors.ts';

const frame = z.number().int().min(0);

export const posePool = defineKind({
  name: 'pose-pool',
  version: 2, // 2: fitted real sets and their blocked split
  summary: 'a seeded pool of poses from a source (hgc-dev, leap, pose file, FreiHAND folder), or a real set\'s fitted frames (one part of its blocked split); result: { file, count, sourceFrames }',
  config: z.strictObject({
    /** hgc-dev, leap, a handgap pose file, an *_xyz.json file or a FreiHAND-layout folder */
    source: z.string().min(1),
    /** the rig fitted to every frame of the real set `source` (poses, views and K: pose source "fitted" of the renderer) */
    fitted: z.boolean().default(false),
    /** with `fitted`: only the frames of this part of the set's blocked split (lib/data/split.ts) */
    blocks: z.strictObject({ test: z.array(z.tuple([frame, frame])).min(1), gap: frame, part: z.enum(['train', 'test']) }).optional(),
    /** at most this many poses (a seeded subset); 0 = all */
    limit: z.number().int().min(0).default(0),
    seed: z.number().int().default(0),
  }).refine((c) => c.fitted || !c.blocks, { message: '"blocks" needs "fitted": true (a real set\'s frames)', path: ['blocks'] }),
  async run(config, { dir }) {
    const src = config.source;
    let set: PoseSet;
    if (config.fitted) {
      set = readPoseFile(await fittedSetFile(src));
      const frames = (set.meta.sourceIndices as number[] | undefined) ?? Array.from({ length: set.count }, (_, i) => i);
      if (config.blocks) {
        const count = readFreihand(resolveDatasetArg(src), { checkImages: false }).count;
        const part = new Set(blockSplit({ count, test: config.blocks.test, gap: config.blocks.gap }, 'pose-pool.blocks')[config.blocks.part]);
        const keep = frames.flatMap((f, i) => (part.has(f) ? [i] : []));
        if (!keep.length) throw new InputError('pose-pool.blocks', `no fitted frame of ${src} is in the ${config.blocks.part} part of the split`);
        set = selectPoses(set, keep, `${set.name}-${config.blocks.part}`);
      }
    } else set = loadPoseSource(src === 'hgc-dev' || src === 'leap' ? src : resolveDatasetArg(src));
    if (config.limit > 0 && config.limit < set.count) set = selectPoses(set, nestedSubsets(set.count, [config.limit / set.count], config.seed)[0].indices, `${set.name}-pool${config.limit}`);
    const { frames: _frames, ...meta } = set.meta as Record<string, unknown>; // per-frame provenance is large
    set.meta = meta;
    if (!set.angles && !set.rig25) {
      // the renderer is driven by model angles: fit them (lib/hand) to the pool's joints
      const prog = new Progress({ label: 'fit poses', total: set.count, unit: 'pose' });
      const fit = fitPoseSet(genericHandRestShape('right'), set.joints, set.handedness, { onPose: () => prog.tick() });
      prog.finish();
      set.angles = fit.angles;
      let err = 0; for (const e of fit.jointErrors) err += e;
      set.meta.fitMeanJointErrorMm = (1000 * err) / fit.jointErrors.length;
    }
    const file = path.join(dir, 'poses.json');
    writePoseFile(file, set, { poolSeed: config.seed, source: src, ...(config.blocks ? { split: config.blocks } : {}) });
    const sourceFrames = (set.meta.sourceIndices as number[] | undefined) ?? null;
    const residual = set.meta.residualMm as number[] | undefined;
    return {
      file, count: set.count, fitMeanJointErrorMm: (set.meta.fitMeanJointErrorMm as number | undefined) ?? null,
      ...(config.fitted ? { sourceFrames, fitResidualMedianMm: residual?.length ? median(residual) : null } : {}),
    };
  },
});
