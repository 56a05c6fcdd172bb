/**
 * The walkthrough end to end at smoke scale (real Blender render, real spectral statistics, real VAE
 * training on wasm/cpu), in a temporary cache; then a second run must come entirely from the cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScale } from '../../lib/experiment/declaration.ts';
import { readExperiment, experimentFile } from '../../lib/experiment/runner.ts';
import { comparisonTable, summaryMarkdown } from '../../lib/walkthrough/summary.ts';
import { walkthroughFigures, otherSeedCurves } from '../../lib/walkthrough/figures-build.ts';
import { spreadIndices } from '../../lib/experiment/step.ts';
import { fractionBelow } from '../../lib/experiment/kinds/spectral-gap.ts';
import { findKnownSet, projectRoot } from '../../lib/util/paths.ts';
import { readFreihand } from '../../lib/data/freihand.ts';

// the walkthrough's sizes per scale: its declaration (experiments/walkthrough.json)
const SIZES = readExperiment(experimentFile('walkthrough')).scales;

test('scale names: full is paper; unknown scale is an InputError naming the option', () => {
  assert.equal(parseScale('full', 'demo'), 'paper');
  assert.equal(parseScale('smoke', 'demo'), 'smoke');
  assert.equal(parseScale(undefined, 'demo'), 'demo');
  assert.throws(() => parseScale('huge', 'demo'), /--scale.*smoke, demo, study, paper/);
  const n = (s: keyof typeof SIZES) => Number(SIZES[s].renderN);
  assert.ok(n('smoke') < n('demo') && n('demo') < n('study') && n('study') < n('paper'));
});

test('render-test-poses renders the test block exactly like syn-hgc: the configs differ only in which frames and how many', () => {
  const steps = readExperiment(experimentFile('walkthrough')).steps;
  const config = (id: string) => structuredClone(steps.find((s) => s.id === id)!.config) as { n?: unknown; pose: Record<string, unknown> };
  const train = config('render'), test = config('render-test-poses');
  assert.deepEqual(test.pose.frames, '$param.testBlocks');
  for (const c of [train, test]) { delete c.n; delete c.pose.repeat; delete c.pose.frames; }
  // appearance (textures, HDRIs, forearm, objects, girth), image size and samples must match, or the appearance gap at new poses is confounded
  assert.deepEqual(test, train);
});

test('pure helpers', () => {
  assert.deepEqual(spreadIndices(10, 3), [0, 3, 6]);
  assert.deepEqual(spreadIndices(3, 10), [0, 1, 2]);
  assert.equal(fractionBelow([9, 1, 1, 5], [0, 2, 2, 2]), 2 / 3); // DC bin ignored
});

test('learning curves: an arm\'s other seeds are its @seed runs other than the first seed\'s run, in cm, by seed', () => {
  const curve = (mm: number[]) => ({ curve: mm.map((v, i) => ({ step: 100 * (i + 1), loss: 1, valPaMm: v })) });
  const st = { id: 'train', title: '', status: 'done', seconds: 0, executed: 0, cached: 0, runs: {
    'train-real': { dir: '/r/a', result: curve([20, 15]) },
    'train-real@seed1': { dir: '/r/a', result: curve([20, 15]) },
    'train-real@seed3': { dir: '/r/c', result: curve([22, 16]) },
    'train-real@seed2': { dir: '/r/b', result: curve([21, 14]) },
    'train-realistic@seed2': { dir: '/r/x', result: curve([1, 1]) },
    'train-mixed@seed2': { dir: '/r/m', result: { curve: [{ step: 100, loss: 1 }] } },
  } } as unknown as Parameters<typeof otherSeedCurves>[0];
  assert.deepEqual(otherSeedCurves(st, 'real'), [{ seed: 2, step: [100, 200], value: [2.1, 1.4] }, { seed: 3, step: [100, 200], value: [2.2, 1.6] }]);
  assert.deepEqual(otherSeedCurves(st, 'mixed'), [], 'a run without test-block scores draws nothing');
});

test('walkthrough at smoke scale: stages, cache reuse, summary, figures', { timeout: 600_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-walk-'));
  const prevCache = process.env.HANDGAP_CACHE;
  process.env.HANDGAP_CACHE = tmp;
  // the rig fitted to hgc-dev (pose source "fitted", cached by label content) is reused from the project cache when present
  const fittedCache = path.join(prevCache ?? path.join(projectRoot, '.handgap'), 'fitted');
  if (fs.existsSync(fittedCache)) fs.symlinkSync(fittedCache, path.join(tmp, 'fitted'));
  try {
    const { reproduce } = await import('../../lib/walkthrough/reproduce.ts');
    const real = findKnownSet('hgc-dev');
    const r1 = await reproduce({ scale: 'smoke', figures: null, notebooks: false, log: () => {} });
    const byId = Object.fromEntries(r1.result.stages.map((s) => [s.id, s]));
    for (const id of ['poses', 'prior']) assert.equal(byId[id].status, 'done', `${id}: ${byId[id].reason}`);
    if (real) {
      for (const id of ['render', 'compose']) assert.equal(byId[id].status, 'done', `${id}: ${byId[id].reason}`);
      // syn-hgc: a FreiHAND-layout set with one label per image, showing hgc-dev training frames only (0–259)
      const set = readFreihand(String(byId.render.runs.render.result.dir));
      assert.equal(set.samples.length, SIZES.smoke.renderN);
      assert.ok(set.samples.every((s) => s.xyz && s.xyz.length === 21 && fs.existsSync(s.imagePath)));
      const meta = JSON.parse(fs.readFileSync(path.join(String(byId.render.runs.render.result.dir), 'training_meta.json'), 'utf8')) as { pose: { source: string; sourceIndex: number } }[];
      assert.deepEqual(meta.map((m) => m.pose.sourceIndex), Array.from({ length: SIZES.smoke.renderN as number }, (_, i) => i));
      assert.ok(meta.every((m) => m.pose.source === 'fitted'));
      for (const id of ['spectral', 'gap']) assert.equal(byId[id].status, 'done', `${id}: ${byId[id].reason}`);
      const vr = byId.spectral.runs.spectral.result.varianceRatio as Record<string, number>;
      assert.ok(vr.before > 0 && Number.isFinite(vr.before) && vr.after !== null && vr.after > 0);
      // three trained arms, scored on the same held-out half of hgc-dev
      assert.equal(byId.train.status, 'done', byId.train.reason);
      for (const arm of ['synthetic', 'real', 'mixed']) {
        const e = byId.train.runs[`eval-${arm}`].result as { n: number; paMpjpeMm: number; constantPose: { paMpjpeMm: number }; bestMatch: { paMpjpeMm: number } };
        assert.ok(e.n === SIZES.smoke.testMax && e.paMpjpeMm > 1 && e.paMpjpeMm < 200, `${arm}: ${JSON.stringify(e)}`);
        // beside the baselines built from that arm's training poses, on the same frames
        assert.ok(e.constantPose.paMpjpeMm > 1 && e.bestMatch.paMpjpeMm > 0, `${arm} baselines`);
        assert.ok((e as unknown as { trainFit: { paMpjpeMm: number } }).trainFit.paMpjpeMm > 0, `${arm} training-set fit`);
        // the first seed's model is where handgap predict reads it
        assert.ok(fs.existsSync(path.join(r1.result.out, 'models', arm, 'model.json')), `${arm} model published`);
      }
      // every arm on its training poses in both appearances: real training photos (their own frames, not the test block) and the renders of them
      for (const arm of ['synthetic', 'real', 'mixed']) for (const view of ['photos', 'renders']) {
        const e = byId.train.runs[`fixed-pose-${arm}-${view}`]?.result as { n: number; paMpjpeMm: number; testDir: string; constantPose: { paMpjpeMm: number } } | undefined;
        assert.ok(e && e.n > 0 && e.paMpjpeMm > 0 && e.constantPose.paMpjpeMm > 0, `fixed-pose-${arm}-${view}: ${JSON.stringify(e)}`);
        assert.equal(path.resolve(e.testDir), path.resolve(view === 'photos' ? real : String(byId.render.runs.render.result.dir)));
      }
      // and on renders of the test block's poses: exactly the test frames (never a training frame), scored like the photos
      const testRenders = byId.train.runs['render-test-poses']?.result as { dir: string; count: number } | undefined;
      assert.ok(testRenders && testRenders.count === 30, `render-test-poses: ${JSON.stringify(testRenders)}`);
      const shown = (JSON.parse(fs.readFileSync(path.join(testRenders.dir, 'training_meta.json'), 'utf8')) as { pose: { sourceIndex: number } }[]).map((m) => m.pose.sourceIndex);
      assert.deepEqual(shown, Array.from({ length: 30 }, (_, i) => 270 + i));
      for (const arm of ['synthetic', 'real', 'mixed']) {
        const e = byId.train.runs[`test-renders-${arm}`]?.result as { n: number; paMpjpeMm: number; testDir: string } | undefined;
        assert.ok(e && e.n === SIZES.smoke.testMax && e.paMpjpeMm > 0, `test-renders-${arm}: ${JSON.stringify(e)}`);
        assert.equal(path.resolve(e.testDir), path.resolve(testRenders.dir));
      }
      // each test-block evaluation splits its error into 2D and depth: the prediction's own PA-MPJPE is among them, and the three views of the test
      for (const step of ['eval-synthetic', 'test-renders-synthetic']) {
        const e = byId.train.runs[step]?.result as { paMpjpeMm: number; views: number[]; errorSources: { n: number; paMm: number; trueDepthPaMm: number; true2dPaMm: number; uvErrorPctOfBox: number } } | undefined;
        assert.ok(e && e.errorSources.n === SIZES.smoke.testMax && Math.abs(e.errorSources.paMm - e.paMpjpeMm) < 1e-6 && e.errorSources.uvErrorPctOfBox > 0 && e.errorSources.true2dPaMm > 0, `${step}: ${JSON.stringify(e?.errorSources)}`);
        assert.deepEqual(e.views, [1, 0.9, 1.1]);
      }
      assert.match(r1.summary, /Where the test-block error lies: 2D or depth/);
      // the arms against the real arm on the same frames, read from the evaluations' per-frame errors (a plumbing check at smoke scale)
      assert.match(r1.summary, /### The arms against the real arm[\s\S]*\| mixed ÷ real \| 1 \| \d\.\d{3} \| \[[\d.]+, [\d.]+\] \(paired bootstrap over the frames\) \| plumbing check/);
      assert.ok(fs.existsSync(path.join(r1.result.out, 'tables', 'arm-contrasts.md')));
      // and the comparison table's mixed row carries it beside the study's "mixed better than real"
      assert.match(r1.summary, /\| PA-MPJPE trained on mixed[^\n]*\| mixed better than real \|[^\n]*÷ real on the same frames \d\.\d{3} \[[\d.]+, [\d.]+\]: plumbing check/);
      assert.match(r1.summary, /The same poses in two appearances/);
      assert.match(r1.summary, /test block \(new poses\)/);
      // blocked split: the real arm trains on frames 0–259, the test block is 270–299 (first testMax of it)
      const trained = (byId.train.runs['train-real'].result as { train: { indices: number[] }[] }).train[0].indices;
      assert.equal(Math.max(...trained), 259);
      assert.deepEqual(r1.result.split, { testBlocks: [[270, 299]], gap: 10 });
      assert.match(r1.summary, /plumbing check/);
      // the prior stage ran prior-refine with the real arm's model: per-frame occlusion levels and errors for the occlusion figure
      const refine = byId.prior.runs['refine-real']?.result as { estimator: { perFrame: { occludedJoints: number; paMpjpeMm: number }[] } } | undefined;
      assert.ok(refine && refine.estimator.perFrame.length > 0 && refine.estimator.perFrame.every((f) => f.occludedJoints >= 1 && f.paMpjpeMm > 0), 'refine-real per-frame records');
    } else for (const id of ['spectral', 'render', 'train']) assert.equal(byId[id].status, 'skipped');
    // a missing piece is reported as skipped with its reason, never as done
    for (const s of r1.result.stages) if (s.status !== 'done') assert.ok(s.reason && s.reason.length > 10, `${s.id} has a reason`);
    const prior = byId.prior.runs.prior.result as { occludedJointErrorMm: Record<string, number> };
    for (const v of Object.values(prior.occludedJointErrorMm)) assert.ok(v > 0 && v < 500, `occluded-joint error ${v} mm is plausible`);
    // summary: our numbers beside the study's, files listed
    assert.match(r1.summary, /Our numbers beside the study's/);
    assert.match(r1.summary, /1\.02/);
    assert.ok(fs.existsSync(r1.summaryFile) && fs.existsSync(path.join(r1.result.out, 'tables', 'comparison.md')));
    assert.ok(comparisonTable(r1.result).rows.length >= 8);
    const figs = walkthroughFigures(r1.result).map((f) => f.name);
    assert.ok(figs.includes('walkthrough-pose-pca') && figs.includes('walkthrough-prior-fill'), figs.join(','));
    if (real) assert.ok(figs.includes('walkthrough-amplitude-spectrum'));
    // second run: nothing re-executed
    const t0 = Date.now();
    const r2 = await reproduce({ scale: 'smoke', figures: null, notebooks: false, log: () => {} });
    assert.equal(r2.result.stages.reduce((a, s) => a + s.executed, 0), 0, 'all runs cached');
    assert.ok(Date.now() - t0 < 60_000);
    assert.equal(summaryMarkdown(r2.result, r2.extras).includes('| render | done'), true);
    // notebook 08 on the same cache: every stage comes from it, every walkthrough figure is an image output
    const { runNotebook, selectNotebooks } = await import('../../lib/notebook/runner.ts');
    const { checkNotebookImages, countImageOutputs } = await import('../../lib/walkthrough/notebooks.ts');
    // (the kernel is installed under the project's own cache: look it up there, run the notebook on tmp)
    if (prevCache === undefined) delete process.env.HANDGAP_CACHE; else process.env.HANDGAP_CACHE = prevCache;
    const nb = await runNotebook(selectNotebooks(['08_reproduce'])[0], { scale: 'smoke', env: { HANDGAP_CACHE: tmp }, outDir: path.join(tmp, 'executed') });
    process.env.HANDGAP_CACHE = tmp;
    assert.ok(nb.ok, `08_reproduce failed in cell ${nb.cell}: ${nb.error}`);
    assert.equal(checkNotebookImages(nb.executed), null);
    const { runFigures } = await import('../../lib/walkthrough/figures-runs.ts');
    const { STUDY_ABLATION } = await import('../../lib/walkthrough/study.ts');
    assert.equal(countImageOutputs(nb.executed), walkthroughFigures(r2.result).length + (await runFigures(r2.result, STUDY_ABLATION)).length);
    // without real data: the real-data stages say what is missing and how to get it
    const r3 = await reproduce({ scale: 'smoke', figures: null, notebooks: false, real: null, only: ['spectral', 'gap'], out: path.join(tmp, 'noreal'), log: () => {} });
    assert.ok(r3.result.stages.every((s) => s.status === 'skipped' && /hgc-dev/.test(s.reason ?? '') && /HANDGAP_SHARED/.test(s.reason ?? '')));
  } finally {
    if (prevCache === undefined) delete process.env.HANDGAP_CACHE; else process.env.HANDGAP_CACHE = prevCache;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
