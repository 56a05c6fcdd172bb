import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/train/backend.ts';
import { findKnownSet } from '../../lib/util/paths.ts';
import { parseTrainConfig } from '../../lib/train/pose/config.ts';
import { trainPoseModel, loadDataset, predictSamples, loadPoseModel, type EpochRecord } from '../../lib/train/pose/train.ts';
import { scorePredictions } from '../../lib/metrics/score.ts';
import { buildPoseNet, TINY_POSENET } from '../../lib/train/pose/model.ts';
import { fileHandler } from '../../lib/train/checkpoint.ts';
import { NO_AUGMENT } from '../../lib/train/pipeline/transform.ts';

const hgc = findKnownSet('hgc-dev');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-train-'));
const N_SAMPLES = 16;
// spread over the set (consecutive frames are near-identical poses)
const INDICES = Array.from({ length: N_SAMPLES }, (_, i) => i * 18);

function config(out: string, extra: Record<string, unknown> = {}) {
  return parseTrainConfig({
    name: 'tiny', out, train: [{ path: hgc, indices: INDICES }], val: { path: hgc, indices: INDICES },
    model: TINY_POSENET, epochs: 4, stepsPerEpoch: 25, batchSize: 8, learningRate: 1e-2, warmupSteps: 5,
    augment: NO_AUGMENT, workers: 1, prefetch: 2, seed: 3, backend: 'wasm', ...extra,
  }, 'test config');
}

