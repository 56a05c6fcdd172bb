/**
 * Training loop of the pose estimator: seeded epoch plans over one or more datasets (mixed by weight),
 * batches prepared ahead in worker threads, Adam with warm-up + schedule, validation every epoch with
 * lib/metrics (PA-MPJPE, root-relative MPJPE), checkpoint every epoch (model + optimizer + where we are),
 * exact resume, JSON-lines log, progress line with loss and rate.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readFreihand } from '../../data/freihand.ts';
import type { HandSample } from '../../data/types.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { Rng } from '../../util/rng.ts';
import { Progress, formatDuration } from '../../util/progress.ts';
import { ensureDir, writeJsonAtomic, readJson } from '../../util/fsx.ts';
import { InputError, HandgapError } from '../../util/errors.ts';
import { scorePredictions } from '../../metrics/score.ts';
import { handednessOfSet } from '../../hand/handedness.ts';
import { initBackend, describeBackend, type BackendChoice } from '../backend.ts';
import { fileHandler, readCheckpointMeta, saveOptimizerState, loadOptimizerState, commitCheckpoint, openCheckpoint, verifyResume, truncateLog, type CheckpointState } from '../checkpoint.ts';
import { acquireOutputLock, refuseOverlap } from '../../util/lock.ts';
import crypto from 'node:crypto';
import { buildPoseNet, normaliseInput, poseLoss, initHeadToMean, decodeMaps, heatmapSize, heatmapTargets, JOINTS } from './model.ts';
import { liftToCamera, meanBoneSumRatio } from './lift.ts';
import { freihandScale } from '../../data/geometry.ts';
import { blockSplit } from '../../data/split.ts';
import { learningRateAt, setAugment, setSpectral, TEST_VIEWS, type DatasetSpec, type TrainConfig } from './config.ts';
import { drawAugment, NO_AUGMENT, prepareImage, imageBox, boxFromJoints, mapPoint, type CropMode } from '../pipeline/transform.ts';
import { BatchLoader } from '../pipeline/loader.ts';
import { WeightAverage } from './weight-average.ts';
import type { Batch, BatchItem } from '../pipeline/batch.ts';
import { readImage } from '../../image/io.ts';

/** The checkpoint's sub-folder with the optimiser's own weights, when model.json holds their average (config `ema`). */
const RAW_WEIGHTS = 'raw';

export interface LoadedSet { name: string; samples: HandSample[]; left: boolean[]; weight: number }

/**
 * Read a dataset spec (FreiHAND layout) into samples with their hand side: only labelled samples (to train
 * or score), or with `unlabelled` every sample (to predict).
 */
export function loadDataset(spec: DatasetSpec, opts: { unlabelled?: boolean } = {}): LoadedSet {
  const root = resolveDatasetArg(spec.path);
  const set = readFreihand(root, { split: spec.split, indices: spec.indices });
  if (spec.blocks) {
    // frame indices of the whole set (a spec with both indices and blocks splits the listed frames)
    const part = blockSplit({ count: set.samples.length, ...spec.blocks }, `${root}: blocks`)[spec.blocks.part];
    set.samples = part.map((i) => set.samples[i]);
  }
  let samples = opts.unlabelled ? set.samples : set.samples.filter((s) => s.xyz);
  if (samples.length === 0) throw new InputError(root, opts.unlabelled ? 'no samples' : 'no samples with 3D labels (xyz) to train or validate on');
  if (spec.limit) samples = samples.slice(0, spec.limit);
  // hand side: per-sample metadata, else the spec, else the set's metadata, else read from the labels
  const dsHand = (set.meta?.handedness as string | undefined);
  let fromLabels: string | undefined;
  const labelled = samples.filter((x) => x.xyz);
  const left = samples.map((s) => {
    // a set without any label and without handedness metadata is taken as right hands (FreiHAND's convention)
    const h = (s.meta?.handedness as string | undefined) ?? spec.handedness ?? dsHand ?? (fromLabels ??= labelled.length ? handednessOfSet(labelled.map((x) => x.xyz!.flat())).hand : 'right');
    return h === 'left';
  });
  return { name: path.basename(root), samples, left, weight: spec.weight ?? 1 };
}

