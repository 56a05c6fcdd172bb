/**
 * prior: the VAE occlusion prior (lib/train/prior) trained on Leap poses and scored on held-out poses
 * with 30% of the joints hidden, beside the mean-pose and nearest-neighbour fills.
 */
import { z } from '../../config/schema.ts';
import { defineKind, asJson, spreadIndices } from '../step.ts';
import { OcclusionVae, trainVae } from '../../train/prior/vae.ts';
import { splitPoseSets } from '../../train/prior/split.ts';
import * as P from '../../train/prior/poses.ts';
import { initBackend } from '../../train/backend.ts';
import { readLeapPoses, selectPoses } from '../../data/pose-sets.ts';
import { Rng } from '../../util/rng.ts';
import type { Json } from '../declaration.ts';

export const prior = defineKind({
  name: 'prior',
  version: 4,
  summary: 'VAE occlusion prior vs mean-pose and nearest-neighbour fill of occluded joints (lib/train/prior)',
  config: z.strictObject({
    steps: z.number().int().min(1),
    /** Leap poses used (evenly spread); 0 = all */
    maxPoses: z.number().int().min(0).default(0),
    hidden: z.number().int().min(4).default(128),
    testPoses: z.number().int().min(1).default(1000),
    occludedFraction: z.number().gt(0).lt(1).default(0.3),
    fitIterations: z.number().int().min(1).default(40),
    /** network units per metre; 100 (cm): with the released KL normalisation in metres the posterior collapses on these poses (docs/training.md) */
    inputScale: z.number().positive().default(100),
    seed: z.number().int().default(0),
  }),
  async run(config, { log }) {
    const backend = await initBackend();
    const { seed, maxPoses } = config;
    const leapAll = readLeapPoses();
    const leap = maxPoses > 0 && maxPoses < leapAll.count ? selectPoses(leapAll, spreadIndices(leapAll.count, maxPoses), 'leap') : leapAll;
    if (leap !== leapAll) leap.meta.frames = spreadIndices(leapAll.count, maxPoses).map((i) => (leapAll.meta.frames as string[])[i]);
    const split = splitPoseSets([leap], { seed, testFraction: 0.2 });
    const nTest = Math.min(split.testCount, config.testPoses);
    const test = split.test.subarray(0, nTest * P.D);
    const vae = OcclusionVae.create({ hidden: config.hidden, seed, batchSize: Math.min(256, split.trainCount), inputScale: config.inputScale });
    const t0 = Date.now();
    const curve: { step: number; loss: number; recon: number; kl: number }[] = [];
    const last = trainVae(vae, split.train, config.steps, { logEvery: Math.max(1, Math.floor(config.steps / 20)), onLog: (l) => curve.push({ ...l }) });
    const seconds = (Date.now() - t0) / 1000;
    log(`VAE ${config.steps} steps in ${seconds.toFixed(1)} s on ${backend.name}; last loss ${last.loss.toFixed(4)}`);
    // occlude a fraction of the joints of held-out poses; score each fill on the occluded joints (mm)
    const rng = Rng.derive(seed, 'prior-eval');
    const visible = P.occlusionMasks(nTest, config.occludedFraction, () => rng.random());
    const observed = P.maskPoses(test, visible);
    const mean = P.meanPose(split.train);
    const errMm = (est: Float32Array) => 1000 * P.occludedJointError(test, est, visible);
    const result = {
      backend: backend.name, trainPoses: split.trainCount, testPoses: nTest, steps: config.steps, seconds,
      occludedJointErrorMm: {
        meanPose: errMm(P.meanPoseFill(observed, visible, mean)),
        nearestNeighbour: errMm(P.nearestNeighbourFill(observed, visible, split.train)),
        vae: errMm(vae.refine(observed, visible)),
        // decoder(z) with z fitted to the visible joints: the prior used as a prior
        vaeLatentFit: errMm(vae.refineFit(observed, visible, { iterations: config.fitIterations })),
      },
      curve,
    };
    vae.dispose();
    return asJson(result) as Record<string, Json>;
  },
});
