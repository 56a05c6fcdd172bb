/**
 * Training configuration for the pose estimator (JSON file for `handgap train --config`, and the configs
 * the experiment steps build): one zod schema gives the type, the defaults and the checks. Unknown or
 * misspelled keys, wrong types and out-of-range values are one error naming the file, the field path and
 * what is allowed. Parsing loads no TensorFlow (the model sizes live in model-config.ts).
 */
import { z, num, int, range, parseConfig, describeIssues } from '../../config/schema.ts';
import { STANDARD_POSENET, POSENET_PRESETS, DEFAULT_LOSS } from './model-config.ts';
import { DEFAULT_AUGMENT } from '../pipeline/transform.ts';
import { BACKEND_NAMES } from '../backend-names.ts';
import type { SpectralAugment } from '../../spectral/augment.ts';

/**
 * Multi-scale testing: the crop side multipliers whose predictions predictSamples averages by default (2D in
 * source pixels, depths, confidences). Measured on hgc-dev with the demo models (docs/training.md,
 * "Multi-scale testing"): 0.4–1.0 mm PA-MPJPE lower than one view for every arm, on the test block and on photos
 * of poses the synthetic models never saw; ×0.9 and ×1.1 are inside the training augmentation's scale range.
 */
export const TEST_VIEWS: readonly number[] = [1, 0.9, 1.1];
/** A list of test views: crop side multipliers in [0.5, 2] (the evaluate step's `views`, `handgap predict --views`). */
export const TEST_VIEW_LIST = z.array(num(0.5, 2)).min(1);

const AUGMENT = z.strictObject({
  /** crop side multiplier range */ scale: range(0.25, 4).default(DEFAULT_AUGMENT.scale),
  /** uniform in ±rotationDeg */ rotationDeg: num(0, 180).default(DEFAULT_AUGMENT.rotationDeg),
  /** uniform in ±translate (fraction of the crop side) */ translate: num(0, 1).default(DEFAULT_AUGMENT.translate),
  /** mirror with probability 0.5 */ flip: z.boolean().default(DEFAULT_AUGMENT.flip),
  /** ± ranges of colour jitter, or null for none */
  colour: z.strictObject({ brightness: num(0, 1), contrast: num(0, 1), saturation: num(0, 1) }).nullable().default(DEFAULT_AUGMENT.colour),
  /** random erasing: probability and the largest rectangle side (fraction of the crop), or null for none */
  erase: z.strictObject({ p: num(0, 1), maxSide: num(0, 1) }).nullable().default(DEFAULT_AUGMENT.erase ?? null),
  /** background randomisation of samples with a label mask (renders): probability, or null for none */
  background: z.strictObject({ p: num(0, 1) }).nullable().default(DEFAULT_AUGMENT.background ?? null),
});

const probability = num(0, 1).optional();
const SPECTRAL = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('mix'), eta: z.number().finite().positive().max(1), ratio: z.number().finite().positive().max(1).optional(), p: probability }),
  z.strictObject({ kind: z.literal('swap'), ratio: z.number().finite().positive().max(1).optional(), p: probability }),
  z.strictObject({ kind: z.literal('fda'), beta: num(0, 0.5), p: probability }),
  z.strictObject({ kind: z.literal('perturb'), sigma: num(0, 100), mode: z.enum(['frequency', 'radial']).optional(), bands: int(1, 1024).optional(), p: probability }),
  z.strictObject({ kind: z.literal('none') }),
]);

