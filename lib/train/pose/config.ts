/**
 * Training configuration for the pose estimator (JSON file for `handgap train --config`), validated with
 * errors that name the field.
 */
import { InputError } from '../../util/errors.ts';
import { STANDARD_POSENET, type PoseNetConfig } from '../pose/model.ts';
import { DEFAULT_AUGMENT, type AugmentConfig } from '../pipeline/transform.ts';
import type { SpectralAugment } from '../../spectral/augment.ts';

export interface DatasetSpec {
  /** A known set name (hgc-dev, freihand, ...) or a FreiHAND-layout folder. */
  path: string;
  /** Split (file prefix); default: the reader's choice (training, else evaluation). */
  split?: string;
  /** Relative weight in a mixed set (synthetic:real ratio), default 1. */
  weight?: number;
  /** Hand side when the samples do not say (meta.handedness); hgc-dev is known to be left. */
  handedness?: 'left' | 'right';
  /** Use only these indices, or the first `limit` samples. */
  indices?: number[];
  limit?: number;
}

export interface TrainConfig {
  name: string;
  out: string;                 // run folder: log.jsonl, checkpoint/, config.json
  train: DatasetSpec[];
  val?: DatasetSpec | null;
  model: PoseNetConfig;
  epochs: number;
  batchSize: number;
  /** Steps per epoch; default: ceil(total train samples / batchSize). */
  stepsPerEpoch?: number;
  learningRate: number;
  schedule: 'cosine' | 'constant' | 'step';
  warmupSteps: number;
  lossWeights: { xyz: number; uv: number };
  margin: number;
  augment: AugmentConfig;
  spectral: SpectralAugment | null;
  /** Reference pool for mix/swap/fda: a dataset (spec) whose images are the references, at most poolSize. */
  spectralPool?: DatasetSpec | null;
  poolSize: number;
  workers: number;             // batch worker threads (0 = main thread)
  prefetch: number;            // batches prepared ahead
  seed: number;
  backend?: string;            // force a backend (else HANDGAP_TF_BACKEND / automatic)
}

export const DEFAULT_TRAIN: Omit<TrainConfig, 'train' | 'out'> = {
  name: 'posenet', val: null, model: STANDARD_POSENET, epochs: 20, batchSize: 32, learningRate: 1e-3,
  schedule: 'cosine', warmupSteps: 50, lossWeights: { xyz: 1, uv: 1 }, margin: 0.25, augment: DEFAULT_AUGMENT,
  spectral: null, spectralPool: null, poolSize: 64, workers: 1, prefetch: 2, seed: 1,
};

function num(v: unknown, where: string, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new InputError(where, `expected a number ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function dataset(v: unknown, where: string): DatasetSpec {
  if (typeof v === 'string') return { path: v };
  if (!v || typeof v !== 'object' || typeof (v as DatasetSpec).path !== 'string') throw new InputError(where, 'expected a dataset path or { "path": ..., "weight"?, "split"?, "limit"? }');
  const d = v as DatasetSpec;
  if (d.weight !== undefined) num(d.weight, `${where}.weight`, 0);
  if (d.limit !== undefined) num(d.limit, `${where}.limit`, 1);
  if (d.handedness !== undefined && d.handedness !== 'left' && d.handedness !== 'right') throw new InputError(`${where}.handedness`, 'expected "left" or "right"');
  return d;
}

/** Merge a parsed JSON object over the defaults and validate; `where` names the config file. */
export function parseTrainConfig(raw: unknown, where: string): TrainConfig {
  if (!raw || typeof raw !== 'object') throw new InputError(where, 'expected a JSON object');
  const r = raw as Record<string, unknown>;
  if (!Array.isArray(r.train) || r.train.length === 0) throw new InputError(`${where}: train`, 'expected a non-empty list of datasets');
  if (typeof r.out !== 'string') throw new InputError(`${where}: out`, 'expected the run folder (string)');
  const cfg: TrainConfig = {
    ...DEFAULT_TRAIN, ...(r as Partial<TrainConfig>),
    model: { ...STANDARD_POSENET, ...((r.model as object) ?? {}) },
    augment: { ...DEFAULT_AUGMENT, ...((r.augment as object) ?? {}) },
    lossWeights: { ...DEFAULT_TRAIN.lossWeights, ...((r.lossWeights as object) ?? {}) },
    train: (r.train as unknown[]).map((d, i) => dataset(d, `${where}: train[${i}]`)),
    out: r.out,
  } as TrainConfig;
  if (r.val) cfg.val = dataset(r.val, `${where}: val`);
  if (r.spectralPool) cfg.spectralPool = dataset(r.spectralPool, `${where}: spectralPool`);
  num(cfg.epochs, `${where}: epochs`, 1);
  num(cfg.batchSize, `${where}: batchSize`, 1);
  num(cfg.learningRate, `${where}: learningRate`, 0);
  num(cfg.workers, `${where}: workers`, 0);
  num(cfg.seed, `${where}: seed`);
  if (!['cosine', 'constant', 'step'].includes(cfg.schedule)) throw new InputError(`${where}: schedule`, 'expected cosine, constant or step');
  if (cfg.model.widths.length !== cfg.model.blocks.length) throw new InputError(`${where}: model`, 'widths and blocks must have the same length');
  if (cfg.spectral && !['mix', 'swap', 'fda', 'perturb', 'none'].includes(cfg.spectral.kind)) throw new InputError(`${where}: spectral.kind`, 'expected mix, swap, fda, perturb or none');
  return cfg;
}

/** Learning rate at a global step (0-based). */
export function learningRateAt(cfg: Pick<TrainConfig, 'learningRate' | 'schedule' | 'warmupSteps'>, step: number, totalSteps: number): number {
  const warm = cfg.warmupSteps > 0 && step < cfg.warmupSteps ? (step + 1) / cfg.warmupSteps : 1;
  if (cfg.schedule === 'constant') return cfg.learningRate * warm;
  if (cfg.schedule === 'step') return cfg.learningRate * warm * Math.pow(0.1, Math.floor((3 * step) / Math.max(1, totalSteps)) >= 2 ? 2 : Math.floor((3 * step) / Math.max(1, totalSteps)));
  const t = Math.min(1, step / Math.max(1, totalSteps));
  return cfg.learningRate * warm * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
}
