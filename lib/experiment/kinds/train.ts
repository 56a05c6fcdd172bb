/**
 * train: the pose estimator (lib/train/pose) trained on one or more dataset entries. The model is named
 * (POSENET_PRESETS), the length is a training-step count (or epochs over the data), so a declaration is resized by
 * changing two numbers per scale.
 */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, modelDir } from '../step.ts';
import { datasetEntry, datasetSpec } from '../datasets.ts';
import { parseTrainConfig, STUDY_SPECTRAL_AUGMENT } from '../../train/pose/config.ts';
import { trainPoseModel } from '../../train/pose/train.ts';
import { POSENET_PRESETS } from '../../train/pose/model-config.ts';

/**
 * Batch-worker threads for a run of `steps` optimiser steps: one thread prepares batches while the network
 * trains (bench/train-input.ts: 1.29× the images per second of the demo's real arm on 2 cores, docs/training.md);
 * the many short smoke-scale trainings stay in this thread, where a worker's start costs more than it saves.
 * The weights do not depend on it (batches are seeded per slot).
 */
export const batchWorkers = (steps: number | undefined): number => ((steps ?? 0) >= 200 ? 1 : 0);

export const train = defineKind({
  name: 'train',
  version: 2, // 2: named model, step count, dataset entries with parts
  summary: 'train the pose network on dataset entries; result: { checkpoint, train (the specs trained on), curve (loss, and the val set\'s PA-MPJPE per epoch when val is given), backend }',
  config: z.strictObject({
    data: z.array(datasetEntry).min(1),
    val: datasetEntry.optional(),
    /** a named estimator (lib/train/pose/model-config.ts POSENET_PRESETS: tiny, cpu, cpu-large, resnet) */
    model: z.enum(Object.keys(POSENET_PRESETS) as [string, ...string[]]).default('cpu'),
    /** input crop size in pixels (default: the model's) */
    inputSize: z.number().int().min(32).max(512).optional(),
    /** total optimiser steps; with `epochs`, each epoch is steps/epochs long (default: one pass over the data per epoch) */
    steps: z.number().int().min(1).optional(),
    epochs: z.number().int().min(1).default(1),
    batchSize: z.number().int().min(1).default(16),
    learningRate: z.number().positive().optional(),
    warmupSteps: z.number().int().min(0).default(0),
    /** the study's amplitude-spectrum augmentation (STUDY_SPECTRAL_AUGMENT: Â = A·exp(σz), phase kept) */
    amplitudeAug: z.boolean().default(false),
    /**
     * image augmentation fields over the training defaults (lib/train/pose/config.ts AUGMENT, checked there), e.g.
     * { "colour": { "brightness": 0.3, "contrast": 0.4, "saturation": 0.6 }, "background": { "p": 0.8 } }
     */
    augment: z.record(z.string(), z.unknown()).optional(),
    seed: z.number().int().default(0),
    /** decay of the weights' moving average that is saved and scored (lib/train/pose/weight-average.ts); absent: the last weights */
    ema: z.number().min(0).lt(1).optional(),
    /** start from a trained model ("@<train step>" or a model folder): fine-tuning; its model and input size must be this step's */
    init: z.string().min(1).optional(),
  }),
  async run(config, { deps, dir, log, run }) {
    const specs = config.data.map((d, i) => datasetSpec(d, deps, `train.data[${i}]`));
    const base = POSENET_PRESETS[config.model];
    const cfg = parseTrainConfig({
      name: `experiment-${run.stepId}`, out: path.join(dir, 'model'), workers: batchWorkers(config.steps),
      model: { ...base, inputSize: config.inputSize ?? base.inputSize, seed: config.seed },
      epochs: config.epochs, batchSize: config.batchSize, warmupSteps: config.warmupSteps, seed: config.seed,
      ...(config.steps ? { stepsPerEpoch: Math.ceil(config.steps / config.epochs) } : {}),
      ...(config.learningRate ? { learningRate: config.learningRate } : {}),
      spectral: config.amplitudeAug ? STUDY_SPECTRAL_AUGMENT : null,
      ...(config.augment ? { augment: config.augment } : {}),
      ...(config.ema !== undefined ? { ema: config.ema } : {}),
      train: specs,
      ...(config.init ? { init: modelDir(config.init, deps, 'train.init') } : {}),
      ...(config.val ? { val: datasetSpec(config.val, deps, 'train.val') } : {}),
    }, `train step ${run.stepId}`);
    const t0 = Date.now();
    // resume: a killed experiment continues from the last epoch's checkpoint (verified to be of this very run)
    const r = await trainPoseModel(cfg, { quiet: true, resume: true, onEpoch: (e) => log(`epoch ${e.epoch}/${cfg.epochs}: loss ${e.loss.toFixed(4)} (${e.imagesPerSecond.toFixed(1)} img/s)`) });
    const last = r.epochs[r.epochs.length - 1];
    return {
      checkpoint: r.checkpoint, backend: r.backend.name, model: config.model, epochs: r.epochs.length, steps: last?.step ?? 0,
      trainSeconds: (Date.now() - t0) / 1000, finalLoss: last?.loss ?? null, imagesPerSecond: last?.imagesPerSecond ?? null,
      train: specs.map((s) => ({ path: s.path, ...(s.indices ? { indices: s.indices } : {}) })),
      curve: r.epochs.map((x) => ({ epoch: x.epoch, step: x.step, loss: x.loss, ...(x.val ? { valPaMm: x.val.paMpjpeMm } : {}) })),
    };
  },
});