/** Which (set, sample) fills each slot of an epoch: counts ∝ weights, each set cycled through seeded permutations, then shuffled. */
export function epochPlan(sizes: number[], weights: number[], slots: number, seed: number, epoch: number): Array<[number, number]> {
  const wsum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((slots * w) / wsum));
  for (let k = 0, left = slots - counts.reduce((a, b) => a + b, 0); left > 0; k = (k + 1) % counts.length) if (weights[k] > 0) { counts[k]++; left--; }
  const plan: Array<[number, number]> = [];
  counts.forEach((c, k) => {
    // position in set k's endless permuted stream continues across epochs
    const start = epoch * counts[k];
    for (let i = start; i < start + c; i++) {
      const cycle = Math.floor(i / sizes[k]);
      const perm = Rng.derive(seed, 'perm', k, cycle).permutation(sizes[k]);
      plan.push([k, perm[i % sizes[k]]]);
    }
  });
  return Rng.derive(seed, 'epoch-shuffle', epoch).shuffle(plan);
}

export interface EpochRecord { type: 'epoch'; epoch: number; step: number; loss: number; lossXyz: number; lossUv: number; lr: number; seconds: number; imagesPerSecond: number; val?: ValMetrics }
export interface ValMetrics { set: string; count: number; paMpjpeMm: number; mpjpeMm: number }

/** A trained estimator with what prediction needs besides the weights. */
export interface PoseModel {
  net: tf.LayersModel;
  config: TrainConfig;
  /** Training set's mean Σ bone lengths ÷ scale (lift.ts: the root depth). */
  boneSumRatio: number;
}

export interface Prediction {
  /** 21×3 joints, metres, camera frame. */
  xyz: number[][];
  /** 21 heatmap peak probabilities (see model.ts decodeMaps), the mean over the test views. */
  confidence: number[];
  /** 21×2 joint pixels in the source image (the mean over the test views). */
  uv: number[][];
}

export interface PredictOptions {
  /** crop side multipliers averaged per sample ([1]: one view, the plain crop); default TEST_VIEWS */
  views?: readonly number[];
  batchSize?: number;
}

/** A sample's FreiHAND scale s (metres): the set's (meta.scale, <split>_scale.json), else its label's |joint 10 − joint 9|. */
export function sampleScale(s: HandSample): number {
  const scale = (s.meta?.scale as number | undefined) ?? (s.xyz ? freihandScale(s.xyz) : undefined);
  if (scale === undefined) throw new InputError(s.imagePath, 'no scale for this sample (neither <split>_scale.json nor xyz labels): the root depth needs it');
  return scale;
}

/**
 * Predict camera-frame joints for samples. The crop is the config's crop mode ('image' needs no label),
 * seen at each of `views` (scaled about its centre) and the views' outputs averaged; the scale s comes from
 * the set (meta.scale, FreiHAND's evaluation_scale.json), else from the sample's label (|joint 10 − joint 9|
 * only); a sample with neither is an error naming its image.
 */
export async function predictSamples(model: PoseModel, samples: HandSample[], left: boolean[], opts: PredictOptions = {}): Promise<Prediction[]> {
  const size = model.config.model.inputSize, crop: CropMode = model.config.crop ?? 'joints';
  const views = opts.views ?? TEST_VIEWS, V = views.length, batchSize = opts.batchSize ?? 16;
  if (V === 0) throw new HandgapError('predictSamples: views is empty (give at least [1])');
  const out: Prediction[] = [];
  for (let b0 = 0; b0 < samples.length; b0 += batchSize) {
    const chunk = samples.slice(b0, b0 + batchSize);
    const imgs = new Float32Array(chunk.length * V * size * size * 3);
    const maps: number[][] = []; // per sample, per view
    for (let i = 0; i < chunk.length; i++) {
      const s = chunk[i];
      const im = await readImage(s.imagePath);
      if (crop === 'joints' && !s.xyz) throw new InputError(s.imagePath, 'this model crops around the labelled joints (crop "joints"); the sample has no xyz');
      const box = crop === 'image' ? imageBox(im.width, im.height) : boxFromJoints(s.xyz!, s.K, model.config.margin);
      for (let v = 0; v < V; v++) {
        // the model sees right hands: a left hand is mirrored (and its 2D output mapped back through the same map)
        const draw = { ...drawAugment(NO_AUGMENT, new Rng(0)), scale: views[v], flip: left[b0 + i] };
        const p = prepareImage({ data: im.data, width: im.width, height: im.height, channels: im.channels }, box, draw, { size, valueScale: 1 / 255 });
        imgs.set(p.image, (i * V + v) * size * size * 3);
        maps.push(p.map.toSource);
      }
    }
    const [uv, z, conf] = tf.tidy(() => {
      const d = decodeMaps(model.net.predict(normaliseInput(tf.tensor4d(imgs, [chunk.length * V, size, size, 3]))) as tf.Tensor4D);
      return [d.uv.dataSync(), d.z.dataSync(), d.confidence.dataSync()];
    });
    for (let i = 0; i < chunk.length; i++) {
      const s = chunk[i];
      const scale = sampleScale(s);
      // the views' mean: 2D back in source pixels first (each view has its own crop map), depths and confidences as they are
      const src = Array.from({ length: JOINTS }, () => [0, 0]), zMean = new Float32Array(JOINTS), confMean = new Array<number>(JOINTS).fill(0);
      for (let v = 0; v < V; v++) {
        const k = i * V + v;
        for (let j = 0; j < JOINTS; j++) {
          const [su, sv] = mapPoint(maps[k], uv[(k * JOINTS + j) * 2] * size, uv[(k * JOINTS + j) * 2 + 1] * size);
          src[j][0] += su / V; src[j][1] += sv / V;
          zMean[j] += z[k * JOINTS + j] / V; confMean[j] += conf[k * JOINTS + j] / V;
        }
      }
      const { xyz } = liftToCamera(src, zMean, s.K, scale, model.boneSumRatio);
      out.push({ xyz, confidence: confMean, uv: src });
    }
  }
  return out;
}

