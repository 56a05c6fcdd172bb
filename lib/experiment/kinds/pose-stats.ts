/**
 * pose-stats: how pose sources cover the real poses — Leap recordings and uniform samples in the joint
 * limits against the real set (coverage, MMD, per-angle distances; lib/hand/stats.ts), and a PCA view of
 * all sets in the palm frame (lib/plot/pca.ts).
 */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, datasetDir, asJson, spreadIndices } from '../step.ts';
import { readLeapPoses, loadPoseSource, selectPoses } from '../../data/pose-sets.ts';
import { sampleUniformAngles, jointsOfAngles } from '../../hand/sampler.ts';
import { genericHandRestShape } from '../../hand/asset.ts';
import { comparePoseSets, alignPoses } from '../../hand/stats.ts';
import { projectPoseSets } from '../../plot/pca.ts';
import { writeJsonAtomic } from '../../util/fsx.ts';
import type { Json } from '../declaration.ts';

const round = (x: number, d = 4): number => (Number.isFinite(x) ? Number(x.toFixed(d)) : NaN);

function rows21(flat: Float64Array, i: number): number[][] {
  return Array.from({ length: 21 }, (_, j) => [flat[i * 63 + j * 3], flat[i * 63 + j * 3 + 1], flat[i * 63 + j * 3 + 2]]);
}

export const poseStats = defineKind({
  name: 'pose-stats',
  version: 3, // 3: hand side of the real set read from its labels
  summary: 'pose-set statistics: Leap and uniform samples vs the real set (coverage, MMD, angles, PCA)',
  config: z.strictObject({
    /** at most this many poses per set (Procrustes/MMD cost is O(n²)) */
    maxPoses: z.number().int().min(1),
    /** uniform samples in the joint limits */
    sampled: z.number().int().min(1),
    seed: z.number().int().default(0),
    /** the real set (name or folder); null: compare the sources without it */
    real: z.string().nullable().default(null),
  }),
  async run(config, { dir, log }) {
    const { maxPoses: max, seed } = config;
    const leapAll = readLeapPoses();
    const leap = selectPoses(leapAll, spreadIndices(leapAll.count, max), 'leap');
    const uni = jointsOfAngles(genericHandRestShape('right'), sampleUniformAngles(config.sampled, seed)).j21;
    const sets: { name: string; joints: Float64Array; hands: ('left' | 'right')[]; count: number }[] = [
      { name: 'Leap recordings', joints: leap.joints, hands: leap.handedness, count: leap.count },
      { name: 'uniform in joint limits', joints: uni, hands: Array.from({ length: config.sampled }, () => 'right' as const), count: config.sampled },
    ];
    let real: { name: string; count: number } | null = null;
    const comparisons: Record<string, Json> = {};
    if (config.real) {
      const all = loadPoseSource(datasetDir(config.real, {}, 'pose-stats.real'));
      const ref = selectPoses(all, spreadIndices(all.count, max), path.basename(config.real));
      real = { name: ref.name, count: ref.count };
      for (const s of sets) {
        const c = comparePoseSets(s.joints, s.hands, ref.joints, ref.handedness, { seed, maxPoses: max });
        log(`${s.name} → ${ref.name}: coverage@10mm ${(100 * c.coverage[1].fraction).toFixed(1)}%, MMD² ${c.mmd.mmd2.toExponential(2)}`);
        comparisons[s.name] = { countA: c.countA, countB: c.countB, coverage: asJson(c.coverage), medianNearestMm: round(1000 * c.medianNearest, 2), mmd2: c.mmd.mmd2, angleW1Deg: asJson(c.angles.map((a) => ({ name: a.name, w1: round((a.w1 * 180) / Math.PI, 2) }))) };
      }
      sets.push({ name: `${ref.name} (real)`, joints: ref.joints, hands: ref.handedness, count: ref.count });
    }
    // PCA view of articulation: each pose root-relative and rotated into its palm frame (left hands
    // mirrored; lib/hand alignPoses), so the camera orientation of a set does not dominate the components
    const shown = Math.min(300, max);
    const proj = projectPoseSets(sets.map((s) => { const a = alignPoses(s.joints, s.hands); return { name: s.name, poses: spreadIndices(s.count, shown).map((i) => rows21(a, i)) }; }));
    writeJsonAtomic(path.join(dir, 'projection.json'), proj);
    return { sets: sets.map((s) => ({ name: s.name, count: s.count })), real, comparisons, projection: asJson(proj) };
  },
});
