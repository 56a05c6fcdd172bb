/**
 * pose-subset: a nested seeded subset of a pose pool (larger fractions contain smaller ones: lib/hand nestedSubsets).
 * A pool of fitted real frames stays one (rig targets, K and source frames kept), for pose source "fitted".
 */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, depFile } from '../step.ts';
import { readPoseFile, selectPoses, writePoseFile } from '../../data/pose-sets.ts';
import { nestedSubsets } from '../../hand/sampler.ts';
import { InputError } from '../../util/errors.ts';

export const poseSubset = defineKind({
  name: 'pose-subset',
  version: 3, // 3: fitted pools (rig targets, K, source frames) kept
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
    if (!sub.angles && !sub.rig25) throw new InputError(poolFile, 'pose pool has neither angles nor fitted rig targets (the renderer needs one of them)');
    const file = path.join(dir, 'poses.json');
    writePoseFile(file, sub, { fraction: config.fraction, subsetSeed: config.seed });
    const sourceFrames = (sub.meta.sourceIndices as number[] | undefined) ?? null;
    return { file, count: indices.length, pool: set.count, fraction: config.fraction, ...(sourceFrames ? { sourceFrames } : {}) };
  },
});
