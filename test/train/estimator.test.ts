import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/train/backend.ts';
import { findKnownSet, sharedDir } from '../../lib/util/paths.ts';
import { readFreihand } from '../../lib/data/freihand.ts';
import { project } from '../../lib/data/geometry.ts';
import { blockSplit, tailSplit, minTrainTestDistance } from '../../lib/data/split.ts';
import { liftToCamera, meanBoneSumRatio, boneLengthSum } from '../../lib/train/pose/lift.ts';
import { batchNormTrain, HandgapBatchNorm } from '../../lib/train/pose/batch-norm.ts';
import { heapBatchNormAvailable } from '../../lib/train/kernels/wasm-kernels.ts';
import { decodeMaps, heatmapTargets, buildPoseNet, TINY_POSENET, heatmapSize, JOINTS } from '../../lib/train/pose/model.ts';
import { parseTrainConfig } from '../../lib/train/pose/config.ts';
import { trainPoseModel } from '../../lib/train/pose/train.ts';
import { runProtocol, protocolTable, compareProtocols } from '../../lib/train/pose/protocol.ts';
import train from '../../lib/cli/commands/train.ts';
import { NO_AUGMENT } from '../../lib/train/pipeline/transform.ts';
import predict from '../../lib/cli/commands/predict.ts';
import { runCommand } from '../helpers/cli.ts';

const hgc = findKnownSet('hgc-dev');
const eval120 = path.join(sharedDir(), 'data', 'real', 'freihand-eval-120');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-estimator-'));

test('blockSplit: test blocks, a gap on each side, no training frame within the gap', () => {
  const s = tailSplit(300, 50, 10);
  assert.deepEqual([s.test[0], s.test.at(-1), s.test.length], [250, 299, 50]);
  assert.deepEqual([s.train[0], s.train.at(-1), s.train.length], [0, 239, 240]);
  assert.equal(s.skipped.length, 10);
  assert.equal(minTrainTestDistance(s), 11);
  const m = blockSplit({ count: 100, test: [[10, 19], [60, 69]], gap: 5 });
  assert.equal(minTrainTestDistance(m), 6);
  assert.equal(m.train.length + m.test.length + m.skipped.length, 100);
  assert.ok(!m.train.some((i) => (i >= 5 && i <= 24) || (i >= 55 && i <= 74)));
  assert.throws(() => blockSplit({ count: 10, test: [[5, 12]], gap: 1 }), /test\[0\]/);
  assert.throws(() => blockSplit({ count: 10, test: [[0, 9]], gap: 0 }), /no training frame/);
});

test('liftToCamera: exact 2D, depths, K and scale give back the camera-frame joints', { skip: !hgc && 'hgc-dev not found' }, () => {
  const set = readFreihand(hgc!);
  for (const i of [0, 137, 299]) {
    const s = set.samples[i], xyz = s.xyz!, scale = Math.hypot(...[0, 1, 2].map((c) => xyz[10][c] - xyz[9][c]));
    const uv = project(xyz, s.K), z = xyz.map((q) => (q[2] - xyz[0][2]) / scale);
    const ratio = boneLengthSum(xyz) / scale;
    const { xyz: back, rootDepth } = liftToCamera(uv, z, s.K, scale, ratio);
    assert.ok(Math.abs(rootDepth - xyz[0][2]) < 1e-6, `root depth ${rootDepth} vs ${xyz[0][2]}`);
    back.forEach((q, j) => q.forEach((v, c) => assert.ok(Math.abs(v - xyz[j][c]) < 1e-6)));
  }
  // the training ratio is a mean over poses; one hand's proportions differ from it by a few per cent
  const r = meanBoneSumRatio(set.samples.slice(0, 240).map((s) => s.xyz!));
  assert.ok(r > 8 && r < 25, `Σ bones / scale = ${r}`);
});

