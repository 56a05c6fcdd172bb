/**
 * The study's figures from our runs: the builders' new parts (ratio band from a bootstrap over images,
 * ablation baselines, reference lines, footer caveats) and the walkthrough's run-cache figures
 * (lib/walkthrough/figures-runs.ts) on a small run cache written here, so a wrong reading of the cache
 * (intervals, baselines, scale, test set, real share) fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { amplitudeSpectrumFigure, ablationBarsFigure, ratioBarsFigure, trainingCurvesFigure } from '../../lib/plot/figures.ts';
import { withProvenance } from '../../lib/plot/style.ts';
import { analyseSaturation, evalModel } from '../../lib/analysis/saturation.ts';
import { compareSpectra, SpectrumStats } from '../../lib/spectral/stats.ts';
import { Rng } from '../../lib/util/rng.ts';
import { sweepSaturationFigure, sweepAblationFigure, mixingCurveFigure, occlusionLevelFigure } from '../../lib/walkthrough/figures-runs.ts';
import { figureGroup, figureProvenance } from '../../lib/plot/registry.ts';
import type { WalkthroughResult } from '../../lib/walkthrough/walkthrough.ts';

test('spectrum ratio panel: the band is the per-frequency bootstrap interval of the ratio when given', () => {
  const f = [0.1, 0.2, 0.3];
  const real = { name: 'real', mean: [3, 2, 1], variance: [8, 4, 2] };
  const syn = { name: 'synthetic', mean: [3, 2, 1], variance: [4, 4, 4], ratioLo: [0.4, 0.9, 1.5], ratioHi: [0.6, 1.2, 2.5] };
  const fig = amplitudeSpectrumFigure({ frequency: f, series: [real, syn], ratioPanel: true });
  const r = fig.data.filter((t) => t.yaxis === 'y3');
  assert.equal(r.length, 3, 'band edges and the ratio line');
  assert.deepEqual(r[0].y, [0.6, 1.2, 2.5]);
  assert.deepEqual(r[1].y, [0.4, 0.9, 1.5]);
  assert.equal(r[1].fill, 'tonexty');
  assert.deepEqual(r[2].y, [0.5, 1, 2]);
  assert.throws(() => amplitudeSpectrumFigure({ frequency: f, series: [real, { ...syn, ratioLo: [1, 2] }], ratioPanel: true }), /ratioLo has 2 values, expected 3/);
});

test('compareSpectra: per-frequency ratio interval brackets the ratio and narrows with more images', () => {
  const rng = new Rng(3), H = 16, W = 16;
  const img = (amp: number) => { const d = new Uint8Array(H * W * 3); for (let i = 0; i < d.length; i++) d[i] = Math.floor(128 + (rng.random() - 0.5) * amp); return { data: d, width: W, height: H, channels: 3 }; };
  const run = (n: number) => {
    const A = new SpectrumStats(H, W, 3), B = new SpectrumStats(H, W, 3), sa: Float32Array[] = [], sb: Float32Array[] = [];
    for (let i = 0; i < n; i++) { sa.push(Float32Array.from(A.add(img(60), true)!)); sb.push(Float32Array.from(B.add(img(200), true)!)); }
    return compareSpectra({ reference: { stats: B, samples: sb }, candidate: { stats: A, samples: sa } }, { replicates: 60, seed: 1 });
  };
  const small = run(8), large = run(40);
  assert.ok(small.ratioInterval && large.ratioInterval);
  const k = 4;
  assert.ok(small.ratioInterval.lo[k] <= small.varianceRatio[k] && small.varianceRatio[k] <= small.ratioInterval.hi[k], 'interval brackets the ratio');
  assert.ok(large.ratioInterval.hi[k] < 0.5, `quieter candidate: ratio interval below 1 (${large.ratioInterval.hi[k]})`);
  const width = (c: typeof small) => c.ratioInterval!.hi[k] / c.ratioInterval!.lo[k];
  assert.ok(width(large) < width(small), `more images, narrower band (${width(large)} vs ${width(small)})`);
});

test('saturation: the fitted curve band brackets the fit and is seeded', () => {
  const xs = [0.1, 0.2, 0.4, 0.6, 1], ys = [40, 33, 30, 29.2, 29];
  const a = analyseSaturation(xs, ys, { seed: 7, replicates: 200, curveAt: [0.1, 0.5, 1] });
  const b = analyseSaturation(xs, ys, { seed: 7, replicates: 200, curveAt: [0.1, 0.5, 1] });
  assert.deepEqual(a.curveBand, b.curveBand, 'same seed, same band');
  a.curveBand!.x.forEach((x, i) => { const y = evalModel(a.fit, x); assert.ok(a.curveBand!.lo[i] <= y + 1e-9 && y <= a.curveBand!.hi[i] + 1e-9, `band at ${x}: ${a.curveBand!.lo[i]} ≤ ${y} ≤ ${a.curveBand!.hi[i]}`); });
  assert.equal(analyseSaturation(xs, ys, { seed: 7, replicates: 20 }).curveBand, undefined);
});

test('ablation baselines, ratio reference lines, legend beside the plot, footer caveats on a second line', () => {
  const ab = ablationBarsFigure({ rows: [{ label: 'full', values: [2.7] }, { label: 'no arm', values: [2.9] }], groups: ['PA-MPJPE'], metric: 'PA-MPJPE', unit: 'cm',
    baselines: [{ label: 'constant pose', values: [2.3, 2.31] }, { label: 'best-match oracle', values: [1.1, null] }] });
  const bl = ab.data.filter((t) => t.type === 'scatter');
  assert.deepEqual(bl.map((t) => t.name), ['constant pose', 'best-match oracle']);
  assert.deepEqual(bl[1].y, [1.1, null]);
  assert.throws(() => ablationBarsFigure({ rows: [{ label: 'a', values: [1] }], groups: ['x'], metric: 'm', unit: 'cm', baselines: [{ label: 'c', values: [1, 2] }] }), /baselines\[0\] \(c\).*2 values, expected 1/);
  const rb = ratioBarsFigure({ methods: [{ name: 'ours', real: 2, synthetic: 2.4 }], metric: 'PA-MPJPE', unit: 'cm', references: [{ y: 2.15, label: 'constant pose' }, { y: 3, label: 'x' }] });
  assert.equal((rb.layout.shapes as unknown[]).length, 2);
  assert.ok(((rb.layout.yaxis as { range: number[] }).range[1]) >= 3, 'a reference above the bars stays in range');
  const tc = trainingCurvesFigure({ series: [{ name: 'real', step: [1, 2], value: [2, 1], split: 'val' }, { name: 'real: constant pose', step: [1, 2], value: [2, 2], dash: 'dot' }], yLabel: 'PA-MPJPE', yUnit: 'cm', legend: 'right', size: 'wide' });
  assert.ok((tc.layout.legend as { x: number }).x > 1, 'legend outside the data, right of the plot');
  assert.equal((tc.data[1].line as { dash: string }).dash, 'dot');
  const long = withProvenance({ data: [], layout: { width: 480, height: 320 } }, { scale: 'smoke', seeds: [7], testSet: 'hgc-dev, held-out frames (n=32)', note: 'no signal at this scale: 5 of 5 scores not below their constant pose' });
  const text = (long.layout.annotations as { text: string }[])[0].text;
  const lines = text.split('<br>');
  assert.ok(lines.length >= 2 && lines.every((l) => l.length * 5.2 <= 480 - 12), `lines fit the width: ${JSON.stringify(lines)}`);
  assert.equal(lines.join(' · '), 'test set: hgc-dev, held-out frames (n=32) · scale: smoke · seed: 7 · plumbing check: no signal at this scale · no signal at this scale: 5 of 5 scores not below their constant pose');
  assert.equal(long.layout.height, 320 + 8 + 13 * lines.length);
});

// ---------------------------------------------------------------------------------------------------
function evalRun(root: string, key: string, pa: number, lo: number, hi: number, cp: number, bm: number): void {
  fs.mkdirSync(path.join(root, `evaluate-${key}`), { recursive: true });
  fs.writeFileSync(path.join(root, `evaluate-${key}`, 'result.json'), JSON.stringify({ key, kind: 'evaluate', result: {
    n: 32, paMpjpeMm: pa, testDir: '/data/real/hgc-dev', paMpjpeInterval: { mean: pa, low: lo, high: hi, n: 32, method: 'bootstrap' }, constantPose: { paMpjpeMm: cp }, bestMatch: { paMpjpeMm: bm } } }));
}

test('walkthrough run figures: sweep saturation and ablation read each row\'s evaluation (interval, baselines) and keep the sweep\'s scale; mixing puts arms at their real share', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-figruns-'));
  try {
    const fr = [0.1, 0.2, 0.4, 0.6, 1], pa = [35, 31, 29, 28.5, 28.2];
    fr.forEach((f, i) => evalRun(root, `pf${i}`, pa[i], pa[i] - 1, pa[i] + 0.5, 30, 12));
    ['(i) No Arm', '(v) Full'].forEach((row, i) => evalRun(root, `ab${i}`, 27 + i, 26 + i, 28.5 + i, 23, 11));
    evalRun(root, 'syn', 24, 23, 25, 21.5, 12.6); evalRun(root, 'real', 20, 19, 21, 21.4, 12.7); evalRun(root, 'mix', 19, 18, 20, 21.5, 12.6);
    const rowsPf = fr.map((f, i) => ({ point: i, vars: { poseFraction: f, testSet: 'hgc-dev' }, key: `pf${i}`, values: { paMpjpeMm: pa[i] } }));
    const rowsAb = ['(i) No Arm', '(v) Full'].map((row, i) => ({ point: i, vars: { row, testSet: 'hgc-dev' }, key: `ab${i}`, values: { paMpjpeMm: 27 + i } }));
    const er = (key: string) => JSON.parse(fs.readFileSync(path.join(root, `evaluate-${key}`, 'result.json'), 'utf8')).result;
    const res: WalkthroughResult = { scale: 'demo', seed: 2025, real: '/data/real/hgc-dev', out: root, root, started: '', seconds: 0, stages: [
      { id: 'experiments', title: '', status: 'done', seconds: 0, executed: 0, cached: 0, runs: {
        'pose-fraction': { dir: root, result: { scale: 'smoke', rows: rowsPf, saturation: [{ group: 'testSet=hgc-dev', report: { fit: { model: 'exp' }, bootstrap: { replicates: 100, seed: 7 } } }] } as never },
        'component-ablation': { dir: root, result: { scale: 'smoke', rows: rowsAb } as never },
      } },
      { id: 'train', title: '', status: 'done', seconds: 0, executed: 0, cached: 0, runs: {
        'train-synthetic': { dir: root, result: { train: [{ path: '/runs/render/data', indices: Array.from({ length: 240 }, (_, i) => i) }] } },
        'train-real': { dir: root, result: { train: [{ path: '/data/real/hgc-dev', indices: Array.from({ length: 240 }, (_, i) => i) }] } },
        'train-mixed': { dir: root, result: { train: [{ path: '/runs/render/data', indices: Array.from({ length: 80 }, (_, i) => i) }, { path: '/data/real/hgc-dev', indices: Array.from({ length: 240 }, (_, i) => i) }] } },
        'eval-synthetic': { dir: root, result: er('syn') }, 'eval-real': { dir: root, result: er('real') }, 'eval-mixed': { dir: root, result: er('mix') },
      } },
    ] };
    const sat = sweepSaturationFigure(res)!;
    assert.equal(figureGroup(sat), 'demo', 'a sweep of the demo walkthrough goes to figures/demo/ ...');
    const prov = figureProvenance(sat);
    assert.equal(prov.scale, 'smoke (sweep of the demo walkthrough)', '... and its footer names the sweep\'s own scale');
    assert.match(String((withProvenance(sat.fig, prov).layout.annotations as { text: string }[]).at(-1)!.text), /plumbing check: no signal at this scale/);
    assert.equal(prov.testSet, 'hgc-dev, held-out frames (n=32)');
    assert.match(prov.note ?? '', /2 of 5 scores not below their constant pose/, 'the first two points (intervals up to 35.5 and 31.5 mm) are not below the constant pose (30 mm)');
    const pts = sat.fig.data.find((t) => t.mode === 'markers')!;
    assert.deepEqual(pts.x, [10, 20, 40, 60, 100]);
    assert.deepEqual((pts.error_y as { array: number[] }).array.map((v) => Number(v.toFixed(6))), [0.05, 0.05, 0.05, 0.05, 0.05], 'upper interval from the row\'s evaluation, in cm');
    const band = sat.fig.data.filter((t) => t.fill === 'tonexty');
    assert.equal(band.length, 1, 'fitted curve band');
    assert.equal(Math.min(...(band[0].x as number[])), 10, 'curve not extrapolated below the smallest fraction');
    assert.deepEqual((sat.fig.layout.shapes as { y0: number }[]).map((s) => s.y0), [3, 1.2], 'constant pose and best match (cm)');
    const yr = (sat.fig.layout.yaxis as { range: number[] }).range;
    assert.ok(yr[0] < 1.2 && yr[1] > 3.55, `y range ${yr} holds the best match (1.2 cm) and the top interval (3.55 cm)`);

    const ab = sweepAblationFigure(res, [{ row: '(v) Full', synFreiCm: 1.02 }])!;
    assert.equal(figureGroup(ab), 'demo');
    assert.equal(figureProvenance(ab).scale, 'smoke (sweep of the demo walkthrough)');
    assert.deepEqual(ab.fig.data.find((t) => String(t.name).includes('study'))!.y, [null, 1.02]);
    assert.deepEqual(ab.fig.data.filter((t) => t.type === 'scatter').map((t) => t.y), [[2.3, 2.3], [1.1, 1.1]]);
    assert.match(figureProvenance(ab).note ?? '', /2 of 2 scores not below/);
    // a study-scale run's figures go to figures/study/ beside the study's reported numbers, and keep their footer
    const abStudy = sweepAblationFigure({ ...res, scale: 'study' }, [{ row: '(v) Full', synFreiCm: 1.02 }])!;
    assert.equal(figureGroup(abStudy), 'study');
    assert.equal(figureProvenance(abStudy).scale, 'smoke (sweep of the study walkthrough)');
    assert.match(figureProvenance(abStudy).note ?? '', /2 of 2 scores not below/);

    const mix = mixingCurveFigure(res)!;
    assert.equal(figureGroup(mix), 'demo');
    const model = mix.fig.data[0];
    assert.deepEqual(model.x, [0, 75, 100], 'real share: synthetic 0, mixed 240/(240+80), real 1');
    assert.deepEqual(model.y, [2.4, 1.9, 2]);
    assert.match(figureProvenance(mix).note ?? '', /1 of 3 scores not below/, 'only synthetic (interval up to 25 mm, constant pose 21.5) does not separate');
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
});

test('error by occlusion level: the prior stage\'s refine-<arm> per-frame records binned, constant pose in every level, too-few levels flagged', () => {
  // 12 frames: 6 with 1–2 joints under the occluder, 4 with 3–5, 2 with 6–10 (too few for an interval)
  const occ = [1, 2, 1, 2, 1, 2, 3, 4, 5, 3, 7, 8];
  const perFrame = occ.map((k, i) => ({ index: 270 + i, occludedJoints: k, occludedFraction: k / 20, paMpjpeMm: 10 + 2 * k, cleanPaMpjpeMm: 12, constantPosePaMpjpeMm: 20 }));
  const prior = { id: 'prior', title: '', status: 'done', seconds: 0, executed: 0, cached: 1, runs: {
    prior: { dir: '/x/prior', result: {} },
    'refine-real': { dir: '/x/refine', result: { seed: 1, frames: 12, estimator: { model: '/x/ckpt', perFrame } } },
  } };
  const res = { scale: 'demo', seed: 2025, real: '/data/real/hgc-dev', out: '/x', root: '/x', started: '', seconds: 0, split: { testBlocks: [[270, 299]], gap: 10 }, stages: [prior] } as unknown as WalkthroughResult;
  const f = occlusionLevelFigure(res)!;
  assert.equal(f.name, 'walkthrough-error-by-occlusion');
  const byName = Object.fromEntries(f.fig.data.map((t) => [t.name, t]));
  assert.deepEqual(Object.keys(byName), ['real-trained, occluded', 'real-trained, no occluder', 'constant pose']);
  // cm; occluded error 1 + 0.2·k: 1–2 joints mean k 1.5 → 1.3 cm, 3–5 mean k 3.75 → 1.75 cm, 6–10 mean k 7.5 → 2.5 cm
  assert.deepEqual((byName['real-trained, occluded'].y as number[]).map((v) => Number(v.toFixed(6))), [1.3, 1.75, 2.5]);
  assert.deepEqual(byName['constant pose'].y, [2, 2, 2]);
  const levels = (f.meta.data as { levels: { n: number; tooFew: boolean }[] }).levels;
  assert.deepEqual(levels.map((l) => [l.n, l.tooFew]), [[6, false], [4, true], [2, true], [0, true]]);
  assert.match((f.fig.layout.xaxis as { ticktext: string[] }).ticktext[1], /n=4.*too few/);
  assert.match(f.meta.testSet!, /hgc-dev frames 270–299 with a pasted occluder \(n=12/);
  assert.equal(f.meta.note, undefined, 'below the constant pose where there is an interval');
  // a model above the constant pose is flagged in the footer
  perFrame.forEach((p) => { p.paMpjpeMm = 30; });
  assert.match(occlusionLevelFigure(res)!.meta.note!, /real-trained model on occluded images not below the constant pose at 1 of 1 levels/);
  // no refine run: no figure
  assert.equal(occlusionLevelFigure({ ...res, stages: [{ ...prior, runs: { prior: prior.runs.prior } }] } as unknown as WalkthroughResult), null);
});
