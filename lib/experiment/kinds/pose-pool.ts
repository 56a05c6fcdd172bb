/** pose-pool: a seeded pool of poses from a source, with model angles fitted when the source has none (the renderer needs them). */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind } from '../step.ts';
import { loadPoseSource, selectPoses, writePoseFile } from '../../data/pose-sets.ts';
import { nestedSubsets } from '../../hand/sampler.ts';
import { fitPoseSet } from '../../hand/fit.ts';
import { genericHandRestShape } from '../../hand/asset.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { Progress } from '../../util/progress.ts';

export const posePool = defineKind({
  name: 'pose-pool',
  version: 1,
  summary: 'a seeded pool of poses from a source (hgc-dev, leap, pose file, FreiHAND folder); result: { file, count }',
  config: z.strictObject({
    /** hgc-dev, leap, a handgap pose file, an *_xyz.json file or a FreiHAND-layout folder */
    source: z.string().min(1),
    /** at most this many poses (a seeded subset); 0 = all */
    limit: z.number().int().min(0).default(0),
    seed: z.number().int().default(0),
  }),
  async run(config, { dir }) {
    const src = config.source;
    let set = loadPoseSource(src === 'hgc-dev' || src === 'leap' ? src : resolveDatasetArg(src));
    if (config.limit > 0 && config.limit < set.count) set = selectPoses(set, nestedSubsets(set.count, [config.limit / set.count], config.seed)[0].indices, `${set.name}-pool${config.limit}`);
    const { frames: _frames, ...meta } = set.meta as Record<string, unknown>; // per-frame provenance is large
    set.meta = meta;
    if (!set.angles) {
      // the renderer is driven by model angles: fit them (lib/hand) to the pool's joints
      const prog = new Progress({ label: 'fit poses', total: set.count, unit: 'pose' });
      const fit = fitPoseSet(genericHandRestShape('right'), set.joints, set.handedness, { onPose: () => prog.tick() });
      prog.finish();
      set.angles = fit.angles;
      let err = 0; for (const e of fit.jointErrors) err += e;
      set.meta.fitMeanJointErrorMm = (1000 * err) / fit.jointErrors.length;
    }
    const file = path.join(dir, 'poses.json');
    writePoseFile(file, set, { poolSeed: config.seed, source: src });
    return { file, count: set.count, fitMeanJointErrorMm: (set.meta.fitMeanJointErrorMm as number | undefined) ?? null };
  },
});