for (const backend of ['wasm', 'cpu'] as const) test(`batch norm (${backend}: ${backend === 'wasm' ? 'heap kernels' : 'tf ops'}): the closed-form gradient equals autodiff through moments; inference uses the moving averages`, async () => {
  await initBackend({ force: backend });
  const x = tf.randomNormal([4, 5, 3, 12], 0.5, 2, 'float32', 1);
  assert.equal(heapBatchNormAvailable(x), backend === 'wasm', 'the wasm run takes the heap kernels, the cpu run the tf ops');
  // 12 channels: the kernels' SIMD groups of 4 and no scalar tail; 3 more below for the tail
  const gamma = tf.randomUniform([12], 0.5, 1.5, 'float32', 2) as tf.Tensor1D, beta = tf.randomNormal([12], 0, 1, 'float32', 3) as tf.Tensor1D;
  const w = tf.randomNormal([4, 5, 3, 12], 0, 1, 'float32', 4);
  const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => { const m = tf.moments(a, [0, 1, 2]); return tf.batchNorm(a, m.mean, m.variance, b, g, 1e-5).mul(w).sum(); };
  const ours = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5).mul(w).sum();
  const gr = tf.grads(reference)([x, gamma, beta]), go = tf.grads(ours)([x, gamma, beta]);
  assert.ok(Math.abs(ours(x, gamma, beta).dataSync()[0] - reference(x, gamma, beta).dataSync()[0]) < 1e-3);
  gr.forEach((g, k) => {
    const d = tf.max(tf.abs(g.sub(go[k]))).dataSync()[0], scale = tf.max(tf.abs(g)).dataSync()[0];
    assert.ok(d < 1e-4 * Math.max(1, scale), `gradient ${['x', 'gamma', 'beta'][k]}: max difference ${d}`);
  });
  // odd channel count (scalar tails) and a large batch (several threads' partial sums)
  const x3 = tf.randomNormal([8, 32, 32, 7], -1, 3, 'float32', 5), g3 = tf.ones([7]) as tf.Tensor1D, b3 = tf.zeros([7]) as tf.Tensor1D;
  const y3 = batchNormTrain(x3, g3, b3, 1e-5), m3 = tf.moments(x3, [0, 1, 2]);
  assert.ok(tf.max(tf.abs(y3.sub(tf.batchNorm(x3, m3.mean, m3.variance, b3, g3, 1e-5)))).dataSync()[0] < 1e-3);
  // the layer: training output has zero mean per channel; the moving averages move towards the batch statistics
  const layer = new HandgapBatchNorm({ momentum: 0.5 });
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  assert.ok(tf.max(tf.abs(tf.mean(y, [0, 1, 2]))).dataSync()[0] < 1e-4);
  const [, , movingMean] = layer.getWeights();
  const batchMean = tf.mean(x, [0, 1, 2]);
  assert.ok(tf.max(tf.abs(movingMean.sub(batchMean.mul(0.5)))).dataSync()[0] < 1e-5);
  const inf = layer.apply(x, { training: false }) as tf.Tensor;
  assert.ok(tf.max(tf.abs(tf.mean(inf, [0, 1, 2]))).dataSync()[0] > 0.01, 'inference does not use the batch statistics');
  await initBackend({ force: 'wasm' });
});

