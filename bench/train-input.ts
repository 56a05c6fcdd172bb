/**
 * The pose trainer's input pipeline: images per second of a short training run on real photos, with the batches
 * made in the training thread (workers 0, the baseline) and in one worker thread (workers 1, what the experiments'
 * `train` kind uses for runs of 200 steps or more: lib/experiment/kinds/train.ts batchWorkers). Each trial is its
 * own `handgap train` process (fresh image caches for both), on the demo's real arm: the CPU model at 64 px, batch
 * 32, hgc-dev frames 0–259 (224 px photos, cropped and augmented each step). Trials run in rounds, the two settings
 * in alternating order, since a shared machine's speed drifts; the ratio (worker ÷ training thread) is taken within
 * each round and its median printed. The weights of the two settings are also compared: they must be equal.
 *
 *   node --import tsx bench/train-input.ts [--steps 80] [--rounds 3] [--data <FreiHAND-layout set>]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, optNumber, optString } from '../lib/cli/args.ts';
import { resolveDatasetArg, projectRoot } from '../lib/util/paths.ts';
import { POSENET_PRESETS } from '../lib/train/pose/model-config.ts';

const args = parseArgs(process.argv.slice(2), {
  steps: { type: 'integer', min: 10, default: 80, description: 'optimiser steps per trial (batch 32)' },
  rounds: { type: 'integer', min: 1, default: 3, description: 'rounds of both settings' },
  data: { type: 'string', default: 'hgc-dev', description: 'the real training set (its first 260 frames)' },
});
const STEPS = optNumber(args, 'steps')!, ROUNDS = optNumber(args, 'rounds')!;
const data = resolveDatasetArg(optString(args, 'data')!);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-bench-input-'));

/** One `handgap train` of STEPS steps with `workers` batch threads: its last epoch's images per second. */
function trial(workers: number, round: number): { imagesPerSecond: number; weights: Buffer } {
  const out = path.join(tmp, `w${workers}-r${round}`);
  const config = {
    name: `bench-input-w${workers}`, out, workers, epochs: 1, stepsPerEpoch: STEPS, batchSize: 32, seed: 1,
    model: { ...POSENET_PRESETS.cpu, inputSize: 64, seed: 1 }, crop: 'image',
    train: [{ path: data, indices: Array.from({ length: 260 }, (_, i) => i) }],
  };
  const file = path.join(tmp, `w${workers}-r${round}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'train', '--config', file], { encoding: 'utf8', cwd: projectRoot });
  const m = [...(r.stdout + r.stderr).matchAll(/epoch 1: loss [\d.]+ \(.*?\), ([\d.]+) img\/s/g)].pop();
  if (r.status !== 0 || !m) throw new Error(`bench/train-input: handgap train (workers ${workers}) failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
  return { imagesPerSecond: Number(m[1]), weights: fs.readFileSync(path.join(out, 'checkpoint', 'weights.bin')) };
}

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
try {
  console.log(`bench/train-input: ${STEPS} steps × 32 images of ${data} (CPU model, 64 px), ${ROUNDS} rounds; load ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
  const ratios: number[] = [];
  let same = true;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [1, 0] : [0, 1];
    const r = Object.fromEntries(order.map((w) => [w, trial(w, round)])) as Record<number, ReturnType<typeof trial>>;
    same &&= r[0].weights.equals(r[1].weights);
    ratios.push(r[1].imagesPerSecond / r[0].imagesPerSecond);
    console.log(`round ${round + 1}: training thread ${r[0].imagesPerSecond.toFixed(1)} img/s, one worker thread ${r[1].imagesPerSecond.toFixed(1)} img/s, ratio ${ratios[round].toFixed(3)}`);
  }
  console.log(`one batch-worker thread ÷ batches in the training thread: ${median(ratios).toFixed(3)}× (median of ${ROUNDS} rounds); weights ${same ? 'bit-identical' : 'DIFFER'} between the two settings`);
  if (!same) process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
