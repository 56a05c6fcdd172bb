import fs from 'node:fs';
import path from 'node:path';
import { subcommandCommand, type Command } from '../command.ts';
import { optString, optNumber, optFlag, requireOption, type OptionSpecs } from '../args.ts';
import { InputError } from '../../util/errors.ts';
import { writeJsonAtomic, readJson, ensureDir } from '../../util/fsx.ts';
import { Progress } from '../../util/progress.ts';
import { initBackend, describeBackend } from '../../train/backend.ts';
import { BACKEND_NAMES } from '../../train/backend-names.ts';
import { loadPoseSource } from '../../data/pose-sets.ts';
import { splitPoseSets } from '../../train/prior/split.ts';
import { OcclusionVae, trainVae, priorModelDir } from '../../train/prior/vae.ts';
import { DEFAULT_VAE, parsePriorMeta } from '../../train/prior/config.ts';
import { readCheckpointMeta } from '../../train/checkpoint.ts';
import { evaluateOcclusion, formatOcclusionTable } from '../../train/prior/evaluate.ts';
import { readPredictions, writePredictions } from '../../data/freihand.ts';
import { toPriorVector, D, NJ } from '../../train/prior/poses.ts';
import { refuseOverlap } from '../../util/lock.ts';

const usage = `handgap prior train --out <dir> [--sets hgc-dev,leap] [--steps 2000] [--eval-every 500] [--test-fraction 0.15]
                    [--lr 1e-4] [--batch 256] [--scale 1] [--kl per-element] [--seed 1] [--resume]
handgap prior eval --model <dir> [--fit 50] [--limit N]
handgap prior refine --model <dir> --pred pred.json --visibility vis.json --out refined.json [--threshold 0.5] [--left] [--fit 40]

train   trains the VAE occlusion prior on real pose sets (comma-separated sources: hgc-dev, leap, pose files,
        *_xyz.json, FreiHAND folders), holding out whole recordings / 50-pose blocks (seeded), and reports the
        error on hidden joints (30/50/70 %) of the held-out poses for the mean pose, nearest neighbour and the
        prior, in mm. Writes <dir>/model/ (encoder/, decoder/: tfjs model.json + weights.bin, optimizer state; saved as one unit), log.jsonl, eval.json.
eval    re-runs that evaluation for a trained prior; --fit N adds refinement by N Adam steps on the latent
        (fit the decoder to the visible joints); --limit N uses N evenly spaced held-out poses.
refine  replaces the occluded joints of predictions (FreiHAND pred.json) with the prior's reconstruction.
        vis.json: per sample 21 visibilities or confidences (a joint counts as occluded below --threshold).
        --left: the predictions are left hands (mirrored for the prior and back). --fit N: fit the latent to the
        visible joints with N Adam steps (better on held-out poses, see docs/training.md).`;

const backend: OptionSpecs = {
  backend: { type: 'string', choices: BACKEND_NAMES, description: 'TensorFlow.js backend', defaultText: 'the fastest available' },
};
const subcommands = {
  train: { options: { ...backend,
    out: { type: 'string', value: 'dir', description: 'model folder (required)' },
    sets: { type: 'string', value: 'source,...', default: 'hgc-dev,leap', description: 'real pose sources' },
    steps: { type: 'integer', min: 1, default: 2000, description: 'training steps' },
    'eval-every': { type: 'integer', min: 1, default: 500, description: 'steps between held-out evaluations' },
    'test-fraction': { type: 'number', above: 0, max: 0.9, default: 0.15, description: 'held-out fraction (whole recordings / 50-pose blocks)' },
    lr: { type: 'number', above: 0, max: 1, default: DEFAULT_VAE.learningRate, description: 'learning rate' },
    batch: { type: 'integer', min: 1, max: 65536, default: DEFAULT_VAE.batchSize, description: 'batch size' },
    scale: { type: 'number', above: 0, default: DEFAULT_VAE.inputScale, description: 'input scale (metres → network units; 1 = metres as released, 100 = cm)' },
    kl: { type: 'string', choices: ['per-element', 'per-sample'], default: DEFAULT_VAE.klNormalisation, description: 'KL normalisation (per-element: as the released VAEPose code)' },
    seed: { type: 'integer', min: 0, default: 1, description: 'seed of the split and the initialisation' },
    resume: { type: 'boolean', description: 'continue from <out>/model' },
  } satisfies OptionSpecs },
  eval: { options: { ...backend,
    model: { type: 'string', value: 'dir', description: 'trained prior (required)' },
    fit: { type: 'integer', min: 0, max: 100000, default: 0, description: 'refine by N Adam steps on the latent (0 = no fit)' },
    limit: { type: 'integer', min: 1, description: 'N evenly spaced held-out poses' },
  } satisfies OptionSpecs },
  refine: { options: { ...backend,
    model: { type: 'string', value: 'dir', description: 'trained prior (required)' },
    pred: { type: 'string', value: 'pred.json', description: 'predictions (required)' },
    visibility: { type: 'string', value: 'vis.json', description: 'per-sample visibilities (required)' },
    out: { type: 'string', value: 'refined.json', description: 'refined predictions (required)' },
    threshold: { type: 'number', min: 0, max: 1, default: 0.5, description: 'a joint counts as occluded below this visibility' },
    left: { type: 'boolean', description: 'the predictions are left hands' },
    fit: { type: 'integer', min: 0, max: 100000, default: 0, description: 'fit the latent to the visible joints with N Adam steps' },
  } satisfies OptionSpecs },
};

