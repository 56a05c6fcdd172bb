import path from 'node:path';
import type { Command } from '../command.ts';
import { BACKEND_NAMES } from '../../train/backend-names.ts';
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
    // the command-line options (already checked) stand in for their fields; the file is checked as it is
    const overrides = { out: optString(args, 'out'), epochs: optNumber(args, 'epochs'), backend: optString(args, 'backend') };
    const raw = readJson<unknown>(file);
    const given = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : undefined;
    const cfg = parseTrainConfig(given ? { ...given, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } : raw, file);
    // a relative run folder in the file is relative to the file
    if (!overrides.out && !path.isAbsolute(cfg.out)) cfg.out = path.resolve(path.dirname(file), cfg.out);
    const res = await trainPoseModel(cfg, { resume: optFlag(args, 'resume') });
    const last = res.epochs[res.epochs.length - 1];
    console.log(JSON.stringify({ checkpoint: res.checkpoint, backend: res.backend, epochs: res.epochs.length, last }, null, 2));
    return 0;
  },
};
export default command;
