/** pose-subset: a nested seeded subset of a pose pool (larger fractions contain smaller ones: lib/hand nestedSubsets). */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, depFile } from '../step.ts';
import { readPoseFile, selectPoses, writePoseFile } from '../../data/pose-sets.ts';
import { nestedSubsets } from '../../hand/sampler.ts';
import { InputError } from '../../util/errors.ts';

export const poseSubset = defineKind({
  name: 'pose-subset',
  version: 2,
  summary: 'nested seeded subset of a pose pool; result: { file (a handgap pose file the renderer reads), count }',
  config: z.strictObject({
    /** "@<pose-pool step>" or a pose file */
    pool: z.string().min(1),
    fraction: z.number().gt(0).max(1),
    seed: z.number().int().default(0),
  }),
  async run(config, { deps, dir }) {
    const poolFile = depFile(config.pool, deps, 'pose-subset.pool');
    const set = readPoseFile(poolFile);
    const { indices } = nestedSubsets(set.count, [config.fraction], config.seed)[0];
    const sub = selectPoses(set, indices, `${set.name}-${config.fraction}`);
    if (!sub.angles) throw new InputError(poolFile, 'pose pool has no angles (the renderer needs them)');
    const file = path.join(dir, 'poses.json');
    writePoseFile(file, sub, { fraction: config.fraction, subsetSeed: config.seed });
    return { file, count: indices.length, pool: set.count, fraction: config.fraction };
  },
});