/** A dataset: a known set name (hgc-dev, freihand, ...) or FreiHAND-layout folder, or an object with options. */
const DATASET = z.preprocess((v) => (typeof v === 'string' ? { path: v } : v), z.strictObject({
  /** A known set name (hgc-dev, freihand, ...) or a FreiHAND-layout folder. */
  path: z.string().min(1),
  /** Split (file prefix); default: the reader's choice (training, else evaluation). */
  split: z.string().min(1).optional(),
  /** Relative weight in a mixed set (synthetic:real ratio), default 1. */
  weight: z.number().finite().positive().max(1e6).optional(),
  /** Hand side when the samples do not say (meta.handedness). */
  handedness: z.enum(['left', 'right']).optional(),
  /** Use only these indices, or the first `limit` samples. */
  indices: z.array(int(0, 1e9)).min(1).optional(),
  limit: int(1, 1e9).optional(),
  /**
   * This set's image augmentation: fields over the run's `augment`, e.g. { "colour": null } to keep a real
   * recording's colours while the renders beside it are jittered (checked against the run's augment below).
   */
  augment: z.record(z.string(), z.unknown()).optional(),
  /** This set's spectral augmentation instead of the run's `spectral` (null: none for this set's samples). */
  spectral: SPECTRAL.nullable().optional(),
  /** A blocked split of the set's frames (lib/data/split.ts): test blocks [first, last], `gap` frames skipped on each side, and which part this spec takes. */
  blocks: z.strictObject({ test: z.array(z.tuple([int(0, 1e9), int(0, 1e9)])).min(1), gap: int(0, 1e6), part: z.enum(['train', 'test']) }).optional(),
}));
export type DatasetSpec = z.output<typeof DATASET>;

/** The model: a preset name (cpu, cpu-large, resnet, tiny: model-config.ts) or fields over the CPU model. */
const MODEL = z.preprocess((v) => (typeof v === 'string' && POSENET_PRESETS[v] ? { ...POSENET_PRESETS[v] } : v), z.strictObject({
  inputSize: int(16, 1024).default(STANDARD_POSENET.inputSize),
  widths: z.array(int(1, 4096)).min(1).max(8).default(STANDARD_POSENET.widths),
  blocks: z.array(int(0, 64)).min(1).max(8).default(STANDARD_POSENET.blocks),
  seed: int(0, 2 ** 32 - 1).default(STANDARD_POSENET.seed),
  /** input pixels per heatmap cell (a power of 2, at most 2^stages) */ heatmapStride: int(1, 64).default(STANDARD_POSENET.heatmapStride!),
  /** channels of the up-sampling layers */ upWidth: int(1, 4096).default(STANDARD_POSENET.upWidth!),
}).refine((m) => m.widths.length === m.blocks.length, { path: ['blocks'], message: 'expected as many entries as model.widths (one block count per stage)' })
  .refine((m) => Number.isInteger(Math.log2(m.heatmapStride)) && m.heatmapStride <= 2 ** m.widths.length, { path: ['heatmapStride'], message: 'expected a power of 2 no larger than 2^(number of stages)' })
  .refine((m) => m.inputSize % 2 ** m.widths.length === 0, { path: ['inputSize'], message: 'expected a multiple of 2^(number of stages)' }));


/** The study's amplitude-spectrum augmentation for training (Â = A·exp(σz), phase kept; half the images). */
export const STUDY_SPECTRAL_AUGMENT: SpectralAugment = { kind: 'perturb', sigma: 0.3, p: 0.5 };