export interface TrainResult { epochs: EpochRecord[]; backend: BackendChoice; checkpoint: string }

export interface TrainOptions { resume?: boolean; /** start over in a folder that holds a checkpoint (it is deleted first) */ restart?: boolean; quiet?: boolean; onEpoch?: (r: EpochRecord) => void; onStep?: (globalStep: number, loss: number) => void; /** stop after this many epochs in this call (tests) */ maxEpochs?: number }

/**
 * What a resumed run must share with its checkpoint: the config except what only names, places, lengthens
 * or paces the run, plus the data actually read (sample counts and a hash of image names and labels).
 */
function runIdentity(cfg: TrainConfig, sets: LoadedSet[], val: LoadedSet | null): Record<string, unknown> {
  const { name: _n, out: _o, epochs: _e, workers: _w, prefetch: _p, backend: _b, ...rest } = cfg;
  const digest = (s: LoadedSet) => ({ name: s.name, count: s.samples.length, hash: crypto.createHash('sha256').update(JSON.stringify(s.samples.map((x) => [path.basename(x.imagePath), x.xyz]))).digest('hex').slice(0, 16) });
  return { config: rest, data: { train: sets.map(digest), val: val ? digest(val) : null } };
}

export async function trainPoseModel(cfg: TrainConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const out = path.resolve(cfg.out);
  refuseOverlap(out, [...cfg.train.map((d, i) => ({ name: `train[${i}] set`, path: resolveDatasetArg(d.path) })), ...(cfg.val ? [{ name: 'val set', path: resolveDatasetArg(cfg.val.path) }] : [])], { allowInside: true, outName: 'out' });
  const lock = acquireOutputLock(path.join(out, '.handgap-locks'), out, { command: `handgap train ${cfg.name}` });
  try {
    refuseSilentOverwrite(out, opts);
    return await trainLocked(cfg, out, opts);
  } finally { lock.release(); }
}

/**
 * A run without --resume into a folder that already holds a checkpoint would replace it epoch by epoch:
 * refused unless the caller asked to start over (--restart), which deletes the old checkpoint and log first.
 */
function refuseSilentOverwrite(out: string, opts: TrainOptions): void {
  if (opts.resume && opts.restart) throw new HandgapError('--resume and --restart contradict each other: --resume continues the checkpoint, --restart deletes it');
  if (opts.resume) return;
  const ckpt = path.join(out, 'checkpoint');
  const leftovers = fs.existsSync(out) ? fs.readdirSync(out).filter((n) => n.startsWith('checkpoint.prev-') || n.startsWith('checkpoint.next-')) : [];
  if (!fs.existsSync(ckpt) && leftovers.length === 0) return;
  if (!opts.restart) {
    const sf = path.join(ckpt, 'state.json');
    const epoch = fs.existsSync(sf) ? ` (trained to epoch ${readJson<CheckpointState>(sf).epoch})` : '';
    throw new HandgapError(`${out} already holds a checkpoint${epoch}; training without --resume would overwrite it. Continue it with --resume, start over with --restart (deletes ${ckpt} and its log), or choose another out folder`);
  }
  for (const n of ['checkpoint', 'log.jsonl', ...leftovers]) fs.rmSync(path.join(out, n), { recursive: true, force: true });
}