test('decodeMaps: a sharp heatmap gives its cell centre, its depth map value and confidence near 1; targets sum to 1', async () => {
  await initBackend({ force: 'wasm' });
  const B = 2, H = 8, maps = new Float32Array(B * H * H * 2 * JOINTS);
  for (let b = 0; b < B; b++) for (let j = 0; j < JOINTS; j++) {
    const x = (j + b) % H, y = (3 * j) % H;
    maps[((b * H + y) * H + x) * 2 * JOINTS + j] = 40;
    for (let k = 0; k < H * H; k++) maps[(b * H * H + k) * 2 * JOINTS + JOINTS + j] = 0.1 * j;
  }
  const d = decodeMaps(tf.tensor4d(maps, [B, H, H, 2 * JOINTS]));
  const uv = d.uv.arraySync(), z = d.z.arraySync(), c = d.confidence.arraySync();
  for (let b = 0; b < B; b++) for (let j = 0; j < JOINTS; j++) {
    assert.ok(Math.abs(uv[b][j][0] - (((j + b) % H) + 0.5) / H) < 1e-4);
    assert.ok(Math.abs(uv[b][j][1] - (((3 * j) % H) + 0.5) / H) < 1e-4);
    assert.ok(Math.abs(z[b][j] - 0.1 * j) < 1e-4);
    assert.ok(c[b][j] > 0.99);
  }
  const t = heatmapTargets(new Float32Array(B * 42).fill(0.3), B, H);
  for (let j = 0; j < JOINTS; j++) { let s = 0; for (let k = 0; k < H * H; k++) s += t[k * JOINTS + j]; assert.ok(Math.abs(s - 1) < 1e-5); }
  const model = buildPoseNet(TINY_POSENET);
  assert.deepEqual(model.outputs[0].shape, [null, heatmapSize(TINY_POSENET), heatmapSize(TINY_POSENET), 2 * JOINTS]);
  model.dispose();
});

test('handgap predict: FreiHAND-layout predictions for a set without labels (K and scale only)', { skip: (!hgc || !fs.existsSync(eval120)) && 'data not found' }, async () => {
  const out = path.join(tmp, 'run');
  const cfg = parseTrainConfig({ name: 'tiny', out, train: [{ path: hgc, indices: [0, 50, 100, 150] }], model: 'tiny', epochs: 1, stepsPerEpoch: 2, batchSize: 4, warmupSteps: 1, augment: NO_AUGMENT, workers: 0, backend: 'wasm' }, 'test config');
  await trainPoseModel(cfg, { quiet: true });
  const pred = path.join(tmp, 'pred.json'), conf = path.join(tmp, 'conf.json');
  const r = await runCommand(predict, '--model', out, '--data', eval120, '--out', pred, '--limit', '3', '--confidence', conf);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"labels":"none/);
  const [xyz, verts] = JSON.parse(fs.readFileSync(pred, 'utf8'));
  assert.equal(xyz.length, 3);
  assert.equal(verts.length, 3);
  // camera frame, metres: finite, the root in front of the camera within the searched depths (2 training steps: no accuracy asked)
  for (const p of xyz) {
    assert.equal(p.length, 21);
    assert.ok(p.every((q: number[]) => q.length === 3 && q.every(Number.isFinite)));
    assert.ok(p[0][2] >= 0.05 && p[0][2] <= 5, `root depth ${p[0][2]}`);
  }
  assert.equal(JSON.parse(fs.readFileSync(conf, 'utf8'))[0].length, 21);
});

