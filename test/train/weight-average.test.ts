/**
 * The weights' moving average (config `ema`, lib/train/pose/weight-average.ts): the update rule on a toy
 * network, and in a real training run (tiny model, 16 hgc-dev frames): the checkpoint's model.json holds the
 * average (what validation scored), raw/ the optimiser's weights, and a resumed run ends on the same average
 * as an uninterrupted one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/train/backend.ts';
import { findKnownSet } from '../../lib/util/paths.ts';
import { parseTrainConfig } from '../../lib/train/pose/config.ts';
import { trainPoseModel, loadDataset, predictSamples, loadPoseModel } from '../../lib/train/pose/train.ts';
import { scorePredictions } from '../../lib/metrics/score.ts';
import { TINY_POSENET } from '../../lib/train/pose/model.ts';
import { fileHandler } from '../../lib/train/checkpoint.ts';
import { NO_AUGMENT } from '../../lib/train/pipeline/transform.ts';
import { WeightAverage, averageDecay } from '../../lib/train/pose/weight-average.ts';

const hgc = findKnownSet('hgc-dev');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-ema-'));
const INDICES = Array.from({ length: 16 }, (_, i) => i * 18);

test('weight average: warmed-up decay, update rule, the network gets its own weights back', async () => {
  await initBackend({ force: 'wasm' });
  assert.equal(averageDecay(0.99, 0), 0.1);
  assert.equal(averageDecay(0.99, 1e6), 0.99);
  const net = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones', biasInitializer: 'zeros' })] });
  const avg = new WeightAverage(net, 0.5);
  net.setWeights([tf.fill([3, 2], 3), tf.fill([2], 2)]);
  avg.update(1e6); // d = 0.5: kernel (1 + 3) / 2, bias (0 + 2) / 2
  const seen = await avg.withAverage(async () => net.getWeights().map((w) => Array.from(w.dataSync())));
  assert.deepEqual(seen, [[2, 2, 2, 2, 2, 2], [1, 1]]);
  assert.deepEqual(net.getWeights().map((w) => Array.from(w.dataSync())), [[3, 3, 3, 3, 3, 3], [2, 2]]);
  avg.dispose();
  net.dispose();
});

test('training with ema: model.json holds the average that validation scored, raw/ the last weights; resume is exact', { skip: !hgc && 'hgc-dev not found (set HANDGAP_SHARED)' }, async () => {
  await initBackend({ force: 'wasm' });
  const config = (out: string, extra: Record<string, unknown> = {}) => parseTrainConfig({
    name: 'tiny-ema', out, train: [{ path: hgc, indices: INDICES }], val: { path: hgc, indices: INDICES },
    model: TINY_POSENET, epochs: 3, stepsPerEpoch: 4, batchSize: 8, learningRate: 1e-2, warmupSteps: 2,
    augment: NO_AUGMENT, workers: 0, prefetch: 1, seed: 5, backend: 'wasm', ema: 0.9, ...extra,
  }, 'test config');
  const whole = await trainPoseModel(config(path.join(tmp, 'whole')), { quiet: true });
  const ckpt = path.join(tmp, 'whole', 'checkpoint');
  assert.ok(fs.existsSync(path.join(ckpt, 'raw', 'model.json')), 'raw/ holds the optimiser weights');
  const saved = await loadPoseModel(path.join(tmp, 'whole'));
  const raw = await tf.loadLayersModel(fileHandler(path.join(ckpt, 'raw')));
  const differs = saved.net.getWeights().some((w, i) => tf.max(tf.abs(tf.sub(w, raw.getWeights()[i]))).dataSync()[0] > 1e-6);
  assert.ok(differs, 'the average differs from the last weights');

  // the saved model predicts what the last epoch validated with
  const set = loadDataset({ path: hgc!, indices: INDICES });
  const pred = await predictSamples(saved, set.samples, set.left);
  const pa = scorePredictions({ gt: set.samples.map((s) => s.xyz!), pred: pred.map((p) => p.xyz), replicates: 0 }).paMpjpeMm;
  assert.ok(Math.abs(pa - whole.epochs[2].val!.paMpjpeMm) < 1e-9, `saved ${pa} vs validated ${whole.epochs[2].val!.paMpjpeMm}`);

  // stopped after one epoch and resumed: the same losses and the same average
  const cut = path.join(tmp, 'cut');
  await trainPoseModel(config(cut), { quiet: true, maxEpochs: 1 });
  const resumed = await trainPoseModel(config(cut), { quiet: true, resume: true });
  assert.deepEqual(resumed.epochs.map((e) => e.loss), whole.epochs.map((e) => e.loss));
  assert.equal(resumed.epochs[2].val!.paMpjpeMm, whole.epochs[2].val!.paMpjpeMm);

  // without ema: no raw/ folder
  await trainPoseModel(config(path.join(tmp, 'plain'), { ema: null, epochs: 1 }), { quiet: true });
  assert.ok(!fs.existsSync(path.join(tmp, 'plain', 'checkpoint', 'raw')));
  // a resume with another decay is refused (it is part of the run's identity)
  await assert.rejects(trainPoseModel(config(cut, { ema: 0.5 }), { quiet: true, resume: true }), /ema|differ/i);
});
