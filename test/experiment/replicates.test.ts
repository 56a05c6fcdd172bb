/**
 * Seeds of a sweep point (lib/analysis/replicates.ts, lib/experiment/report.ts) and the declaration features
 * the syn-hgc sweeps use: seeds per scale as a sweep variable, points × seeds, params taken from their owner
 * (the walkthrough's split), and the saturation fit only where the points separate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summariseSeeds, separate, belowConstantPose, seedScoreOfEvaluation, contrastBySeed, type SeedScore } from '../../lib/analysis/replicates.ts';
import { armContrast } from '../../lib/walkthrough/summary.ts';
import { parseExperiment, resolveExperiment } from '../../lib/experiment/declaration.ts';
import { readExperiment, experimentFile, runExperiment, collectResults } from '../../lib/experiment/runner.ts';
import { writeExperimentReport } from '../../lib/experiment/report.ts';
import { defineKind, type StepKind } from '../../lib/experiment/step.ts';
import { KINDS } from '../../lib/experiment/kinds.ts';
import { z } from '../../lib/config/schema.ts';
import { selectPoses, type PoseSet } from '../../lib/data/pose-sets.ts';

const score = (seed: number, pa: number, cp: number, extra: Partial<SeedScore> = {}): SeedScore => ({ seed, paMpjpeMm: pa, constantPoseMm: cp, bestMatchMm: 10, ratio: pa / cp, ...extra });

test('seeds: t-interval over seeds, ratio interval decides the verdict; one seed uses its own bootstrap; smoke is a plumbing check', () => {
  const clear = summariseSeeds([score(1, 20, 25), score(2, 21, 25), score(3, 19, 25)]);
  assert.equal(clear.mean, 20);
  assert.equal(clear.intervalKind, 'seeds');
  assert.ok(Math.abs(clear.interval!.high - (20 + 4.303 * 1 / Math.sqrt(3))) < 1e-9, 't(2) = 4.303, sd 1');
  assert.ok(clear.signal && clear.ratioInterval!.high < 1);
  assert.match(clear.verdict, /below the constant pose \(0\.800×\)/);
  const noisy = summariseSeeds([score(1, 18, 25), score(2, 30, 25), score(3, 21, 25)]);
  assert.equal(noisy.signal, false, 'ratio interval straddles 1');
  assert.match(noisy.verdict, /^no signal at this scale \(does not separate from the constant pose: 0\.920×\)/);
  const one = summariseSeeds([score(1, 20, 25, { interval: { mean: 20, low: 19, high: 21, n: 30, method: 'b' }, ratioInterval: { mean: 0.8, low: 0.75, high: 0.85, n: 30, method: 'b' } })]);
  assert.equal(one.intervalKind, 'frames');
  assert.equal(one.signal, true);
  assert.equal(summariseSeeds([score(1, 20, 25), score(2, 21, 25)], { plumbing: true }).verdict, 'plumbing check: no signal at this scale');
  assert.equal(separate(clear, { interval: { mean: 30, low: 28, high: 32, n: 3, method: '' } }), true);
  assert.equal(separate(clear, noisy), false);
});

test('declaration: seeds per scale as a sweep variable, points × seeds, and a point may not set a sweep variable', () => {
  const names = KINDS.map((k) => k.name);
  const d = parseExperiment({
    name: 'x', seed: 1, scales: { smoke: { seeds: [1] }, demo: { seeds: [1, 2, 3] }, study: { seeds: [1, 2, 3, 4, 5] }, paper: { seeds: [1, 2, 3] } },
    points: [{ row: 'a' }, { row: 'b' }], sweep: { seed: '$scale.seeds' },
    steps: [{ id: 'p', kind: 'pose-pool', config: { source: '${sweep.row}', seed: '$sweep.seed' } }],
  }, 'x.json', names);
  const smoke = resolveExperiment(d, 'smoke', { version: () => 1 }), demo = resolveExperiment(d, 'demo', { version: () => 1 });
  assert.deepEqual(smoke.points.map((p) => p.vars), [{ row: 'a', seed: 1 }, { row: 'b', seed: 1 }]);
  assert.deepEqual(demo.points.map((p) => [p.vars.row, p.vars.seed]), [['a', 1], ['a', 2], ['a', 3], ['b', 1], ['b', 2], ['b', 3]]);
  assert.equal(demo.runs.size, 6, 'every (row, seed) its own run');
  assert.throws(() => parseExperiment({ ...d, scales: { ...d.scales, study: {} } }, 'x.json', names), /x.json: scales.study.seeds.*sweep.seed is "\$scale.seeds": expected a non-empty list/);
  assert.throws(() => parseExperiment({ ...d, points: [{ row: 'a', seed: 4 }] }, 'x.json', names), /points\[0\].seed.*also a sweep variable/);
});

test('paramsFrom: the sweeps and prior-refine take the real set and its split from the walkthrough, the one owner', () => {
  const owner = readExperiment(experimentFile('walkthrough')).params;
  for (const name of ['pose-fraction', 'component-ablation', 'prior-refine']) {
    const d = readExperiment(experimentFile(name));
    for (const k of ['real', 'testBlocks', 'gap']) assert.deepEqual(d.params[k], owner[k], `${name}: ${k}`);
    // the sweeps render syn-hgc as the synthetic arm does: the hand's girth and the finger recombination are the walkthrough's
    if (name !== 'prior-refine') for (const k of ['girth', 'recombine']) assert.deepEqual(d.params[k], owner[k], `${name}: ${k}`);
    const raw = JSON.parse(fs.readFileSync(experimentFile(name), 'utf8'));
    assert.ok(!('testBlocks' in (raw.params ?? {})), `${name} does not write the test blocks itself`);
  }
  // the test block reaches every evaluation and the pool takes the training part only
  const pf = resolveExperiment(readExperiment(experimentFile('pose-fraction')), 'demo', { version: () => 1 });
  const configs = [...pf.runs.values()];
  for (const r of configs.filter((c) => c.kind === 'evaluate')) assert.deepEqual((r.config.test as { blocks: unknown }).blocks, { test: owner.testBlocks, gap: owner.gap, part: 'test' });
  assert.deepEqual(configs.find((c) => c.kind === 'pose-pool')!.config.blocks, { test: owner.testBlocks, gap: owner.gap, part: 'train' });
  assert.equal(pf.points.length, 15, '5 fractions × 3 seeds at demo scale');
  // one owner: a file declaring an inherited param itself is refused, as is a name the owner lacks
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-params-from-'));
  const base = { name: 'y', seed: 1, scales: { smoke: {}, demo: {}, study: {}, paper: {} }, steps: [{ id: 'p', kind: 'pose-pool', config: { source: '$param.real' } }] };
  fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ ...base, params: { gap: 3 }, paramsFrom: { experiment: 'walkthrough', names: ['real', 'gap'] } }));
  assert.throws(() => readExperiment(path.join(dir, 'a.json')), /a.json: params.gap.*also taken from .*walkthrough.json/);
  fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ ...base, paramsFrom: { experiment: 'walkthrough', names: ['nope'] } }));
  assert.throws(() => readExperiment(path.join(dir, 'b.json')), /paramsFrom.names.*"nope" is not a param/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('selectPoses keeps a fitted set\'s rig targets, cameras and source frames', () => {
  const set: PoseSet = { name: 'f', joints: new Float64Array(3 * 63).map((_, i) => i), count: 3, handedness: ['left', 'right', 'left'], frame: 'camera',
    meta: { sourceIndices: [10, 11, 12], residualMm: [1, 2, 3], imageSize: [224, 224] }, rig25: new Float64Array(3 * 75).map((_, i) => i), K: [0, 1, 2].map((k) => [[k, 0, 0], [0, 1, 0], [0, 0, 1]]) };
  const sub = selectPoses(set, [2, 0]);
  assert.deepEqual(sub.meta.sourceIndices, [12, 10]);
  assert.deepEqual(sub.meta.residualMm, [3, 1]);
  assert.deepEqual(sub.meta.imageSize, [224, 224], 'a per-set value stays as it is');
  assert.equal(sub.rig25![0], 150);
  assert.equal(sub.K![0][0][0], 2);
});

// a fake evaluation: error falls with x and sits below / at its constant pose by design
const fake: StepKind = defineKind({ name: 'f-eval', version: 1, summary: 'test', config: z.strictObject({ x: z.number(), seed: z.number(), cp: z.number() }), async run({ x, seed, cp }) {
  const pa = 10 + 8 * Math.exp(-x / 0.15) + 0.2 * Math.sin(seed * 7 + x * 13);
  return { paMpjpeMm: pa, n: 30, constantPose: { paMpjpeMm: cp }, bestMatch: { paMpjpeMm: 8 }, ratioToConstantPose: { paMpjpe: pa / cp } };
} });
const fields = ['paMpjpeMm', 'n', 'constantPose.paMpjpeMm', 'bestMatch.paMpjpeMm', 'ratioToConstantPose.paMpjpe'];

async function report(cp: number, scale: 'smoke' | 'demo') {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-replicates-'));
  const d = parseExperiment({ name: 'sat', seed: 1, scales: { smoke: { seeds: [1, 2, 3] }, demo: { seeds: [1, 2, 3] }, study: { seeds: [1] }, paper: { seeds: [1] } },
    sweep: { x: [0.05, 0.1, 0.2, 0.4, 0.7, 1.0], seed: '$scale.seeds' }, steps: [{ id: 'e', kind: 'f-eval', config: { x: '$sweep.x', seed: '$sweep.seed', cp } }],
    collect: { step: 'e', fields }, report: { type: 'saturation', x: 'x', y: 'paMpjpeMm', replicate: 'seed', replicates: 100 } }, 'sat.json', ['f-eval']);
  const exp = resolveExperiment(d, scale, { version: () => 1 });
  await runExperiment(exp, { kinds: [fake], root: tmp, log: () => {} });
  const out = await writeExperimentReport(exp, d.report, collectResults(exp, 'e', fields, tmp), fields, path.join(tmp, 'tables'), 1, { png: false });
  fs.rmSync(tmp, { recursive: true, force: true });
  return out;
}

test('saturation report over seeds: one row per point with its verdict; the curve is fitted only where points separate', async () => {
  const good = await report(40, 'demo');
  assert.equal(good.points!.length, 6, 'six fractions, seeds aggregated');
  assert.deepEqual(good.points!.map((p) => p.summary.seeds), Array(6).fill([1, 2, 3]));
  assert.ok(good.points!.every((p) => p.summary.signal));
  assert.equal(good.saturation!.length, 1);
  assert.equal(good.saturation![0].x.length, 18, 'every seed enters the fit');
  assert.equal(good.tables.points.rows.length, 6);
  // the same curve above its constant pose: no point separates, no fit, and the table says why
  const flat = await report(9, 'demo');
  assert.equal(flat.saturation!.length, 0);
  assert.match(flat.saturationSkipped![0].reason, /no fit: 0 of 6 x values separate from their constant pose/);
  assert.match(String(flat.tables.points.rows[0].at(-1)), /no signal at this scale/);
  // smoke: a plumbing check whatever the numbers
  const smoke = await report(40, 'smoke');
  assert.equal(smoke.saturation!.length, 0);
  assert.match(smoke.saturationSkipped![0].reason, /plumbing check/);
});

test('sweep figures draw each point\'s mean over its seeds with its interval, and a fit only where the report made one', async () => {
  const { sweepSaturationFigure, sweepAblationFigure } = await import('../../lib/walkthrough/figures-runs.ts');
  const { figureProvenance } = await import('../../lib/plot/registry.ts');
  const flat = await report(9, 'demo');
  const rows = flat.points!.flatMap((p) => p.runs.map((key) => ({ point: 0, vars: p.vars, key, values: {} })));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-replicate-fig-'));
  const stage = (result: unknown) => ({ scale: 'demo' as const, seed: 1, real: null, out: root, root, started: '', seconds: 0,
    stages: [{ id: 'experiments' as const, title: '', status: 'done' as const, seconds: 0, executed: 0, cached: 0, runs: { 'pose-fraction': { dir: root, result: result as never }, 'component-ablation': { dir: root, result: result as never } } }] });
  const x = (p: { vars: Record<string, unknown> }) => ({ ...p, vars: { ...p.vars, poseFraction: p.vars.x, row: `x=${p.vars.x}` } });
  const noFit = sweepSaturationFigure(stage({ scale: 'demo', rows, points: flat.points!.map(x), saturation: [], saturationSkipped: flat.saturationSkipped }))!;
  const markers = noFit.fig.data.find((t) => t.mode === 'markers')!;
  assert.deepEqual((markers.y as number[]).map((v) => +v.toFixed(6)), flat.points!.map((p) => +(p.summary.mean / 10).toFixed(6)), 'the mean over seeds, in cm');
  assert.equal(noFit.fig.data.filter((t) => t.fill === 'tonexty').length, 0, 'no fitted curve where the points do not separate');
  assert.match(figureProvenance(noFit).note ?? '', /6 of 6 scores not below their constant pose \(no signal\); no saturation fit$/);
  const good = await report(40, 'demo');
  const fitted = sweepSaturationFigure(stage({ scale: 'demo', rows, points: good.points!.map(x), saturation: good.saturation }))!;
  assert.equal(fitted.fig.data.filter((t) => t.fill === 'tonexty').length, 1, 'the report\'s fit, with its band');
  assert.equal(figureProvenance(fitted).note, undefined, 'every point below its constant pose');
  const ab = sweepAblationFigure(stage({ scale: 'demo', rows, points: good.points!.map(x) }), [])!;
  assert.equal((ab.fig.data[0].y as number[]).length, 6, 'one bar per point, not per seed');
  fs.rmSync(root, { recursive: true, force: true });
});

test('one verdict for an evaluation, in the summary and in the figures: the paired ratio interval decides where there is one', () => {
  // the demo synthetic arm of round 10: its own interval reaches above the constant pose, the paired ratio's does not
  const r = { paMpjpeMm: 21.24, n: 30, paMpjpeInterval: { low: 20.1, high: 22.5 }, constantPose: { paMpjpeMm: 22.43 }, ratioToConstantPose: { paMpjpe: 0.947, paMpjpeInterval: { low: 0.896, high: 0.997 } } };
  assert.equal(belowConstantPose(seedScoreOfEvaluation(1, r)), true);
  assert.equal(belowConstantPose(seedScoreOfEvaluation(1, { ...r, ratioToConstantPose: { paMpjpe: 0.97, paMpjpeInterval: { low: 0.93, high: 1.01 } } })), false);
  // without a ratio interval, the score's own interval against the constant pose
  const { ratioToConstantPose: _, ...noRatio } = r;
  assert.equal(belowConstantPose(seedScoreOfEvaluation(1, noRatio)), false);
  assert.equal(belowConstantPose(seedScoreOfEvaluation(1, { ...noRatio, paMpjpeInterval: { low: 20.1, high: 22.0 } })), true);
});

test('arm contrasts: paired ratio of an arm to the real arm on the same frames, its interval decides lower / higher / no separation', () => {
  const real = Array.from({ length: 30 }, (_, i) => 15 + (i % 7));
  // one seed: mixed 1.25× real on every frame (the ratio's bootstrap interval collapses there), synthetic equal up to noise around it
  const one = armContrast({ real: { 1: real }, mixed: { 1: real.map((x) => 1.25 * x) } }, 'mixed', 'real');
  assert.ok(one && Math.abs(one.ratio - 1.25) < 1e-12 && one.interval!.low > 1, JSON.stringify(one));
  assert.equal(one!.verdict, 'mixed higher than real');
  const noisy = armContrast({ real: { 1: real }, synthetic: { 1: real.map((x, i) => x + (i % 2 ? 3 : -3)) } }, 'synthetic', 'real');
  assert.ok(noisy!.interval!.low < 1 && noisy!.interval!.high > 1);
  assert.equal(noisy!.verdict, 'synthetic and real do not separate');
  // several seeds: the t-interval over the per-seed ratios; only seeds both arms have count
  const several = armContrast({ real: { 1: real, 2: real, 3: real, 4: real }, mixed: { 1: real.map((x) => 0.9 * x), 2: real.map((x) => 0.92 * x), 3: real.map((x) => 0.91 * x) } }, 'mixed', 'real');
  assert.deepEqual(several!.seeds, [1, 2, 3]);
  assert.ok(Math.abs(several!.ratio - 0.91) < 1e-9 && several!.interval!.high < 1);
  assert.equal(several!.verdict, 'mixed lower than real');
  // frames that do not pair (different counts) give no contrast; a smoke run is a plumbing check
  assert.equal(armContrast({ real: { 1: real }, mixed: { 1: real.slice(1) } }, 'mixed', 'real'), null);
  assert.equal(armContrast({ real: { 1: real }, mixed: { 1: real } }, 'mixed', 'real', { plumbing: true })!.verdict, 'plumbing check: no signal at this scale');
});

test('ablation contrasts: each row minus the full recipe, paired by seed; the t-interval over seeds decides', async () => {
  // seeds move both rows alike: neither separates from the other by its own interval, the pairing does
  const full = { seeds: [1, 2, 3], values: [21.1, 21.5, 22.3] };
  const lower = contrastBySeed({ seeds: [3, 1, 2], values: [20.9, 18.9, 19.7] }, full);
  assert.deepEqual(lower.seeds, [3, 1, 2]);
  assert.deepEqual(lower.differences.map((d) => +d.toFixed(2)), [-1.4, -2.2, -1.8], 'paired by seed, not by position');
  assert.ok(lower.separates && lower.interval!.high < 0);
  assert.equal(lower.verdict, 'lower error than the reference');
  const same = contrastBySeed({ seeds: [1, 2, 3], values: [21.5, 21.2, 22.6] }, full);
  assert.equal(same.verdict, 'does not separate from the reference');
  assert.equal(contrastBySeed({ seeds: [1, 9], values: [20, 30] }, full).verdict, 'one shared seed: no interval, no verdict');
  assert.throws(() => contrastBySeed({ seeds: [9], values: [20] }, full), /share no seed/);
  // in the report: the row with every component on is the reference unless the declaration names one
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-ablation-'));
  const abl: StepKind = defineKind({ name: 'f-abl', version: 1, summary: 'test', config: z.strictObject({ row: z.string(), seed: z.number() }), async run({ row, seed }) {
    const pa = 20 + seed * 0.7 + (row === 'no aug' ? -1.5 : 0) + (row === 'no arm' ? 0.5 + 0.05 * seed : 0);
    return { paMpjpeMm: pa, n: 30, constantPose: { paMpjpeMm: 22 }, bestMatch: { paMpjpeMm: 10 }, ratioToConstantPose: { paMpjpe: pa / 22 } };
  } });
  const d = parseExperiment({ name: 'abl', seed: 1, scales: { smoke: { seeds: [1] }, demo: { seeds: [1, 2, 3] }, study: { seeds: [1] }, paper: { seeds: [1] } },
    points: [{ row: 'no arm', arm: false, amplitudeAug: true, object: true }, { row: 'no aug', arm: true, amplitudeAug: false, object: true }, { row: 'full', arm: true, amplitudeAug: true, object: true }], sweep: { seed: '$scale.seeds' },
    steps: [{ id: 'e', kind: 'f-abl', config: { row: '$sweep.row', seed: '$sweep.seed' } }],
    collect: { step: 'e', fields }, report: { type: 'ablation', name: 'row', y: 'paMpjpeMm', replicate: 'seed' } }, 'abl.json', ['f-abl']);
  try {
    const exp = resolveExperiment(d, 'demo', { version: () => 1 });
    await runExperiment(exp, { kinds: [abl], root: tmp, log: () => {} });
    const rows = collectResults(exp, 'e', fields, tmp);
    const out = await writeExperimentReport(exp, d.report, rows, fields, path.join(tmp, 'tables'), 1, { png: false });
    assert.deepEqual(out.tables.contrasts.rows.map((r) => [r[0], r[1], r.at(-1)]), [['no arm', 'full', 'higher error than the reference'], ['no aug', 'full', 'lower error than the reference']]);
    assert.ok(fs.existsSync(path.join(tmp, 'tables', 'contrasts.md')));
    assert.deepEqual(out.contrasts!.map((c) => [c.row, c.reference, c.contrast.separates]), [['no arm', 'full', true], ['no aug', 'full', true]], 'the same contrasts, structured, for the summary');
    // at smoke scale the same numbers are plumbing
    const smoke = resolveExperiment(d, 'smoke', { version: () => 1 });
    await runExperiment(smoke, { kinds: [abl], root: tmp, log: () => {} });
    const sOut = await writeExperimentReport(smoke, d.report, collectResults(smoke, 'e', fields, tmp), fields, path.join(tmp, 'smoke'), 1, { png: false });
    assert.ok(sOut.contrasts!.every((c) => c.contrast.verdict.startsWith('plumbing check')));
    await assert.rejects(writeExperimentReport(exp, { ...d.report!, reference: 'nope' }, rows, fields, path.join(tmp, 't2'), 1, { png: false }), /report.reference.*no row named "nope"/);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