test('protocol: one run per seed on a blocked split, each beside the constant pose and best match; intervals over seeds; resumable', { skip: !hgc && 'hgc-dev not found' }, async () => {
  const blocks = (part: 'train' | 'test') => ({ path: hgc!, blocks: { test: [[290, 299]] as [number, number][], gap: 10, part } });
  const cfg = parseTrainConfig({ name: 'proto', out: path.join(tmp, 'proto'), train: [{ ...blocks('train'), limit: 24 }], val: blocks('test'), model: 'tiny', epochs: 1, stepsPerEpoch: 2, batchSize: 4, warmupSteps: 1, workers: 0, backend: 'wasm' }, 'test config');
  const lines: string[] = [];
  const r = await runProtocol(cfg, [1, 2], { quiet: true, log: (l) => lines.push(l) });
  assert.equal(r.seeds.length, 2);
  assert.equal(r.paMpjpeMm.n, 2);
  assert.ok(r.paMpjpeMm.low <= r.paMpjpeMm.mean && r.paMpjpeMm.mean <= r.paMpjpeMm.high);
  // the baselines come from the data alone: the same for both seeds; the oracle is below the constant pose
  assert.equal(r.seeds[0].test.constantPosePaMm, r.seeds[1].test.constantPosePaMm);
  assert.ok(r.bestMatchPaMm < r.constantPosePaMm);
  assert.equal(r.seeds[0].test.n, 10);
  assert.equal(r.seeds[0].trainFit.n, 24);
  assert.notEqual(r.seeds[0].test.paMpjpeMm, r.seeds[1].test.paMpjpeMm, 'seeds differ');
  assert.match(protocolTable([r]), /\| proto \| 2 \| .* \| .* \| .* \| .* \|/);
  assert.ok(fs.existsSync(path.join(cfg.out, 'protocol.json')) && fs.existsSync(path.join(cfg.out, 'seed-2', 'checkpoint', 'model.json')));
  // a second call resumes the finished runs: same numbers
  const again = await runProtocol(cfg, [1, 2], { quiet: true, log: () => {} });
  assert.equal(again.paMpjpeMm.mean, r.paMpjpeMm.mean);
  // each seed keeps its per-frame errors (mean = the score) and the paired bootstrap of its ratio to the constant pose
  const s1 = r.seeds[0];
  assert.deepEqual(r.testSet.indices, [290, 291, 292, 293, 294, 295, 296, 297, 298, 299]);
  assert.equal(s1.perFramePaMm.length, 10);
  assert.ok(Math.abs(s1.perFramePaMm.reduce((a, b) => a + b, 0) / 10 - s1.test.paMpjpeMm) < 1e-9);
  assert.ok(s1.ratioInterval.low <= s1.test.ratioToConstantPose && s1.test.ratioToConstantPose <= s1.ratioInterval.high && s1.ratioInterval.low < s1.ratioInterval.high);
  assert.match(lines[0], /× \[\d\.\d{3}, \d\.\d{3}\] constant pose/);
  // a paired comparison: a result against itself is 1 and does not separate; seeds 1 and 2 as two "arms" pair by seed
  const self = compareProtocols(r, r);
  assert.ok(Math.abs(self.ratio - 1) < 1e-12 && self.interval.low <= 1 && 1 <= self.interval.high);
  assert.match(self.verdict, /do not separate/);
  const only = (seed: number) => ({ ...r, name: `seed${seed}`, seeds: r.seeds.filter((x) => x.seed === seed) });
  assert.throws(() => compareProtocols(only(1), only(2)), /shares no seed/);
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const c = compareProtocols(r, { ...r, name: 'other', seeds: r.seeds.map((x) => ({ ...x, perFramePaMm: x.perFramePaMm.map((v) => 2 * v) })) });
  assert.ok(Math.abs(c.ratio - 0.5) < 1e-12 && c.interval.n === 2, 'per seed Σa ÷ Σb, t-interval over the two seeds');
  assert.ok(Math.abs(sum(r.seeds[0].perFramePaMm) / sum(r.seeds[0].perFramePaMm.map((v) => 2 * v)) - 0.5) < 1e-12);
  assert.match(c.verdict, /proto lower than other/);
  // other frames are refused, naming the file and field
  assert.throws(() => compareProtocols(r, { ...r, testSet: { ...r.testSet, indices: r.testSet.indices.slice(1) } }, ['a.json', 'b.json']), /b\.json: testSet.*same frames/);
  // the command: two folders, one line with the ratio and verdict; a file that is no protocol result fails naming it
  const cli = await runCommand(train, '--compare', `${cfg.out},${cfg.out}`);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /proto ÷ proto .*: 1\.000 \[.*\].*do not separate/);
  const bogus = path.join(tmp, 'bogus.json');
  fs.writeFileSync(bogus, '{"x": 1}');
  const bad = await runCommand(train, '--compare', `${cfg.out},${bogus}`);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /bogus\.json.*not a protocol result/);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
