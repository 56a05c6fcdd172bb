/**
 * One scoring path: a tiny model trained by `handgap train` is scored (a) by `handgap predict` +
 * `handgap eval`, (b) by `handgap experiment` on a declaration with an evaluate step, and (c) by the
 * runner in-process as the walkthrough calls it (experiments/walkthrough.json's evaluate steps). The
 * PA-MPJPE agrees to 1e-9 mm; the experiment paths carry the two baselines on the same frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findKnownSet } from '../../lib/util/paths.ts';
import { readFreihand, writeFreihand } from '../../lib/data/freihand.ts';
import { runCommand } from '../helpers/cli.ts';
import trainCmd from '../../lib/cli/commands/train.ts';
import predictCmd from '../../lib/cli/commands/predict.ts';
import evalCmd from '../../lib/cli/commands/eval.ts';
import experimentCmd from '../../lib/cli/commands/experiment.ts';
import { parseExperiment } from '../../lib/experiment/declaration.ts';
import { resolve, runExperiment, readRunResult } from '../../lib/experiment/runner.ts';
import { KIND_NAMES } from '../../lib/experiment/kinds.ts';

const hgc = findKnownSet('hgc-dev');

test('the same model scores the same PA-MPJPE through eval, handgap experiment and the walkthrough runner (1e-9)', { skip: !hgc && 'hgc-dev not found', timeout: 600_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-paths-'));
  const prevCache = process.env.HANDGAP_CACHE;
  process.env.HANDGAP_CACHE = path.join(tmp, 'cache');
  try {
    // a small test set: 8 real frames (FreiHAND layout, images copied)
    const testSet = path.join(tmp, 'test-set');
    writeFreihand(testSet, readFreihand(hgc!, { indices: [200, 210, 220, 230, 240, 250, 260, 270] }).samples);
    const cfgFile = path.join(tmp, 'train.json');
    fs.writeFileSync(cfgFile, JSON.stringify({
      name: 'tiny', out: path.join(tmp, 'model'), train: [{ path: hgc, indices: Array.from({ length: 16 }, (_, i) => i * 10) }],
      model: { inputSize: 64, widths: [8, 16, 32], blocks: [1, 1, 1], seed: 3 }, epochs: 1, stepsPerEpoch: 2, batchSize: 4, warmupSteps: 0, workers: 0, seed: 3,
    }));
    const tr = await runCommand(trainCmd, '--config', cfgFile);
    assert.equal(tr.status, 0, tr.stderr);

    // (a) handgap predict + handgap eval
    const pred = path.join(tmp, 'pred.json');
    assert.equal((await runCommand(predictCmd, '--model', path.join(tmp, 'model'), '--data', testSet, '--out', pred)).status, 0);
    const ev = await runCommand(evalCmd, pred, '--gt', testSet, '--out', path.join(tmp, 'eval'));
    assert.equal(ev.status, 0, ev.stderr);
    const viaEval = JSON.parse(fs.readFileSync(path.join(tmp, 'eval', 'scores.json'), 'utf8')).xyz_aligned.mean_mm as number;

    // (b) handgap experiment: one evaluate step on that model
    const decl = {
      name: 'score-paths', seed: 3, scales: { smoke: {}, demo: {}, study: {}, paper: {} },
      steps: [{ id: 'eval', kind: 'evaluate', config: { model: path.join(tmp, 'model'), test: testSet, seed: '$seed' } }],
      collect: { step: 'eval', fields: ['paMpjpeMm', 'constantPose.paMpjpeMm', 'bestMatch.paMpjpeMm'] },
    };
    const declFile = path.join(tmp, 'score-paths.json');
    fs.writeFileSync(declFile, JSON.stringify(decl));
    const ex = await runCommand(experimentCmd, declFile, '--scale', 'smoke', '--out', path.join(tmp, 'tables'));
    assert.equal(ex.status, 0, ex.stderr);
    const resolved = resolve(parseExperiment(decl, declFile, KIND_NAMES), 'smoke');
    const viaCli = readRunResult(path.join(tmp, 'cache', 'runs'), resolved.runs.get(resolved.points[0].runs.eval)!)!;

    // (c) the walkthrough's way: the runner in-process, a fresh cache, the walkthrough's evaluate config shape
    const walkDecl = { ...decl, collect: undefined, steps: [{ id: 'eval-real', kind: 'evaluate', config: { model: path.join(tmp, 'model'), test: { set: testSet, part: [0, 1] }, seed: '$seed' } }] };
    const w = resolve(parseExperiment(walkDecl, 'walk', KIND_NAMES), 'smoke');
    const root = path.join(tmp, 'walk-runs');
    await runExperiment(w, { root, log: () => {} });
    const viaWalk = readRunResult(root, w.runs.get(w.points[0].runs['eval-real'])!)!;

    assert.ok(viaEval > 1 && viaEval < 500, `PA-MPJPE ${viaEval} mm`);
    assert.ok(Math.abs(Number(viaCli.paMpjpeMm) - viaEval) < 1e-9, `experiment ${viaCli.paMpjpeMm} vs eval ${viaEval}`);
    assert.ok(Math.abs(Number(viaWalk.paMpjpeMm) - viaEval) < 1e-9, `walkthrough ${viaWalk.paMpjpeMm} vs eval ${viaEval}`);
    // the baselines stand beside it, computed from the 16 training poses on the same 8 frames
    const cp = (viaCli.constantPose as Record<string, number>).paMpjpeMm, bm = (viaCli.bestMatch as Record<string, number>).paMpjpeMm;
    assert.ok(cp > 1 && bm > 0 && bm < cp, `constant pose ${cp}, best match ${bm}`);
    assert.equal(viaCli.n, 8);
  } finally {
    if (prevCache === undefined) delete process.env.HANDGAP_CACHE; else process.env.HANDGAP_CACHE = prevCache;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
