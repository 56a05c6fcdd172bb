/**
 * prior-refine: the VAE occlusion prior in the loop on real test images. The test block of a real set (the
 * walkthrough's split in experiments/prior-refine.json, through paramsFrom) gets a seeded ellipse occluder pasted over the hand (lib/image/occluder.ts,
 * composed with lib/image/compose.ts); the joints whose true 2D position falls under its mask are the
 * occluded ones. The prior is trained on poses only (the training block, optionally the Leap recordings).
 * Scored on the occluded joints, mm, root-relative and PA-aligned, mean over frames with a bootstrap 95%
 * interval over frames, each fill beside the mean-pose and nearest-neighbour fills:
 *   oracle             true visible joints, the truly occluded ones filled (measures the prior itself)
 *   estimator-mask     the estimator's joints, the truly occluded ones filled
 *   estimator-conf     the estimator's joints, its low-confidence joints filled (the deployable variant)
 * With an estimator, `perFrame` records each frame's occlusion level (non-root joints under the occluder) and
 * the all-joint PA-MPJPE of the estimator on the occluded and on the clean image beside the constant pose
 * (the error-by-occlusion-level figure bins these).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, asJson } from '../step.ts';
import type { Json } from '../declaration.ts';
import { initBackend } from '../../train/backend.ts';
import { OcclusionVae, trainVae } from '../../train/prior/vae.ts';
import { VAE_CONFIG } from '../../train/prior/config.ts';
import * as P from '../../train/prior/poses.ts';
import { lowConfidenceVisibility, scoreFills, countOccluded, occludedErrorsPerFrame, formatFillTable, type ErrorFrame, type MethodScore } from '../../train/prior/occluded-eval.ts';
import { loadDataset, loadPoseModel, predictSamples } from '../../train/pose/train.ts';
import { readLeapPoses } from '../../data/pose-sets.ts';
import { projectJoints, jointsUnderMask } from '../../analysis/occlusion.ts';
import { ellipseMask, placeOccluder } from '../../image/occluder.ts';
import { composeImage } from '../../image/compose.ts';
import { readImage, writeImage, toUint8 } from '../../image/io.ts';
import { ensureDir } from '../../util/fsx.ts';
import { InputError } from '../../util/errors.ts';
import type { HandSample } from '../../data/types.ts';

const FRAMES: ErrorFrame[] = ['root-relative', 'pa-aligned'];

export const priorRefine = defineKind({
  name: 'prior-refine',
  version: 3, // 3: the estimator's predictions and confidences are the mean over TEST_VIEWS (multi-scale testing)
  summary: 'VAE prior refinement of occluded joints on real test images with pasted occluders, beside mean-pose and nearest-neighbour fills',
  config: z.strictObject({
    /** real set (FreiHAND layout) and its blocked split: the prior trains on the 'train' part, the test block is occluded */
    data: z.string().min(1).default('hgc-dev'),
    /** no default: the split has one owner (experiments/walkthrough.json params), which the declaration passes */
    blocks: z.strictObject({ test: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).min(1), gap: z.number().int().min(0) }),
    /** also train the prior on the Leap recordings (poses only) */
    leap: z.boolean().default(false),
    /** at most this many test frames (evenly spread); 0 = all */
    maxFrames: z.number().int().min(0).default(0),
    /** a trained estimator (checkpoint or run folder for loadPoseModel); null = oracle rows only */
    estimator: z.string().min(1).nullable().default(null),
    steps: z.number().int().min(1),
    vae: VAE_CONFIG.partial().default({}),
    /** Adam steps fitting the latent to the kept joints (VAE refinement) */
    fitIterations: z.number().int().min(1).default(40),
    /** a joint is replaced when its confidence is below this × the frame's median confidence */
    confidenceRatio: z.number().positive().max(1).default(0.75),
    /** occluder radii as a fraction of the hand's 2D extent */
    occluderRadius: z.tuple([z.number().positive(), z.number().positive()]).default([0.2, 0.35]),
    fill: z.enum(['random-region', 'random-pixel']).default('random-region'),
    bootstrapReplicates: z.number().int().min(100).default(1000),
    seed: z.number().int().min(0).default(0),
  }),
  async run(config, { dir, log }) {
    const backend = await initBackend();
    const { seed } = config;
    const blocks = (part: 'train' | 'test') => ({ path: config.data, blocks: { ...config.blocks, part } });
    const train = loadDataset(blocks('train')), testAll = loadDataset(blocks('test'));
    let testIdx = testAll.samples.map((_, i) => i);
    if (config.maxFrames > 0 && config.maxFrames < testIdx.length) testIdx = Array.from({ length: config.maxFrames }, (_, k) => Math.floor((k * testAll.samples.length) / config.maxFrames));
    const test = { samples: testIdx.map((i) => testAll.samples[i]), left: testIdx.map((i) => testAll.left[i]) };
    const n = test.samples.length;

    // prior training poses: never the test block
    const trainVecs = P.priorVectors(train.samples.flatMap((s) => s.xyz!.flat()), train.samples.length, train.left.map((l) => (l ? 'left' : 'right')));
    let priorTrain = trainVecs;
    if (config.leap) {
      const leap = readLeapPoses();
      const lv = P.priorVectors(leap.joints, leap.count, leap.handedness);
      priorTrain = new Float32Array(trainVecs.length + lv.length);
      priorTrain.set(trainVecs); priorTrain.set(lv, trainVecs.length);
    }
    const nPrior = priorTrain.length / P.D;
    const vae = OcclusionVae.create({ seed, ...config.vae, batchSize: Math.min(config.vae.batchSize ?? 256, nPrior) });
    const t0 = Date.now();
    trainVae(vae, priorTrain, config.steps, { logEvery: Math.max(1, Math.floor(config.steps / 10)), onLog: (l) => {
      const s = (Date.now() - t0) / 1000, rate = l.step / s;
      log(`prior step ${l.step}/${config.steps}: recon ${l.recon.toPrecision(3)}, kl ${l.kl.toPrecision(3)}; ${rate.toFixed(1)} step/s, ETA ${((config.steps - l.step) / rate).toFixed(0)} s`);
    } });
    const priorSeconds = (Date.now() - t0) / 1000;

    // occluded test images: the occluder is redrawn (new key) until it hides at least one joint
    const imgDir = path.join(dir, 'occluded');
    ensureDir(imgDir);
    const truth = P.priorVectors(test.samples.flatMap((s) => s.xyz!.flat()), n, test.left.map((l) => (l ? 'left' : 'right')));
    const occludedVis = new Uint8Array(n * P.NJ).fill(1);
    const hiddenCount: number[] = [];
    const composed: HandSample[] = [];
    for (let i = 0; i < n; i++) {
      const s = test.samples[i];
      const img = await readImage(s.imagePath);
      const uv = projectJoints(s.xyz!, s.K);
      let hidden: number[] = [];
      let mask = null;
      for (let attempt = 0; attempt < 20 && hidden.length === 0; attempt++) {
        mask = ellipseMask(img.width, img.height, placeOccluder(uv, { radius: config.occluderRadius }, seed, s.index, attempt));
        hidden = jointsUnderMask(mask, uv).occludedJoints.filter((j) => j > 0); // the wrist is the root of every measure
      }
      if (hidden.length === 0) throw new InputError(s.imagePath, 'no occluder placement hid a joint in 20 attempts (are the joints inside the image?)');
      for (const j of hidden) occludedVis[i * P.NJ + j] = 0;
      hiddenCount.push(hidden.length);
      const out = composeImage(img, null, { obj: mask! }, { fill: config.fill, seed, seedKeys: [s.index], where: { syn: s.imagePath } });
      const file = path.join(imgDir, `${String(s.index).padStart(8, '0')}.png`);
      await writeImage(file + '.tmp.png', toUint8(out));
      fs.renameSync(file + '.tmp.png', file);
      composed.push({ ...s, imagePath: file });
    }
    log(`${n} occluded test frames, ${countOccluded(occludedVis)} occluded joints (images in ${imgDir})`);

    const mean = P.meanPose(priorTrain);
    const fills = (observed: Float32Array, vis: Uint8Array) => ({
      meanPoseFill: P.meanPoseFill(P.maskPoses(observed, vis), vis, mean),
      nearestNeighbourFill: P.nearestNeighbourFill(P.maskPoses(observed, vis), vis, priorTrain),
      vaeRefined: vae.refineFit(observed, vis, { iterations: config.fitIterations }),
    });
    const score = (methods: Record<string, Float32Array>, refs: string[]) => Object.fromEntries(FRAMES.map((f) => [f, scoreFills(truth, occludedVis, methods, f, { references: refs, seed, replicates: config.bootstrapReplicates })]));
    const variants: Record<string, { replaced: string; kept: string; scores: Record<string, Record<string, MethodScore>>; [k: string]: unknown }> = {
      oracle: { replaced: 'the truly occluded joints', kept: 'true joints', scores: score(fills(truth, occludedVis), ['meanPoseFill', 'nearestNeighbourFill']) },
    };

    let estimator: Record<string, unknown> | null = null;
    if (config.estimator) {
      const model = await loadPoseModel(config.estimator);
      const pred = await predictSamples(model, composed, test.left);
      // the same model on the clean (unoccluded) images: what the occluder costs, frame by frame
      const predClean = await predictSamples(model, test.samples, test.left);
      model.net.dispose();
      const est = new Float32Array(n * P.D);
      pred.forEach((p, i) => P.toPriorVector(p.xyz.flat(), 0, test.left[i], est, i * P.D));
      const confVis = new Uint8Array(n * P.NJ);
      pred.forEach((p, i) => confVis.set(lowConfidenceVisibility(p.confidence, config.confidenceRatio), i * P.NJ));
      // how well low confidence finds the occluded joints
      let tp = 0, flagged = 0;
      for (let k = 0; k < confVis.length; k++) if (!confVis[k]) { flagged++; if (!occludedVis[k]) tp++; }
      const refs = ['estimator', 'meanPoseFill', 'nearestNeighbourFill'];
      variants['estimator-mask'] = { replaced: 'the truly occluded joints', kept: 'estimated joints', scores: score({ estimator: est, ...fills(est, occludedVis) }, refs) };
      variants['estimator-conf'] = { replaced: `joints with confidence < ${config.confidenceRatio} × the frame's median`, kept: 'estimated joints', replacedJoints: flagged, replacedThatAreOccluded: tp, scores: score({ estimator: est, ...fills(est, confVis) }, refs) };
      // the estimator on all joints of the occluded images beside the constant (mean training) pose
      const all = new Uint8Array(n * P.NJ);
      const constant = new Float32Array(n * P.D);
      for (let i = 0; i < n; i++) constant.set(P.meanPose(trainVecs), i * P.D);
      const clean = new Float32Array(n * P.D);
      predClean.forEach((p, i) => P.toPriorVector(p.xyz.flat(), 0, test.left[i], clean, i * P.D));
      const [occ, cln, cst] = [est, clean, constant].map((x) => occludedErrorsPerFrame(truth, x, all, 'pa-aligned').map((m) => 1000 * m));
      const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / n;
      const perFrame = test.samples.map((s, i) => ({ index: s.index, occludedJoints: hiddenCount[i], occludedFraction: hiddenCount[i] / (P.NJ - 1), paMpjpeMm: occ[i], cleanPaMpjpeMm: cln[i], constantPosePaMpjpeMm: cst[i] }));
      estimator = { model: config.estimator, paMpjpeMm: avg(occ), cleanPaMpjpeMm: avg(cln), constantPosePaMpjpeMm: avg(cst), perFrame };
      log(`estimator on the occluded images: PA-MPJPE ${(estimator.paMpjpeMm as number).toFixed(1)} mm, constant pose ${(estimator.constantPosePaMpjpeMm as number).toFixed(1)} mm`);
    }
    vae.dispose();
    log(`occluded-joint error, ${n} frames, ${countOccluded(occludedVis)} occluded joints:\n${formatFillTable(variants)}`);
    return asJson({
      backend: backend.name, seed, frames: n, occludedJoints: countOccluded(occludedVis), frameIndices: test.samples.map((s) => s.index),
      priorPoses: nPrior, priorTrainingFrames: train.samples.length, leap: config.leap, vae: vae.cfg, priorSteps: config.steps, priorSeconds,
      images: imgDir, units: 'mm; per frame the mean over its occluded joints, then the mean over frames; 95% percentile bootstrap over frames',
      estimator, variants,
    }) as Record<string, Json>;
  },
});