async function train(args: Parameters<Command['run']>[0]): Promise<number> {
  const out = requireOption(args, 'out', 'dir');
  const backend = await initBackend({ force: optString(args, 'backend') });
  const sources = optString(args, 'sets')!.split(',').filter(Boolean);
  const seed = optNumber(args, 'seed')!;
  const testFraction = optNumber(args, 'test-fraction')!;
  const steps = optNumber(args, 'steps')!;
  const evalEvery = optNumber(args, 'eval-every')!;
  const split = splitPoseSets(sources.map((s) => loadPoseSource(s)), { seed, testFraction });
  if (split.trainCount === 0 || split.testCount === 0) throw new InputError(sources.join(','), `split left ${split.trainCount} training and ${split.testCount} held-out poses; change --test-fraction or add sets`);
  ensureDir(out);
  const logFile = path.join(out, 'log.jsonl');
  const resume = optFlag(args, 'resume') && fs.existsSync(path.join(priorModelDir(out), 'encoder', 'model.json'));
  const vae = resume ? await OcclusionVae.load(out) : OcclusionVae.create({
    seed, learningRate: optNumber(args, 'lr')!, batchSize: optNumber(args, 'batch')!,
    inputScale: optNumber(args, 'scale')!, klNormalisation: optString(args, 'kl') as 'per-element' | 'per-sample',
  });
  if (!resume) fs.rmSync(logFile, { force: true });
  const log = (r: Record<string, unknown>) => fs.appendFileSync(logFile, JSON.stringify({ time: new Date().toISOString(), ...r }) + '\n');
  log({ type: 'start', backend: backend.name, backendReason: backend.reason, sources, seed, testFraction, trainPoses: split.trainCount, testPoses: split.testCount, testGroups: split.testGroups, vae: vae.cfg, resumedAt: vae.step });
  console.error(`prior: ${describeBackend()}; ${split.trainCount} training poses, ${split.testCount} held out (${split.testGroups.join(', ')})`);
  const progress = new Progress({ label: 'prior', total: steps, unit: 'step' });
  progress.set(Math.min(vae.step, steps));
  let rows = null;
  while (vae.step < steps) {
    const chunk = Math.min(evalEvery - (vae.step % evalEvery), steps - vae.step);
    trainVae(vae, split.train, chunk, { logEvery: 50, onLog: (l) => { log({ type: 'step', ...l }); progress.set(l.step); progress.tick(0, `loss ${l.loss.toPrecision(3)} recon ${l.recon.toPrecision(3)} kl ${l.kl.toPrecision(3)}`); } });
    await vae.save(out, { sources, seed, testFraction, backend: backend.name });
    rows = evaluateOcclusion(vae, split.train, split.test, [0.3, 0.5, 0.7], seed);
    log({ type: 'eval', step: vae.step, rows });
    console.error(`\nstep ${vae.step}\n${formatOcclusionTable(rows)}`);
  }
  rows ??= evaluateOcclusion(vae, split.train, split.test, [0.3, 0.5, 0.7], seed);
  writeJsonAtomic(path.join(out, 'eval.json'), { step: vae.step, backend: backend.name, trainPoses: split.trainCount, testPoses: split.testCount, rows }, 2);
  console.log(formatOcclusionTable(rows));
  return 0;
}

