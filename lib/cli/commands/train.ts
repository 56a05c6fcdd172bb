import path from 'node:path';
import type { Command } from '../command.ts';
import { BACKEND_NAMES } from '../../train/backend.ts';
import { optString, optNumber, optFlag, requireOption, type OptionSpecs } from '../args.ts';
import { readJson } from '../../util/fsx.ts';
import { parseTrainConfig } from '../../train/pose/config.ts';
import { trainPoseModel } from '../../train/pose/train.ts';

const command: Command = {
  name: 'train',
  summary: 'train the pose estimator from a JSON config (any FreiHAND-layout sets, mixed by weight); resumable',
  usage: `handgap train --config <file.json> [--resume] [--backend wasm|cpu|tensorflow|tensorflow-gpu] [--epochs N] [--out DIR]

Config fields (defaults in docs/training.md): name, out, train: [{path, weight?, split?, limit?, indices?, handedness?}],
val?, model: {inputSize, widths, blocks, seed}, epochs, batchSize, stepsPerEpoch?, learningRate, schedule
(cosine|constant|step), warmupSteps, lossWeights {xyz, uv}, margin, augment {scale, rotationDeg, translate, flip,
colour}, spectral (lib/spectral augment: {kind: mix|swap|fda|perturb, ...}), spectralPool, poolSize, workers,
prefetch, seed, backend.
Writes <out>/config.json, <out>/log.jsonl (JSON lines: start with backend and reason, steps, epochs with
validation PA-MPJPE/MPJPE in mm), <out>/checkpoint/ (model.json, weights.bin, optimizer.*).
--resume continues from <out>/checkpoint with the same data order and optimizer state.`,
  options: {
    config: { type: 'string', value: 'file.json', description: 'training config (required; fields in docs/training.md)' },
    out: { type: 'string', value: 'dir', description: 'run folder', defaultText: 'config.out' },
    epochs: { type: 'integer', min: 1, description: 'number of epochs', defaultText: 'config.epochs' },
    backend: { type: 'string', choices: BACKEND_NAMES, description: 'TensorFlow.js backend', defaultText: 'the fastest available' },
    resume: { type: 'boolean', description: 'continue from <out>/checkpoint' },
  } satisfies OptionSpecs,
  async run(args) {
    const file = requireOption(args, 'config', 'file.json');
    const raw = readJson<Record<string, unknown>>(file);
    const out = optString(args, 'out');
    if (out) raw.out = out;
    else if (typeof raw.out === 'string' && !path.isAbsolute(raw.out)) raw.out = path.resolve(path.dirname(file), raw.out);
    const epochs = optNumber(args, 'epochs');
    if (epochs !== undefined) raw.epochs = epochs;
    const backend = optString(args, 'backend');
    if (backend) raw.backend = backend;
    const cfg = parseTrainConfig(raw, file);
    const res = await trainPoseModel(cfg, { resume: optFlag(args, 'resume') });
    const last = res.epochs[res.epochs.length - 1];
    console.log(JSON.stringify({ checkpoint: res.checkpoint, backend: res.backend, epochs: res.epochs.length, last }, null, 2));
    return 0;
  },
};
export default command;