async function trainLocked(cfg: TrainConfig, out: string, opts: TrainOptions): Promise<TrainResult> {
  const backend = await initBackend({ force: cfg.backend });
  const ckpt = path.join(out, 'checkpoint');
  const logFile = path.join(out, 'log.jsonl');
  const log = (rec: Record<string, unknown>) => fs.appendFileSync(logFile, JSON.stringify({ time: new Date().toISOString(), ...rec }) + '\n');
  const sets = cfg.train.map((d) => loadDataset(d));
  const val = cfg.val ? loadDataset(cfg.val) : null;
  const identity = runIdentity(cfg, sets, val);
  const total = sets.reduce((s, d) => s + d.samples.length, 0);
  const stepsPerEpoch = cfg.stepsPerEpoch ?? Math.max(1, Math.ceil(total / cfg.batchSize));
  const totalSteps = stepsPerEpoch * cfg.epochs;

  let model: tf.LayersModel;
  let startEpoch = 0;
  let history: EpochRecord[] = [];
  const optimizer = tf.train.adam(cfg.learningRate);
  const state = opts.resume ? openCheckpoint(ckpt) : null;
  let averageStart: tf.Tensor[] | undefined;
  if (state) {
    verifyResume(ckpt, state, identity);
    const meta = readCheckpointMeta(ckpt);
    model = await tf.loadLayersModel(fileHandler(ckpt));
    if (cfg.ema !== null) {
      // model.json holds the weights' average; the optimiser's own weights are in raw/
      averageStart = model.getWeights().map((w) => w.clone());
      const raw = await tf.loadLayersModel(fileHandler(path.join(ckpt, RAW_WEIGHTS)));
      model.setWeights(raw.getWeights());
      raw.dispose();
    }
    await loadOptimizerState(ckpt, optimizer);
    startEpoch = state.epoch;
    history = (meta.history as EpochRecord[] | undefined) ?? [];
    truncateLog(logFile, state.logBytes); // steps a killed run logged past its checkpoint are done again
    log({ type: 'resume', epoch: startEpoch, step: state.step, from: ckpt });
  } else {
    ensureDir(out);
    model = cfg.init ? (await loadInitWeights(cfg)).net : buildPoseNet(cfg.model);
    fs.rmSync(logFile, { force: true });
  }
  writeJsonAtomic(path.join(out, 'config.json'), cfg, 2);
  log({ type: 'start', backend: backend.name, backendReason: backend.reason, describe: describeBackend(), seed: cfg.seed, config: cfg, trainSamples: total, stepsPerEpoch, params: model.countParams() });
  if (!opts.quiet) console.error(`train ${cfg.name}: ${describeBackend()}; ${total} samples, ${stepsPerEpoch} steps/epoch, ${model.countParams()} parameters`);

  const poolImages = cfg.spectralPool ? loadDataset(cfg.spectralPool).samples.slice(0, cfg.poolSize).map((s) => s.imagePath) : undefined;
  const loader = new BatchLoader({ size: cfg.model.inputSize, margin: cfg.margin, crop: cfg.crop, poolImages }, cfg.workers);
  if (startEpoch === 0 && !cfg.init) {
    // depth maps start at the mean root-relative depth per joint of the training labels
    const meanZ = new Float64Array(JOINTS);
    let n = 0;
    for (const set of sets) for (const s of set.samples) {
      const sc = freihandScale(s.xyz!);
      for (let j = 0; j < JOINTS; j++) meanZ[j] += (s.xyz![j][2] - s.xyz![0][2]) / sc;
      n++;
    }
    initHeadToMean(model, meanZ.map((v) => v / n));
  }
  const average = cfg.ema === null ? null : new WeightAverage(model, cfg.ema, averageStart);
  averageStart?.forEach((w) => w.dispose());
  /** the network as validation scores it and the checkpoint saves it: the weights' average when the config keeps one */
  const asScored = <T>(fn: () => Promise<T>): Promise<T> => (average ? average.withAverage(fn) : fn());
  // each set's augmentation (its fields over the run's, e.g. real photos without the renders' colour jitter)
  const setAugments = cfg.train.map((spec) => setAugment(cfg, spec)), setSpectrals = cfg.train.map((spec) => setSpectral(cfg, spec));
  const boneSumRatio = meanBoneSumRatio(sets.flatMap((s) => s.samples.map((x) => x.xyz!)));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const N = cfg.model.inputSize;
  const endEpoch = Math.min(cfg.epochs, startEpoch + (opts.maxEpochs ?? Infinity));
  // overall ETA across the epochs of this call, from wall time per step (data loading and validation included)
  const callStart = performance.now(), callSteps = (endEpoch - startEpoch) * stepsPerEpoch;
  let stepsDone = 0;
  try {
    for (let epoch = startEpoch; epoch < endEpoch; epoch++) {
      const plan = epochPlan(sets.map((s) => s.samples.length), sets.map((s) => s.weight), stepsPerEpoch * cfg.batchSize, cfg.seed, epoch);
      const itemsFor = (step: number): BatchItem[] => plan.slice(step * cfg.batchSize, (step + 1) * cfg.batchSize).map(([k, i], j) => {
        const slot = step * cfg.batchSize + j, s = sets[k].samples[i];
        return { imagePath: s.imagePath, xyz: s.xyz!, K: s.K, left: sets[k].left[i], draw: drawAugment(setAugments[k], Rng.derive(cfg.seed, 'aug', epoch, slot)), spectral: setSpectrals[k], spectralSeed: Rng.derive(cfg.seed, 'spectral', epoch, slot).nextUint32(), maskPath: s.maskPath };
      });
      const queue: Promise<Batch>[] = [];
      for (let s = 0; s < Math.min(stepsPerEpoch, cfg.prefetch + 1); s++) queue.push(loader.request(itemsFor(s)));
      const progress = opts.quiet ? null : new Progress({ label: `epoch ${epoch + 1}/${cfg.epochs}`, total: stepsPerEpoch, unit: 'step' });
      let sum = 0, sum3 = 0, sum2 = 0;
      const t0 = performance.now();
      for (let step = 0; step < stepsPerEpoch; step++) {
        const batch = await queue.shift()!;
        if (step + cfg.prefetch + 1 < stepsPerEpoch) queue.push(loader.request(itemsFor(step + cfg.prefetch + 1)));
        const globalStep = epoch * stepsPerEpoch + step;
        const lr = learningRateAt(cfg, globalStep, totalSteps);
        (optimizer as unknown as { learningRate: number }).learningRate = lr;
        const B = batch.count;
        let parts = [0, 0];
        const lossT = tf.tidy(() => {
          const x = normaliseInput(tf.tensor4d(batch.images, [B, N, N, 3]));
          const y3 = tf.tensor2d(batch.xyz, [B, 63]), y2 = tf.tensor2d(batch.uv, [B, 42]);
          const Hm = heatmapSize(cfg.model);
          const heat = (cfg.lossWeights.heatmap ?? 0) > 0 ? tf.tensor3d(heatmapTargets(batch.uv, B, Hm), [B, Hm * Hm, JOINTS]) : null;
          const { value, grads } = tf.variableGrads(() => {
            const l = poseLoss(model.apply(x, { training: true }) as tf.Tensor4D, y3, y2, cfg.lossWeights, heat);
            parts = [l.xyz.dataSync()[0], l.uv.dataSync()[0]];
            return l.total;
          }, vars);
          optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
          return value;
        });
        const loss = lossT.dataSync()[0];
        lossT.dispose();
        average?.update(globalStep);
        if (!Number.isFinite(loss)) throw new InputError(`${cfg.name} epoch ${epoch + 1} step ${step + 1}`, `loss is ${loss}; lower learningRate`);
        sum += loss; sum3 += parts[0]; sum2 += parts[1];
        opts.onStep?.(globalStep + 1, loss);
        const secs = (performance.now() - t0) / 1000;
        stepsDone++;
        const overallEta = ((performance.now() - callStart) / 1000 / stepsDone) * (callSteps - stepsDone);
        progress?.tick(1, `loss ${(sum / (step + 1)).toFixed(4)} ${(((step + 1) * cfg.batchSize) / secs).toFixed(1)} img/s, all epochs: ETA ${formatDuration(overallEta)}`);
        if ((globalStep + 1) % 10 === 0) log({ type: 'step', epoch: epoch + 1, step: globalStep + 1, loss, lossXyz: parts[0], lossUv: parts[1], lr });
      }
      const seconds = (performance.now() - t0) / 1000;
      const rec: EpochRecord = { type: 'epoch', epoch: epoch + 1, step: (epoch + 1) * stepsPerEpoch, loss: sum / stepsPerEpoch, lossXyz: sum3 / stepsPerEpoch, lossUv: sum2 / stepsPerEpoch, lr: learningRateAt(cfg, (epoch + 1) * stepsPerEpoch - 1, totalSteps), seconds, imagesPerSecond: (stepsPerEpoch * cfg.batchSize) / seconds };
      if (val) {
        const pred = await asScored(() => predictSamples({ net: model, config: cfg, boneSumRatio }, val.samples, val.left));
        const sc = scorePredictions({ gt: val.samples.map((s) => s.xyz!), pred: pred.map((p) => p.xyz), replicates: 0 });
        rec.val = { set: val.name, count: val.samples.length, paMpjpeMm: sc.paMpjpeMm, mpjpeMm: sc.mpjpeMm };
      }
      history.push(rec);
      log(rec as unknown as Record<string, unknown>);
      const dataOrder = { seed: cfg.seed, stepsPerEpoch, batchSize: cfg.batchSize, sizes: sets.map((s) => s.samples.length), weights: sets.map((s) => s.weight) };
      await commitCheckpoint(ckpt, { step: rec.step, epoch: epoch + 1, dataOrder, identity, logBytes: fs.statSync(logFile).size }, async (dir) => {
        await asScored(() => model.save(fileHandler(dir, { handgap: 'posenet', epoch: epoch + 1, step: rec.step, config: cfg, history, backend: backend.name, seed: cfg.seed, boneSumRatio, weights: average ? 'ema' : 'last' })));
        if (average) await model.save(fileHandler(path.join(dir, RAW_WEIGHTS), { handgap: 'posenet-optimiser-weights' }));
        // test hook: die between the weights and the optimizer state (the previous checkpoint must survive)
        if (process.env.HANDGAP_TEST_KILL_IN_CHECKPOINT === String(epoch + 1)) process.kill(process.pid, 'SIGKILL');
        await saveOptimizerState(dir, optimizer);
      });
      opts.onEpoch?.(rec);
      if (!opts.quiet) console.error(`epoch ${rec.epoch}: loss ${rec.loss.toFixed(4)} (xyz ${rec.lossXyz.toFixed(4)}, uv ${rec.lossUv.toFixed(4)}), ${rec.imagesPerSecond.toFixed(1)} img/s${rec.val ? `, val ${rec.val.set} PA-MPJPE ${rec.val.paMpjpeMm.toFixed(1)} mm, MPJPE ${rec.val.mpjpeMm.toFixed(1)} mm` : ''}`);
    }
  } finally {
    await loader.close();
  }
  log({ type: 'end', epochs: history.length });
  average?.dispose();
  model.dispose();
  optimizer.dispose();
  return { epochs: history, backend, checkpoint: ckpt };
}

