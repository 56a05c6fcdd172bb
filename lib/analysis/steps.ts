/**
 * The step kinds the experiment runner knows, registered by name. Each wraps one area's entry point
 * (render: lib/synth, compose: lib/image/compose.ts, train/eval: lib/train + lib/metrics). A kind's
 * `version` is part of every run key: bump it when the step's results change meaning.
 */
import { registerStepKind } from './runner.ts';
import { resolveDatasetArg } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';
import fs from 'node:fs';
import path from 'node:path';
import { composeDataset } from './compose-dataset.ts';
import { evaluatePredictions } from './evaluate.ts';
import { HandgapError } from '../util/errors.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { Progress } from '../util/progress.ts';

/**
 * Entry points of other areas that are loaded lazily (kept for callers that check availability; train and
 * predict are now wired directly to lib/train/pose/train.ts).
 */
export const AREA_ENTRY = {
  train: { file: '../train/pose/train.ts', fn: 'trainPoseModel', area: 'train' },
  predict: { file: '../train/pose/train.ts', fn: 'predictSamples', area: 'train' },
} as const;

const asJson = (v: unknown): Json => JSON.parse(JSON.stringify(v ?? null)) as Json;

/** Replace every "@id:key" string inside a config by that dependency's result.file ?? result.dir. */
export function resolveDepRefs(v: Json, deps: Record<string, DepResult>, where: string): Json {
  if (typeof v === 'string' && /^@[\w-]+:[0-9a-f]+$/.test(v)) {
    const id = v.slice(1).split(':')[0];
    const r = deps[id]?.result;
    const target = r ? (r.file ?? r.dir) : undefined;
    if (typeof target !== 'string') throw new InputError(where, `dependency ${id} has no file or dir in its result`);
    return target;
  }
  if (Array.isArray(v)) return v.map((x, i) => resolveDepRefs(x, deps, `${where}[${i}]`));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveDepRefs(x, deps, `${where}.${k}`)]));
  return v;
}
import type { Json } from './experiment.ts';
import type { DepResult } from './runner.ts';

/** The folder of a dataset-valued config entry: "@step" (a dependency's result.dir) or a set name/path. */
export function datasetDir(v: Json | undefined, deps: Record<string, DepResult>, where: string): string {
  if (typeof v === 'string' && v.startsWith('@')) {
    const id = v.slice(1).split(':')[0];
    const d = deps[id];
    if (!d || typeof d.result.dir !== 'string') throw new InputError(where, `dependency ${id} did not produce a dataset folder`);
    return d.result.dir;
  }
  if (typeof v !== 'string' || !v) throw new InputError(where, 'expected a dataset name, folder or "@step"');
  const dir = resolveDatasetArg(v);
  if (!fs.existsSync(dir)) throw new InputError(where, `dataset folder ${dir} not found`);
  return dir;
}

let registered = false;

