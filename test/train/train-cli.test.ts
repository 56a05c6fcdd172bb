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