test('pose model: train-set PA-MPJPE falls below the mean-pose baseline; tensors stable across steps; resume continues the same curve', { skip: !hgc && 'hgc-dev not found' }, async () => {
  await initBackend({ force: 'wasm' });
  const counts: number[] = [], buffers: number[] = [];
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const full = await trainPoseModel(config(path.join(tmp, 'full')), { quiet: true, onStep: () => { counts.push(tf.memory().numTensors); buffers.push(backend.numDataIds()); } });
  // memory: the number of live tensors does not grow from step to step, nor the backend's buffers (the kernels'
  // own temporaries included)
  assert.equal(counts.length, 100);
  assert.equal(counts[counts.length - 1], counts[1], `numTensors per step: ${counts.join(',')}`);
  assert.equal(buffers[buffers.length - 1], buffers[1], `backend buffers per step: ${buffers.join(',')}`);

  // constant-pose baseline on the same samples: the mean root-relative pose, Procrustes-aligned to each
  const set = loadDataset({ path: hgc!, indices: INDICES });
  const rel = set.samples.map((s) => s.xyz!.map((q) => q.map((v, c) => v - s.xyz![0][c])));
  const mean = rel[0].map((q, j) => q.map((_, c) => rel.reduce((acc, p) => acc + p[j][c], 0) / rel.length));
  const baseline = scorePredictions({ gt: set.samples.map((s) => s.xyz!), pred: set.samples.map((s) => mean.map((q) => q.map((v, c) => v + s.xyz![0][c]))), replicates: 0 });
  const last = full.epochs[full.epochs.length - 1];
  console.log(`# train-set PA-MPJPE ${last.val!.paMpjpeMm.toFixed(2)} mm (mean pose ${baseline.paMpjpeMm.toFixed(2)} mm), loss ${full.epochs[0].loss.toFixed(3)} → ${last.loss.toFixed(3)}`);
  assert.ok(full.epochs[0].loss > last.loss, 'training loss falls');
  assert.ok(last.val!.paMpjpeMm < baseline.paMpjpeMm, `train-set PA-MPJPE ${last.val!.paMpjpeMm.toFixed(2)} mm vs mean pose ${baseline.paMpjpeMm.toFixed(2)} mm`);
  assert.equal(full.backend.name, 'wasm');
  const log = fs.readFileSync(path.join(tmp, 'full', 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(log[0].type, 'start');
  assert.equal(log[0].backend, 'wasm');
  assert.match(log[0].backendReason, /wasm/);

  // resume: 1 epoch, stop, resume for the remaining 2 → same losses as the uninterrupted run
  const short = (out: string) => config(out, { epochs: 3, stepsPerEpoch: 3, val: null });
  const whole = await trainPoseModel(short(path.join(tmp, 'whole')), { quiet: true });
  const cut = path.join(tmp, 'cut');
  await trainPoseModel(short(cut), { quiet: true, maxEpochs: 1 });
  const resumed: EpochRecord[] = [];
  await trainPoseModel(short(cut), { quiet: true, resume: true, onEpoch: (r) => resumed.push(r) });
  assert.deepEqual(resumed.map((r) => r.epoch), [2, 3]);
  // exactly: the threaded kernels' reductions add their partials in a fixed order, so a run repeats bit for bit
  for (const r of resumed) {
    const ref = whole.epochs[r.epoch - 1];
    assert.equal(r.loss, ref.loss, `epoch ${r.epoch}: resumed loss ${r.loss} vs uninterrupted ${ref.loss}`);
  }

  // the saved run predicts what it validated with
  const saved = await loadPoseModel(path.join(tmp, 'full'));
  assert.equal(saved.config.name, 'tiny');
  const pred = await predictSamples(saved, set.samples, set.left);
  assert.ok(Math.abs(scorePredictions({ gt: set.samples.map((s) => s.xyz!), pred: pred.map((p) => p.xyz), replicates: 0 }).paMpjpeMm - last.val!.paMpjpeMm) < 1e-9);
  // one confidence per joint, a probability
  assert.ok(pred.every((p) => p.confidence.length === 21 && p.confidence.every((c) => c > 0 && c <= 1)));

  // multi-scale testing: the views' mean is taken in source pixels (each view through its own crop map)
  const at = (views: number[]) => predictSamples(saved, set.samples.slice(0, 4), set.left.slice(0, 4), { views });
  const [one, twice, small, large, both] = await Promise.all([[1], [1, 1], [0.9], [1.1], [0.9, 1.1]].map(at));
  const close = (a: number[][], b: number[][], tol: number) => a.every((r, j) => r.every((x, k) => Math.abs(x - b[j][k]) < tol));
  for (let i = 0; i < 4; i++) {
    assert.ok(close(twice[i].uv, one[i].uv, 1e-4), `sample ${i}: two identical views must give the one view's 2D`);
    const meanUv = small[i].uv.map((p, j) => [(p[0] + large[i].uv[j][0]) / 2, (p[1] + large[i].uv[j][1]) / 2]);
    assert.ok(close(both[i].uv, meanUv, 1e-4), `sample ${i}: views 0.9 and 1.1 together must give the mean of their 2D`);
    assert.ok(!close(small[i].uv, large[i].uv, 1e-3), `sample ${i}: different crops should see the hand differently`);
  }
  saved.net.dispose();
});

test('checkpoint: a model saved through the file IO handler and reloaded predicts identically', async () => {
  await initBackend({ force: 'wasm' });
  const model = buildPoseNet({ ...TINY_POSENET, seed: 9 });
  const x = tf.randomUniform([2, TINY_POSENET.inputSize, TINY_POSENET.inputSize, 3], 0, 1, 'float32', 4);
  const before = (model.predict(x) as tf.Tensor).dataSync().slice();
  const dir = path.join(tmp, 'ckpt');
  await model.save(fileHandler(dir, { note: 'test' }));
  const again = await tf.loadLayersModel(fileHandler(dir));
  const after = (again.predict(x) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(after), Array.from(before));
  assert.ok(fs.existsSync(path.join(dir, 'weights.bin')));
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.userDefinedMetadata.note, 'test');
  // a truncated weights file is named in the error
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(8));
  await assert.rejects(tf.loadLayersModel(fileHandler(dir)), /weights are 8 bytes/);
  model.dispose(); again.dispose(); x.dispose();
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