export function registerBuiltinSteps(): void {
  if (registered) return;
  registered = true;

  registerStepKind({
    name: 'dataset',
    version: 1,
    summary: 'an existing dataset (known set name or folder); result: { dir }',
    async run({ config }) {
      const dir = resolveDatasetArg(String(config.path ?? config.name ?? ''));
      if (!fs.existsSync(dir)) throw new InputError(`dataset ${String(config.path ?? config.name)}`, `folder ${dir} not found`);
      return { dir };
    },
  });

  registerStepKind({
    name: 'compose',
    version: 2, // 2: occlusion meta accounts for rendered occlusion
    summary: 'paste donor arms/objects (or random colours) onto a synthetic set; config: syn, donor, masks, pairing, fill, arm, object',
    async run({ config, deps, dir, log }): Promise<Record<string, Json>> {
      const out = path.join(dir, 'data');
      if (config.enabled === false) return { dir: datasetDir(config.syn, deps, 'compose.syn'), composed: false };
      const r = await composeDataset({
        syn: datasetDir(config.syn, deps, 'compose.syn'), donor: config.donor ? datasetDir(config.donor, deps, 'compose.donor') : undefined, out,
        masks: (config.masks as string | undefined) ?? 'labels', pairing: (config.pairing as 'random') ?? 'random', fill: (config.fill as 'real') ?? 'real',
        seed: Number(config.seed ?? 0), arm: config.arm !== false, object: config.object !== false, resize: config.resize === true, log,
      });
      return { dir: out, composed: true, count: r.count, meanOccludedFraction: Number.isFinite(r.meanOccludedFraction) ? r.meanOccludedFraction : null };
    },
  });

  registerStepKind({
    name: 'pose-pool',
    version: 1,
    summary: 'a seeded pool of poses from a source (hgc-dev, leap, pose file, FreiHAND folder); config: { source, limit?, seed }; result: { file, count }',
    async run({ config, dir }): Promise<Record<string, Json>> {
      const { loadPoseSource, selectPoses, writePoseFile } = await import('../data/pose-sets.ts');
      const { nestedSubsets } = await import('../hand/sampler.ts');
      const src = String(config.source ?? '');
      let set = loadPoseSource(src === 'hgc-dev' || src === 'leap' ? src : resolveDatasetArg(src));
      const seed = Number(config.seed ?? 0), limit = Number(config.limit ?? 0);
      if (limit > 0 && limit < set.count) set = selectPoses(set, nestedSubsets(set.count, [limit / set.count], seed)[0].indices, `${set.name}-pool${limit}`);
      const { frames: _frames, ...meta } = set.meta as Record<string, unknown>; // per-frame provenance is large
      set.meta = meta;
      if (!set.angles) {
        // the renderer is driven by model angles: fit them (lib/hand) to the pool's joints
        const { fitPoseSet } = await import('../hand/fit.ts');
        const { genericHandRestShape } = await import('../hand/asset.ts');
        const prog = new Progress({ label: 'fit poses', total: set.count, unit: 'pose' });
        const fit = fitPoseSet(genericHandRestShape('right'), set.joints, set.handedness, { onPose: () => prog.tick() });
        prog.finish();
        set.angles = fit.angles;
        let err = 0; for (const e of fit.jointErrors) err += e;
        set.meta.fitMeanJointErrorMm = (1000 * err) / fit.jointErrors.length;
      }
      const file = path.join(dir, 'poses.json');
      writePoseFile(file, set, { poolSeed: seed, source: src });
      return { file, count: set.count, fitMeanJointErrorMm: (set.meta.fitMeanJointErrorMm as number | undefined) ?? null };
    },
  });

  registerStepKind({
    name: 'pose-subset',
    version: 2,
    summary: 'nested seeded subset of a pose pool (lib/hand nestedSubsets: larger fractions contain smaller ones); config: { pool: "@pool", fraction, seed }',
    async run({ config, deps, dir }): Promise<Record<string, Json>> {
      const { readPoseFile, selectPoses, writePoseFile } = await import('../data/pose-sets.ts');
      const { nestedSubsets } = await import('../hand/sampler.ts');
      const poolFile = resolveDepRefs(config.pool, deps, 'pose-subset.pool');
      if (typeof poolFile !== 'string') throw new InputError('pose-subset.pool', 'must be "@<pose-pool step>" or a pose file');
      const set = readPoseFile(poolFile);
      const fraction = Number(config.fraction ?? 1), seed = Number(config.seed ?? 0);
      const { indices } = nestedSubsets(set.count, [fraction], seed)[0];
      const sub = selectPoses(set, indices, `${set.name}-${fraction}`);
      if (!sub.angles) throw new InputError(poolFile, 'pose pool has no angles (the renderer needs them)');
      const file = path.join(dir, 'poses.json');
      writePoseFile(file, sub, { fraction, subsetSeed: seed });
      return { file, count: indices.length, pool: set.count, fraction };
    },
  });

  registerStepKind({
    name: 'render',
    version: 1,
    summary: 'render a synthetic set with Blender (lib/synth); config: a render config (partial, validated by synth)',
    async run({ config, deps, dir, log }): Promise<Record<string, Json>> {
      const { validateConfig } = await import('../synth/config.ts');
      const { runRender } = await import('../synth/driver.ts');
      const cfg = validateConfig(resolveDepRefs(config, deps, 'render'), `render step ${dir}`);
      const out = path.join(dir, 'data');
      const r = await runRender({ config: cfg, out, workers: Number(process.env.HANDGAP_RENDER_WORKERS ?? 1) });
      if (r.failed.length) throw new HandgapError(`render: ${r.failed.length} samples failed (${r.failed.slice(0, 10).join(', ')}); re-run to retry them`);
      if (!r.finalized) throw new HandgapError(`render: set in ${out} was not finalized (${r.rendered + r.skipped}/${r.total})`);
      log(`rendered ${r.rendered} images (${r.secondsPerImage.toFixed(2)} s/image)`);
      return { dir: out, count: r.total, secondsPerImage: r.secondsPerImage };
    },
  });

  registerStepKind({
    name: 'train',
    version: 1,
    summary: 'train the pose network (lib/train trainPoseModel); config: { data: "@step" | set | [..] } or { domain: real|synthetic|mixed, real, synthetic }, val?, epochs, batchSize, inputSize, amplitudeAug, seed, ...TrainConfig fields',
    async run({ config, deps, dir, log }): Promise<Record<string, Json>> {
      // either "data" (one or more sets) or "domain" real|synthetic|mixed choosing among "real" and "synthetic"
      const dom = config.domain;
      const sources: Json[] = dom === undefined ? (Array.isArray(config.data) ? config.data : [config.data])
        : dom === 'real' ? [config.real] : dom === 'synthetic' ? [config.synthetic] : dom === 'mixed' ? [config.real, config.synthetic]
        : (() => { throw new InputError('train.domain', `"${String(dom)}" is not real, synthetic or mixed`); })();
      const data = sources.map((d, i) => datasetDir(d, deps, `train.data[${i}]`));
      const { data: _d, val, real: _r, synthetic: _s, domain: _dm, inputSize, amplitudeAug, model: method, ...knobs } = config;
      // "model" names the method of a sweep; one method exists (the network sized by inputSize)
      if (method !== undefined && method !== 'default') throw new InputError('train.model', `got ${JSON.stringify(method)}; expected "default" (the network sized by inputSize)`);
      const { parseTrainConfig, STUDY_SPECTRAL_AUGMENT } = await import('../train/pose/config.ts');
      const { trainPoseModel } = await import('../train/pose/train.ts');
      const { TINY_POSENET, STANDARD_POSENET } = await import('../train/pose/model.ts');
      const size = Number(inputSize ?? 128);
      const model = size <= 64 ? { ...TINY_POSENET, inputSize: size } : { ...STANDARD_POSENET, inputSize: size };
      const out = path.join(dir, 'model');
      const cfg = parseTrainConfig({
        name: `experiment-${path.basename(dir)}`, out, model, workers: 0,
        // the study's amplitude-spectrum augmentation: Â = A·exp(σz), phase kept (lib/spectral)
        spectral: amplitudeAug ? STUDY_SPECTRAL_AUGMENT : null,
        ...knobs,
        train: data.map((p) => ({ path: p })),
        ...(val ? { val: { path: datasetDir(val, deps, 'train.val') } } : {}),
      }, `train step ${dir}`);
      const r = await trainPoseModel(cfg, { quiet: false, onEpoch: (e) => log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}`) });
      const last = r.epochs[r.epochs.length - 1];
      return { checkpoint: r.checkpoint, backend: r.backend.name, epochs: r.epochs.length, finalLoss: last?.loss ?? null, imagesPerSecond: last?.imagesPerSecond ?? null, train: data };
    },
  });

  registerStepKind({
    name: 'eval',
    version: 1,
    summary: 'predict a test set with a trained model and score it; config: { model: "@train", testSet, max? }',
    async run({ config, deps, dir, log }): Promise<Record<string, Json>> {
      const testDir = datasetDir(config.testSet, deps, 'eval.testSet');
      const modelId = typeof config.model === 'string' && config.model.startsWith('@') ? config.model.slice(1).split(':')[0] : '';
      const model = deps[modelId];
      if (!model || typeof model.result.checkpoint !== 'string') throw new InputError('eval.model', 'must be "@<train step>" whose result has a checkpoint');
      const max = Number(config.max ?? 0);
      const predFile = path.join(dir, 'pred.json');
      const indices = max > 0 ? Array.from({ length: max }, (_, i) => i) : undefined;
      const { loadPoseModel, loadDataset, predictSamples } = await import('../train/pose/train.ts');
      const { writePredictions } = await import('../data/freihand.ts');
      const net = await loadPoseModel(model.result.checkpoint);
      const test = loadDataset({ path: testDir, indices });
      const xyz = (await predictSamples(net, test.samples, test.left)).map((p) => p.xyz);
      net.net.dispose();
      writePredictions(predFile, { xyz, verts: null });
      const r = await evaluatePredictions(testDir, predFile, { indices });
      writeJsonAtomic(path.join(dir, 'per-sample.json'), r.perFramePaMm);
      if (r.byOcclusion) {
        // error-versus-occlusion table of this evaluation (test sets with label masks)
        const { writeTable } = await import('./tables.ts');
        await writeTable(path.join(dir, 'error-by-occlusion'), { columns: ['occlusion level', 'samples', 'mean PA-MPJPE (mm)', 'median PA-MPJPE (mm)'], rows: r.byOcclusion.map((b) => [b.level, b.count, b.meanError, b.medianError]) }, { caption: `PA-MPJPE by occluded fraction of the hand (${testDir})` });
      }
      log(`PA-MPJPE ${r.paMpjpeMm.toFixed(2)} mm, MPJPE ${r.mpjpeMm.toFixed(2)} mm on ${r.n} samples of ${testDir}`);
      return { n: r.n, paMpjpeMm: r.paMpjpeMm, mpjpeMm: r.mpjpeMm, paAuc50: r.paAuc50, byOcclusion: asJson(r.byOcclusion), testDir };
    },
  });
}
