/**
 * evaluate: a trained model predicts a test set and is scored through lib/metrics/score.ts, beside the
 * constant-pose baseline and the best-match oracle built from the poses the model was trained on.
 */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, modelDir } from '../step.ts';
import { datasetEntry, datasetSpec } from '../datasets.ts';
import { loadPoseModel, loadDataset, predictSamples, sampleScale } from '../../train/pose/train.ts';
import { TEST_VIEWS, TEST_VIEW_LIST } from '../../train/pose/config.ts';
import { writePredictions } from '../../data/freihand.ts';
import { evaluatePredictions } from '../../analysis/evaluate.ts';
import { writeTable } from '../../analysis/tables.ts';
import { scoreSummary, scorePredictions, type Pose } from '../../metrics/score.ts';
import { writeJsonAtomic } from '../../util/fsx.ts';
import { errorSources } from '../../train/pose/error-sources.ts';
import type { Json } from '../declaration.ts';

export const evaluate = defineKind({
  name: 'evaluate',
  version: 5, // 2: training-set fit; 3: ratio to the constant pose with its paired interval; 4: multi-scale testing (views); 5: error sources (2D or depth)
  summary: 'predict a test set with a trained model and score it (PA-MPJPE, MPJPE, AUC, per joint) beside the constant-pose baseline and the best-match oracle',
  config: z.strictObject({
    /** "@<train step>", or a run / checkpoint folder of `handgap train` */
    model: z.string().min(1),
    test: datasetEntry,
    /** score the baselines (needs the training labels; the oracle costs test × train alignments) */
    baselines: z.boolean().default(true),
    /** also score the model on its own (un-augmented) training frames: a fit far below the test error is memorisation */
    trainFit: z.boolean().default(true),
    /** crop side multipliers whose predictions are averaged (multi-scale testing; [1] = one view); default TEST_VIEWS */
    views: TEST_VIEW_LIST.optional(),
    /** bootstrap seed of the interval over test frames */
    seed: z.number().int().default(0),
  }),
  async run(config, { deps, dir, log }) {
    const spec = datasetSpec(config.test, deps, 'evaluate.test');
    const model = await loadPoseModel(modelDir(config.model, deps, 'evaluate.model'));
    const tcfg = model.config;
    const test = loadDataset(spec);
    const views = config.views ?? TEST_VIEWS;
    const pred = await predictSamples(model, test.samples, test.left, { views });
    const xyz = pred.map((p) => p.xyz);
    // the same lift with the label's depths or the label's 2D: is the error in the image or in depth?
    const sources = errorSources(test.samples.map((s) => ({ xyz: s.xyz!, K: s.K, scale: sampleScale(s) })), pred, model.boneSumRatio);
    const predFile = path.join(dir, 'pred.json');
    writePredictions(predFile, { xyz, verts: null });
    // the baselines come from the poses this model was trained on (its saved training config)
    const trainSets = config.baselines || config.trainFit ? tcfg.train.map((d) => loadDataset(d)) : [];
    const trainPoses = config.baselines ? trainSets.flatMap((s) => s.samples.map((x) => x.xyz!)) : undefined;
    let trainFit: { paMpjpeMm: number; n: number } | null = null;
    if (config.trainFit) {
      const fitPred: Pose[] = [];
      for (const s of trainSets) fitPred.push(...(await predictSamples(model, s.samples, s.left, { views })).map((p) => p.xyz));
      const fit = scorePredictions({ gt: trainSets.flatMap((s) => s.samples.map((x) => x.xyz!)), pred: fitPred, replicates: 0 });
      trainFit = { paMpjpeMm: fit.paMpjpeMm, n: fit.n };
    }
    model.net.dispose();
    const r = await evaluatePredictions(spec.path, predFile, { indices: spec.indices, train: trainPoses, seed: config.seed });
    writeJsonAtomic(path.join(dir, 'per-frame-pa-mm.json'), r.perFramePaMm);
    if (r.byOcclusion) {
      await writeTable(path.join(dir, 'error-by-occlusion'), { columns: ['occlusion level', 'samples', 'mean PA-MPJPE (mm)', 'median PA-MPJPE (mm)'], rows: r.byOcclusion.map((b) => [b.level, b.count, b.meanError, b.medianError]) }, { caption: `PA-MPJPE by occluded fraction of the hand (${spec.path})` });
    }
    log(`PA-MPJPE ${r.paMpjpeMm.toFixed(2)} mm${r.constantPose ? ` (constant pose ${r.constantPose.paMpjpeMm.toFixed(2)}, best match ${r.bestMatch!.paMpjpeMm.toFixed(2)})` : ''}, MPJPE ${r.mpjpeMm.toFixed(2)} mm on ${r.n} frames of ${spec.path}${trainFit ? `; training-set fit ${trainFit.paMpjpeMm.toFixed(2)} mm on ${trainFit.n} frames` : ''}`);
    return { ...(scoreSummary(r) as Record<string, Json>), views: [...views], errorSources: { ...sources }, trainFit, testDir: spec.path, predictions: predFile, byOcclusion: JSON.parse(JSON.stringify(r.byOcclusion)) as Json };
  },
});
