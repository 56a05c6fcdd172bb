// `handgap train` as a user runs it: progress lines carry the ETA over all epochs, the end is a human
// summary (validation in mm, checkpoint), and --json gives the machine-readable result.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findKnownSet, projectRoot } from '../../lib/util/paths.ts';

const hgc = findKnownSet('hgc-dev');

test('train: overall ETA while running, a readable summary at the end, JSON with --json', { skip: !hgc && 'hgc-dev not found', timeout: 600_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-train-cli-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const indices = Array.from({ length: 8 }, (_, i) => i * 30);
  const cfgFile = path.join(tmp, 'train.json');
  fs.writeFileSync(cfgFile, JSON.stringify({ name: 'tiny', out: 'run', train: [{ path: hgc, indices }], val: { path: hgc, indices: indices.slice(0, 4) },
    model: 'tiny', epochs: 2, stepsPerEpoch: 3, batchSize: 4, workers: 1, prefetch: 1, seed: 3, backend: 'wasm' }));
  const run = (extra: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'train', '--config', cfgFile, ...extra],
    { encoding: 'utf8', env: { ...process.env, CI: '1', HANDGAP_WASM_THREADS: '1' } });
  const r = run([]);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.match(r.stderr, /epoch 2\/2: 3\/3 \(100%\) [\d.]+ step\/s, in \S+, loss [\d.]+ [\d.]+ img\/s, all epochs: ETA 0\.0s/);
  assert.match(r.stderr, /epoch 1\/2: \d\/3 .*all epochs: ETA \d/);
  assert.match(r.stdout, /^trained tiny: 2 epochs in \S+ on wasm\n  last epoch 2: loss [\d.]+ .*\n  validation on \S+ \(4 samples\): PA-MPJPE [\d.]+ mm, MPJPE [\d.]+ mm .*\n  checkpoint: .*checkpoint$/m);
  assert.doesNotMatch(r.stdout, /^\{/m, 'no JSON dump by default');
  const j = run(['--resume', '--epochs', '3', '--json']);
  assert.equal(j.status, 0, j.stderr.slice(-2000));
  const out = JSON.parse(j.stdout) as { epochs: number; last: { epoch: number; val: { paMpjpeMm: number } } };
  assert.equal(out.last.epoch, 3);
  assert.ok(out.last.val.paMpjpeMm > 0);
});

test('train: a folder that holds a checkpoint is refused without --resume (nothing overwritten); --restart starts over', { skip: !hgc && 'hgc-dev not found', timeout: 600_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-train-cli-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const cfgFile = path.join(tmp, 'train.json');
  fs.writeFileSync(cfgFile, JSON.stringify({ name: 'tiny', out: 'run', train: [{ path: hgc, indices: [0, 30, 60, 90] }],
    model: 'tiny', epochs: 1, stepsPerEpoch: 1, batchSize: 4, workers: 1, prefetch: 1, seed: 3, backend: 'wasm' }));
  const run = (extra: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'train', '--config', cfgFile, ...extra],
    { encoding: 'utf8', env: { ...process.env, CI: '1', HANDGAP_WASM_THREADS: '1' } });
  const first = run([]);
  assert.equal(first.status, 0, first.stderr.slice(-2000));
  const runDir = path.join(tmp, 'run');
  const snapshot = () => Object.fromEntries(['checkpoint/weights.bin', 'checkpoint/state.json', 'log.jsonl', 'config.json'].map((f) => [f, fs.readFileSync(path.join(runDir, f), 'utf8')]));
  const before = snapshot();
  const again = run([]);
  assert.notEqual(again.status, 0, 'a second run without --resume must not overwrite the checkpoint');
  assert.match(again.stderr, /^handgap train: .*run already holds a checkpoint \(trained to epoch 1\); training without --resume would overwrite it\. Continue it with --resume, start over with --restart/m);
  assert.ok(again.stderr.includes(runDir), 'the message names the folder');
  assert.doesNotMatch(again.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(snapshot(), before, 'checkpoint, log and config untouched');
  const both = run(['--resume', '--restart']);
  assert.notEqual(both.status, 0);
  assert.match(both.stderr, /--resume and --restart contradict each other/);
  const restarted = run(['--restart']);
  assert.equal(restarted.status, 0, restarted.stderr.slice(-2000));
  const log = fs.readFileSync(path.join(runDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.equal(log.filter((r) => r.type === 'start').length, 1, 'the restarted run has its own log');
});
