/** `handgap eval` end to end on the official fixtures: a FreiHAND-layout GT folder + pred.json → official scores.txt. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sharedDir, projectRoot, findKnownSet } from '../../lib/util/paths.ts';
import { readJson } from '../../lib/util/fsx.ts';

const fx = path.join(sharedDir(), 'fixtures', 'freihand-eval');
const hgc = findKnownSet('hgc-dev');
const have = fs.existsSync(path.join(fx, 'inputs.json')) && !!hgc;

function handgap(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), ...args], { encoding: 'utf8', cwd: projectRoot });
}

test('handgap eval reproduces the official scores.txt, pck_data.json and writes JSON + markdown', { skip: !have }, (t) => {
  const inputs = readJson<any>(path.join(fx, 'inputs.json'));
  const exp = readJson<any>(path.join(fx, 'expected.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-eval-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const gt = path.join(dir, 'gt');
  fs.mkdirSync(gt);
  const K = readJson<any[]>(path.join(hgc!, 'evaluation_K.json')).slice(0, 64);
  fs.writeFileSync(path.join(gt, 'evaluation_K.json'), JSON.stringify(K));
  fs.writeFileSync(path.join(gt, 'evaluation_xyz.json'), JSON.stringify(inputs.gt_xyz));
  fs.writeFileSync(path.join(gt, 'evaluation_verts.json'), JSON.stringify(inputs.gt_verts));
  const pred = path.join(dir, 'pred.json');
  fs.writeFileSync(pred, JSON.stringify([inputs.pred_xyz, inputs.pred_verts]));
  const r = handgap(['eval', pred, '--gt', gt, '--out', path.join(dir, 'out')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /PA-MPJPE\s+1\.389 cm/);
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'scores.txt'), 'utf8'), exp.official_main.scores_txt);
  const pck = readJson<any>(path.join(dir, 'out', 'pck_data.json'));
  assert.deepEqual(pck.xyz[1], exp.official_main.pck_data.xyz[1]);
  const scores = readJson<any>(path.join(dir, 'out', 'scores.json'));
  assert.ok(Math.abs(scores.xyz_aligned.mean_m - exp.xyz_aligned.mean_m) < 1e-12);
  assert.ok(scores.pck2d.auc > 0 && scores.pck2d.auc < 1);
  assert.match(fs.readFileSync(path.join(dir, 'out', 'scores.md'), 'utf8'), /\| PA-MPJPE \| 1\.389 \| cm \|/);

  // bad input: a prediction file with the wrong count gives one clear error and a non-zero exit
  fs.writeFileSync(pred, JSON.stringify([inputs.pred_xyz.slice(1), inputs.pred_verts.slice(1)]));
  const bad = handgap(['eval', pred, '--gt', gt]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /63 predictions but the ground truth has 64 samples/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});