/** Load a trained pose model and its training config from a run folder or checkpoint folder. */
/** The network of `cfg.init`, refused (naming both) when its sizes differ from the run's model. */
async function loadInitWeights(cfg: TrainConfig): Promise<PoseModel> {
  const init = await loadPoseModel(path.resolve(cfg.init!));
  const a = JSON.stringify(init.config.model), b = JSON.stringify(cfg.model);
  if (a !== b) throw new InputError(`${cfg.name}: init`, `the model of ${cfg.init} (${a}) differs from this run's model (${b}); fine-tuning needs the same network`);
  return init;
}

export async function loadPoseModel(dir: string): Promise<PoseModel> {
  const ckpt = fs.existsSync(path.join(dir, 'model.json')) ? dir : path.join(dir, 'checkpoint');
  if (!fs.existsSync(ckpt)) openCheckpoint(ckpt); // a kill between the renames of a checkpoint commit
  const meta = readCheckpointMeta(ckpt);
  if (meta.handgap !== 'posenet') throw new InputError(path.join(ckpt, 'model.json'), 'not a handgap pose model checkpoint');
  if (typeof meta.boneSumRatio !== 'number') throw new InputError(path.join(ckpt, 'model.json'), 'a pose model from before the heatmap estimator (no boneSumRatio): retrain it');
  return { net: await tf.loadLayersModel(fileHandler(ckpt)), config: meta.config as TrainConfig, boneSumRatio: meta.boneSumRatio };
}