async function evaluate(args: Parameters<Command['run']>[0]): Promise<number> {
  const dir = requireOption(args, 'model', 'dir');
  const metaFile = path.join(priorModelDir(dir), 'encoder', 'model.json');
  const m = parsePriorMeta(readCheckpointMeta(path.dirname(metaFile)), `${metaFile} (userDefinedMetadata)`);
  await initBackend({ force: optString(args, 'backend') });
  const vae = await OcclusionVae.load(dir);
  const split = splitPoseSets(m.sources.map((s) => loadPoseSource(s)), { seed: m.seed, testFraction: m.testFraction });
  const limit = optNumber(args, 'limit');
  // --limit: evenly spaced held-out poses (consecutive ones are near-identical frames)
  let test = split.test;
  if (limit && limit < split.testCount) {
    test = new Float32Array(limit * D);
    for (let k = 0; k < limit; k++) { const i = Math.floor((k * split.testCount) / limit); test.set(split.test.subarray(i * D, i * D + D), k * D); }
  }
  const rows = evaluateOcclusion(vae, split.train, test, [0.3, 0.5, 0.7], m.seed, optNumber(args, 'fit')!);
  writeJsonAtomic(path.join(dir, `eval-step${vae.step}${limit ? `-limit${limit}` : ''}.json`), { step: vae.step, rows }, 2);
  console.log(formatOcclusionTable(rows));
  return 0;
}

async function refine(args: Parameters<Command['run']>[0]): Promise<number> {
  const dir = requireOption(args, 'model', 'dir'), predFile = requireOption(args, 'pred', 'pred.json');
  const visFile = requireOption(args, 'visibility', 'vis.json'), out = requireOption(args, 'out', 'refined.json');
  refuseOverlap(out, [{ name: 'predictions file', path: predFile }, { name: 'visibility file', path: visFile }, { name: 'model folder', path: dir }]);
  await initBackend({ force: optString(args, 'backend') });
  const vae = await OcclusionVae.load(dir);
  const pred = readPredictions(predFile);
  const vis = readJson<unknown>(visFile);
  if (!Array.isArray(vis) || vis.length !== pred.xyz.length) throw new InputError(visFile, `expected a list of ${pred.xyz.length} per-sample visibility lists`);
  const threshold = optNumber(args, 'threshold')!;
  const left = optFlag(args, 'left');
  const n = pred.xyz.length, vecs = new Float32Array(n * D), visible = new Uint8Array(n * NJ);
  pred.xyz.forEach((p, i) => {
    toPriorVector(p.flat(), 0, left, vecs, i * D);
    const v = vis[i];
    if (!Array.isArray(v) || v.length !== NJ) throw new InputError(`${visFile}[${i}]`, `expected ${NJ} numbers`);
    v.forEach((c, j) => { if (typeof c !== 'number' && typeof c !== 'boolean') throw new InputError(`${visFile}[${i}][${j}]`, 'expected a number or boolean'); visible[i * NJ + j] = Number(c) >= threshold ? 1 : 0; });
  });
  const fit = optNumber(args, 'fit')!;
  const refined = fit > 0 ? vae.refineFit(vecs, visible, { iterations: fit }) : vae.refine(vecs, visible);
  const xyz = pred.xyz.map((p, i) => Array.from({ length: NJ }, (_, j) => [
    (left ? -1 : 1) * refined[i * D + j * 3] + p[0][0], refined[i * D + j * 3 + 1] + p[0][1], refined[i * D + j * 3 + 2] + p[0][2]]));
  writePredictions(out, { xyz, verts: pred.verts });
  console.log(`refined ${n} predictions (${visible.reduce((s, v) => s + (v ? 0 : 1), 0)} occluded joints) → ${out}`);
  return 0;
}

const command = subcommandCommand({
  name: 'prior',
  summary: 'VAE occlusion prior: train on real poses, evaluate (mean pose / nearest neighbour / prior, mm), refine predictions',
  usage,
  subcommands: { train: { ...subcommands.train, run: train }, eval: { ...subcommands.eval, run: evaluate }, refine: { ...subcommands.refine, run: refine } },
});
export default command;
