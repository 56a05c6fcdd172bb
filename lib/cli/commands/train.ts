import path from 'node:path';
import type { Command } from '../command.ts';
import { BACKEND_NAMES } from '../../train/backend-names.ts';
import { optString, optNumber, optFlag, requireOption, type OptionSpecs } from '../args.ts';
import { readJson, assertOutputDir } from '../../util/fsx.ts';
import { parseTrainConfig } from '../../train/pose/config.ts';
import { trainPoseModel, loadDataset, type TrainResult } from '../../train/pose/train.ts';
import { formatDuration } from '../../util/progress.ts';
import fs from 'node:fs';
import { runProtocol, protocolTable, compareProtocols, contrastLine, type ProtocolResult } from '../../train/pose/protocol.ts';
import { InputError } from '../../util/errors.ts';
import { checkImageFile } from '../../image/io.ts';

/** The end-of-training lines a person reads (the same facts as --json). */
export function trainSummary(name: string, res: TrainResult, seconds: number): string {
  const last = res.epochs[res.epochs.length - 1];
  const lines = [`trained ${name}: ${res.epochs.length} epoch${res.epochs.length === 1 ? '' : 's'} in ${formatDuration(seconds)} on ${res.backend.name}`];
  if (last) {
    lines.push(`  last epoch ${last.epoch}: loss ${last.loss.toFixed(4)} (xyz ${last.lossXyz.toFixed(4)}, uv ${last.lossUv.toFixed(4)}), ${last.imagesPerSecond.toFixed(1)} img/s`);
    if (last.val) lines.push(`  validation on ${last.val.set} (${last.val.count} samples): PA-MPJPE ${last.val.paMpjpeMm.toFixed(1)} mm, MPJPE ${last.val.mpjpeMm.toFixed(1)} mm (beside the constant-pose baseline and best-match oracle: --seeds)`);
  } else lines.push('  no epoch ran (already trained to config.epochs; --epochs N to continue)');
  lines.push(`  checkpoint: ${res.checkpoint}`);
  return lines.join('\n');
}

/** A protocol result from its run folder or its protocol.json (handgap train --seeds writes it). */
function readProtocol(where: string): ProtocolResult {
  const file = fs.existsSync(where) && fs.statSync(where).isDirectory() ? path.join(where, 'protocol.json') : where;
  const r = readJson<ProtocolResult>(file);
  if (r === null || typeof r !== 'object' || !Array.isArray(r.seeds) || typeof r.name !== 'string') throw new InputError(file, 'is not a protocol result (expected name and seeds, as handgap train --seeds writes)');
  return r;
}