const TRAIN_CONFIG_FIELDS = z.strictObject({
  name: z.string().min(1).default('posenet'),
  /** run folder: log.jsonl, checkpoint/, config.json */
  out: z.string().min(1),
  train: z.array(DATASET).min(1),
  val: DATASET.nullable().default(null),
  model: MODEL.prefault({}),
  epochs: int(1, 1e6).default(20),
  batchSize: int(1, 65536).default(32),
  /** Steps per epoch; default: ceil(total train samples / batchSize). */
  stepsPerEpoch: int(1, 1e9).optional(),
  learningRate: z.number().finite().positive().max(10).default(1e-3),
  schedule: z.enum(['cosine', 'constant', 'step']).default('cosine'),
  warmupSteps: int(0, 1e9).default(50),
  /** xyz: the depth term, uv: the soft-argmax 2D term, heatmap: cross-entropy against Gaussians (model.ts poseLoss) */
  lossWeights: z.strictObject({ xyz: num(0, 1e6).default(DEFAULT_LOSS.xyz), uv: num(0, 1e6).default(DEFAULT_LOSS.uv), heatmap: num(0, 1e6).default(DEFAULT_LOSS.heatmap!) }).prefault({}),
  /** crop box: the whole image (no label needed at prediction) or around the projected joints */
  crop: z.enum(['image', 'joints']).default('image'),
  /** crop margin around the projected joints (fraction of the box; crop "joints") */
  margin: num(0, 5).default(0.25),
  augment: AUGMENT.prefault({}),
  spectral: SPECTRAL.nullable().default(null),
  /** Reference pool for mix/swap/fda: a dataset whose images are the references, at most poolSize. */
  spectralPool: DATASET.nullable().default(null),
  poolSize: int(1, 1e6).default(64),
  /** batch worker threads (0 = main thread) */ workers: int(0, 256).default(1),
  /** batches prepared ahead */ prefetch: int(0, 64).default(2),
  seed: int(0, 2 ** 32 - 1).default(1),
  /**
   * Decay of an exponential moving average of the weights (weight-average.ts), e.g. 0.99: the average is what
   * validation scores and what the checkpoint's model.json holds. null: the optimiser's last weights.
   */
  ema: z.number().finite().min(0).lt(1).nullable().default(null),
  /**
   * Start from the weights of another run (its run or checkpoint folder) instead of a fresh network: fine-tuning,
   * e.g. on real frames after synthetic pre-training. Its model fields (sizes) must equal this run's `model`;
   * the optimiser and the learning-rate schedule start afresh.
   */
  init: z.string().min(1).nullable().default(null),
  /** force a backend (else HANDGAP_TF_BACKEND / automatic) */
  backend: z.enum(BACKEND_NAMES as [string, ...string[]]).optional(),
});

/** The run's fields, and each train set's augment fields checked over the run's augment (the error names train[i].augment). */
export const TRAIN_CONFIG = TRAIN_CONFIG_FIELDS.superRefine((cfg, ctx) => {
  cfg.train.forEach((set, i) => {
    if (!set.augment) return;
    const merged = { ...cfg.augment, ...set.augment };
    const r = AUGMENT.safeParse(merged);
    if (!r.success) ctx.addIssue({ code: 'custom', path: ['train', i, 'augment'], message: `as fields over the run's augment: ${describeIssues(AUGMENT, merged, r.error.issues).join('; ')}` });
  });
});

export type TrainConfig = z.output<typeof TRAIN_CONFIG>;
export type AugmentSettings = z.output<typeof AUGMENT>;

/** The image augmentation of one train set: its fields over the run's (validated with the config). */
export function setAugment(cfg: Pick<TrainConfig, 'augment'>, set: DatasetSpec): AugmentSettings {
  return set.augment ? AUGMENT.parse({ ...cfg.augment, ...set.augment }) : cfg.augment;
}

/** The spectral augmentation of one train set: its own when given (null = none), else the run's. */
export function setSpectral(cfg: Pick<TrainConfig, 'spectral'>, set: DatasetSpec): SpectralAugment | null {
  return set.spectral !== undefined ? set.spectral : cfg.spectral;
}

/** Parse a training config (missing fields take the defaults); `where` names the config file. */
export function parseTrainConfig(raw: unknown, where: string): TrainConfig {
  return parseConfig(TRAIN_CONFIG, raw, where, 'training config');
}

/** Learning rate at a global step (0-based). */
export function learningRateAt(cfg: Pick<TrainConfig, 'learningRate' | 'schedule' | 'warmupSteps'>, step: number, totalSteps: number): number {
  const warm = cfg.warmupSteps > 0 && step < cfg.warmupSteps ? (step + 1) / cfg.warmupSteps : 1;
  if (cfg.schedule === 'constant') return cfg.learningRate * warm;
  if (cfg.schedule === 'step') return cfg.learningRate * warm * Math.pow(0.1, Math.floor((3 * step) / Math.max(1, totalSteps)) >= 2 ? 2 : Math.floor((3 * step) / Math.max(1, totalSteps)));
  const t = Math.min(1, step / Math.max(1, totalSteps));
  return cfg.learningRate * warm * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
}