const command: Command = {
  name: 'train',
  summary: 'train the pose estimator from a JSON config (any FreiHAND-layout sets, mixed by weight); resumable',
  usage: `handgap train --config <file.json> [--resume | --restart] [--backend wasm|cpu|tensorflow|tensorflow-gpu] [--epochs N] [--out DIR]

Config fields (defaults in docs/training.md): name, out, train: [{path, weight?, split?, limit?, indices?, blocks?, handedness?}],
val?, model: cpu|cpu-large|resnet|tiny or {inputSize, widths, blocks, seed, heatmapStride, upWidth}, epochs, batchSize, stepsPerEpoch?, learningRate, schedule
(cosine|constant|step), warmupSteps, lossWeights {xyz, uv, heatmap}, crop (image|joints), margin, augment {scale, rotationDeg, translate, flip,
colour, erase}, spectral (lib/spectral augment: {kind: mix|swap|fda|perturb, ...}), spectralPool, poolSize, workers,
prefetch, seed, ema (decay of the weights' moving average that is saved and scored; null: last weights), init, backend.
Writes <out>/config.json, <out>/log.jsonl (JSON lines: start with backend and reason, steps, epochs with
validation PA-MPJPE/MPJPE in mm), <out>/checkpoint/ (model.json, weights.bin, optimizer.*).
--resume continues from <out>/checkpoint with the same data order and optimizer state. Without it, a folder
that already holds a checkpoint is refused (nothing is overwritten); --restart starts over there (deletes it).
--seeds 1,2,3 runs the evaluation protocol: one run per seed (<out>/seed-<s>, resumed where done), each scored
on val beside the constant-pose baseline and the best-match oracle from the training poses, plus the training-set
fit; prints mean ± 95% interval over seeds (one seed: the paired bootstrap over the test frames) and writes
<out>/protocol.json.
handgap train --compare A,B (two protocol folders or protocol.json files scored on the same frames) prints A ÷ B
of test PA-MPJPE, paired: per seed the ratio of summed per-frame errors, with its 95% interval and verdict.`,
  options: {
    config: { type: 'string', value: 'file.json', description: 'training config (required unless --compare; fields in docs/training.md)' },
    out: { type: 'string', value: 'dir', description: 'run folder', defaultText: 'config.out' },
    epochs: { type: 'integer', min: 1, description: 'number of epochs', defaultText: 'config.epochs' },
    backend: { type: 'string', choices: BACKEND_NAMES, description: 'TensorFlow.js backend', defaultText: 'the fastest available' },
    resume: { type: 'boolean', description: 'continue from <out>/checkpoint' },
    restart: { type: 'boolean', description: 'start over in a folder that holds a checkpoint (deletes it and its log first)' },
    seeds: { type: 'string', value: '1,2,3', description: 'run the protocol over these seeds (needs val)' },
    json: { type: 'boolean', description: 'print the result as JSON instead of the summary' },
    compare: { type: 'string', value: 'A,B', description: 'A ÷ B of two protocol results on the same test frames (folders or protocol.json files); no training' },
  } satisfies OptionSpecs,
  async run(args) {
    const compare = optString(args, 'compare');
    if (compare !== undefined) {
      const files = compare.split(',').map((f) => f.trim());
      if (files.length !== 2 || files.some((f) => !f)) throw new InputError('--compare', `got "${compare}"; expected two protocol results, A,B`);
      const [a, b] = files.map(readProtocol);
      const c = compareProtocols(a, b, files as [string, string]);
      console.log(optFlag(args, 'json') ? JSON.stringify(c, null, 2) : contrastLine(c));
      return 0;
    }
    const file = requireOption(args, 'config', 'file.json');
    // the command-line options (already checked) stand in for their fields; the file is checked as it is
    const overrides = { out: optString(args, 'out'), epochs: optNumber(args, 'epochs'), backend: optString(args, 'backend') };
    const raw = readJson<unknown>(file);
    const given = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : undefined;
    const cfg = parseTrainConfig(given ? { ...given, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } : raw, file);
    // a relative run folder in the file is relative to the file
    if (!overrides.out && !path.isAbsolute(cfg.out)) cfg.out = path.resolve(path.dirname(file), cfg.out);
    assertOutputDir(cfg.out, overrides.out ? '--out' : `${file}: out`);
    const seeds = optString(args, 'seeds');
    const list = seeds?.split(',').map((v) => (v.trim() === '' ? NaN : Number(v.trim())));
    if (list && !list.every((v) => Number.isInteger(v) && v >= 0)) throw new InputError('--seeds', `got "${seeds}"; expected a comma-separated list of integers >= 0`);
    // every data set read and every image checked (header, not cut short) before the run folder is touched
    for (const spec of [...cfg.train, ...(cfg.val ? [cfg.val] : []), ...(cfg.spectralPool ? [cfg.spectralPool] : [])]) {
      const samples = loadDataset(spec).samples;
      for (let i = 0; i < samples.length; i += 64) await Promise.all(samples.slice(i, i + 64).map((s) => checkImageFile(s.imagePath, `sample ${s.index} of ${spec.path}`)));
    }
    if (list !== undefined) {
      const result = await runProtocol(cfg, list);
      console.log(protocolTable([result]));
      return 0;
    }
    const t0 = Date.now();
    const res = await trainPoseModel(cfg, { resume: optFlag(args, 'resume'), restart: optFlag(args, 'restart') });
    const last = res.epochs[res.epochs.length - 1];
    if (optFlag(args, 'json')) { console.log(JSON.stringify({ checkpoint: res.checkpoint, backend: res.backend, epochs: res.epochs.length, last }, null, 2)); return 0; }
    console.log(trainSummary(cfg.name, res, (Date.now() - t0) / 1000));
    return 0;
  },
};
export default command;
