import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  amplitudeSpectrumFigure, saturationFigure, ablationBarsFigure, ratioBarsFigure, pckFigure, pckAuc,
  errorVsOcclusionFigure, poseProjectionFigure, trainingCurvesFigure,
} from '../../lib/plot/figures.ts';
import { axisTitle, DOMAIN_COLOURS, FONT_FAMILY } from '../../lib/plot/style.ts';
import { InputError } from '../../lib/util/errors.ts';
import type { PlotlyFigure } from '../../lib/plot/style.ts';

/** Every axis of a figure has a title with a unit in parentheses (categorical axes: a title), and the print font is set. */
function assertPrintStyle(fig: PlotlyFigure): void {
  const axes = Object.entries(fig.layout).filter(([k]) => /^[xy]axis\d*$/.test(k));
  assert.ok(axes.length >= 2);
  for (const [k, a] of axes) assert.match(String((a as { title: { text: string } }).title.text), (a as { type?: string }).type === 'category' ? /\S/ : /\(.+\)$/, `${k} has a unit`);
  assert.equal((fig.layout.font as { family: string }).family, FONT_FAMILY);
  JSON.stringify(fig); // plain data: serialisable
}

test('amplitude spectrum: two log panels, real and synthetic in their domain colours', () => {
  const f = [0.01, 0.1, 0.3];
  const fig = amplitudeSpectrumFigure({ frequency: f, series: [{ name: 'real', mean: [3, 2, 1], variance: [9, 4, 1] }, { name: 'synthetic', mean: [3, 2, 1], variance: [5, 2, 0.5] }] });
  assertPrintStyle(fig);
  assert.equal(fig.data.length, 4);
  assert.equal((fig.layout.yaxis as { type: string }).type, 'log');
  assert.equal((fig.layout.yaxis2 as { type: string }).type, 'log');
  assert.equal((fig.data[0].line as { color: string }).color, DOMAIN_COLOURS.real);
  assert.equal((fig.data[2].line as { color: string }).color, DOMAIN_COLOURS.synthetic);
  assert.throws(() => amplitudeSpectrumFigure({ frequency: f, series: [{ name: 'real', mean: [1, 2], variance: [1, 2, 3] }] }), (e: Error) => e instanceof InputError && /series\[0\] \(real\).*mean has 2 values, expected 3/.test(e.message));
  assert.throws(() => amplitudeSpectrumFigure({ frequency: f, series: [{ name: 'real', mean: [1, NaN, 2], variance: [1, 2, 3] }] }), /mean\[1\] is NaN/);
});

test('saturation: points with asymmetric intervals, fit with band, reference line', () => {
  const fig = saturationFigure({
    xLabel: 'real poses used', xUnit: '%', yLabel: 'PA-MPJPE', yUnit: 'cm', references: [{ y: 0.99, label: 'real' }],
    series: [{ name: 'synthetic', x: [10, 50], y: [1.2, 1.0], yLo: [1.1, 0.95], yHi: [1.25, 1.1], fit: { x: [10, 30, 50], y: [1.2, 1.05, 1.0], lo: [1.1, 1, 0.9], hi: [1.3, 1.1, 1.1] } }],
  });
  assertPrintStyle(fig);
  assert.equal(fig.data.length, 4); // band (2) + fit + points
  assert.equal(fig.data[1].fill, 'tonexty');
  const ey = fig.data[3].error_y as { array: number[]; arrayminus: number[] };
  assert.deepEqual(ey.array.map((v) => +v.toFixed(3)), [0.05, 0.1]);
  assert.deepEqual(ey.arrayminus.map((v) => +v.toFixed(3)), [0.1, 0.05]);
  assert.equal((fig.layout.shapes as { y0: number }[])[0].y0, 0.99);
});

test('ablation and ratio bars: values, labels and ratios', () => {
  const ab = ablationBarsFigure({ rows: [{ label: 'full', values: [1.02, 0.87] }, { label: 'no arm', values: [1.07, 0.9] }], groups: ['SynFrei', 'SynDex'], metric: 'PA-MPJPE', unit: 'cm', highlight: 'full' });
  assertPrintStyle(ab);
  assert.deepEqual(ab.data[1].y, [0.87, 0.9]);
  assert.deepEqual(ab.data[0].text, ['1.02', '1.07']);
  assert.equal((ab.data[0].x as string[])[0], '<b>full</b>');
  assert.throws(() => ablationBarsFigure({ rows: [{ label: 'x', values: [1] }], groups: ['a', 'b'], metric: 'm', unit: 'cm' }), /rows\[0\] \(x\).*1 values for 2 groups/);
  // group colours: given ones (e.g. each arm's domain colour) replace the palette's order; a wrong count is an error naming the field
  const coloured = ablationBarsFigure({ rows: [{ label: 'x', values: [1, 2] }], groups: ['synthetic arm', 'real arm'], groupColours: ['#D55E00', '#0072B2'], metric: 'm', unit: 'cm' });
  assert.deepEqual(coloured.data.map((t) => (t.marker as { color: string }).color), ['#D55E00', '#0072B2']);
  assert.throws(() => ablationBarsFigure({ rows: [{ label: 'x', values: [1, 2] }], groups: ['a', 'b'], groupColours: ['#000'], metric: 'm', unit: 'cm' }), /groupColours.*1 colours for 2 groups/);
  const r = ratioBarsFigure({ methods: [{ name: 'S2HAND', real: 0.99, synthetic: 1.02 }, { name: 'simpleHand', real: 0.65, synthetic: 0.77 }], metric: 'PA-MPJPE', unit: 'cm' });
  assertPrintStyle(r);
  assert.deepEqual((r.layout.annotations as { text: string }[]).map((a) => a.text), ['97%', '84%']);
  assert.throws(() => ratioBarsFigure({ methods: [{ name: 'bad', real: 0, synthetic: 1 }], metric: 'm', unit: 'cm' }), /methods\[0\] \(bad\)/);
});

test('PCK: AUC by trapezoids in the legend, y in %, fractions validated', () => {
  assert.equal(pckAuc([0, 10, 20], [0, 0.5, 1]), 0.5);
  assert.equal(pckAuc([20, 50], [1, 1]), 1);
  const fig = pckFigure({ series: [{ name: 'real', thresholdsMm: [20, 35, 50], pck: [0.5, 0.8, 1] }] });
  assertPrintStyle(fig);
  assert.match(String(fig.data[0].name), /AUC 0\.775/);
  assert.deepEqual(fig.data[0].y, [50, 80, 100]);
  assert.ok((fig.layout.legend as { x: number; xanchor: string }).x > 1, 'the legend right of the plot, off the curves');
  assert.throws(() => pckFigure({ series: [{ name: 'x', thresholdsMm: [1, 2], pck: [0.5, 50] }] }), /pck\[1\].*fraction/);
});

test('error vs occlusion level: series side by side per level, intervals as error bars, a too-few level open and labelled', () => {
  const levels = [{ label: '1–2', n: 12 }, { label: '3–5', n: 9 }, { label: '6–10', n: 2, tooFew: true }];
  const fig = errorVsOcclusionFigure({
    levels, metric: 'PA-MPJPE', unit: 'cm', levelLabel: 'occluded joints', levelUnit: 'of 20',
    series: [{ name: 'real', mean: [1, 2, 3], low: [0.8, 1.5, null], high: [1.3, 2.6, null] }, { name: 'constant pose', mean: [2, 2, null], low: [1.9, 1.8, null], high: [2.1, 2.2, null] }],
  });
  assertPrintStyle(fig);
  // two series offset either side of each level's position; the constant pose has no value at the third level
  const r6 = (v: unknown) => (v as number[]).map((x) => Number(x.toFixed(6)));
  assert.deepEqual(r6(fig.data[0].x), [-0.07, 0.93, 1.93]);
  assert.deepEqual(r6(fig.data[1].x), [0.07, 1.07]);
  const ey = fig.data[0].error_y as { array: number[]; arrayminus: number[] };
  assert.deepEqual(r6(ey.array), [0.3, 0.6, 0]);
  assert.deepEqual(r6(ey.arrayminus), [0.2, 0.5, 0]);
  assert.deepEqual((fig.data[0].marker as { symbol: string[] }).symbol, ['circle', 'circle', 'circle-open']);
  const ticks = (fig.layout.xaxis as { ticktext: string[] }).ticktext;
  assert.match(ticks[2], /n=2.*too few/);
  assert.doesNotMatch(ticks[0], /too few/);
  assert.throws(() => errorVsOcclusionFigure({ levels, metric: 'e', unit: 'cm', levelLabel: 'l', levelUnit: 'u', series: [{ name: 'a', mean: [1, 2] }] }), /series\[0\] \(a\)\.mean/);
});

test('pose projection and training curves', () => {
  const p = poseProjectionFigure({ sets: [{ name: 'real', points: [[0, 1], [2, 3]] }, { name: 'synthetic', points: [[1, 1]] }] });
  assertPrintStyle(p);
  assert.equal(p.data[0].name, 'real (n=2)');
  assert.throws(() => poseProjectionFigure({ sets: [{ name: 'a', points: [[0, 1, 2]] }] }), /sets\[0\]\.points\[0\]/);
  const t = trainingCurvesFigure({ series: [{ name: 'synthetic', step: [0, 1], value: [2, 1] }, { name: 'synthetic', step: [1], value: [1.5], split: 'val' }], yLabel: 'loss', yUnit: 'cm²', yLog: true });
  assertPrintStyle(t);
  assert.equal((t.data[1].line as { dash: string }).dash, 'dash');
  assert.equal((t.data[0].line as { color: string }).color, (t.data[1].line as { color: string }).color, 'same run, same colour');
  // another seed of an arm: drawn pale in that arm's colour, kept out of the legend
  const seeds = trainingCurvesFigure({ series: [{ name: 'real', step: [1, 2], value: [2, 1], split: 'val' }, { name: 'mixed', step: [1, 2], value: [3, 2], split: 'val' }, { name: 'real, seed 2', step: [1, 2], value: [2.1, 1.2], colourOf: 'real', faint: true }], yLabel: 'PA-MPJPE', yUnit: 'cm' });
  const [real, mixed, pale] = seeds.data as { line: { color: string; width: number }; showlegend?: boolean; opacity?: number }[];
  assert.equal(pale.line.color, real.line.color, 'the seed in its arm\'s colour');
  assert.notEqual(mixed.line.color, real.line.color);
  assert.equal(pale.showlegend, false);
  assert.ok(pale.opacity! < 1 && pale.line.width < real.line.width, 'pale and thin');
  assert.throws(() => trainingCurvesFigure({ series: [{ name: 'real, seed 2', step: [1], value: [1], colourOf: 'real' }], yLabel: 'x', yUnit: 'cm' }), /series\[0\] \(real, seed 2\).*colourOf "real" names no series/);
  assert.throws(() => axisTitle('error', ''), /needs a unit/);
});

test('style: one colour per domain from names or explicit domains; log ticks written out; provenance under the figure', async () => {
  const { domainOf, seriesColour, withProvenance, DOMAIN_COLOURS: C } = await import('../../lib/plot/style.ts');
  assert.equal(domainOf('real (hgc-dev)'), 'real');
  assert.equal(domainOf('synthetic'), 'synthetic');
  assert.equal(domainOf('synthetic + amplitude mix'), 'synthetic+augmentation');
  assert.equal(domainOf('mixed'), 'mixed');
  assert.equal(domainOf('VAE loss'), null);
  assert.equal(new Set(Object.values(C)).size, 4, 'four distinct domain colours');
  assert.equal(seriesColour('anything', 0, 'synthetic+augmentation'), C['synthetic+augmentation']);
  // 1–2 decades: full numbers at 1, 2, 5 × 10^k (not "2, 10, 5, 2")
  const { logTicks } = await import('../../lib/plot/figures.ts');
  assert.deepEqual(logTicks([2.1, 9, 40]), { tickvals: [2, 5, 10, 20, 50], ticktext: ['2', '5', '10', '20', '50'] });
  // under a decade: evenly on the log scale, the lower part labelled too (a loss falling from 2.1 to 0.55)
  assert.deepEqual(logTicks([2.1, 1.5, 0.55]).tickvals, [0.6, 0.8, 1, 1.5, 2]);
  // a narrow range: evenly stepped values, at least three
  assert.deepEqual(logTicks([1.6, 2.7]).tickvals, [1.6, 1.8, 2, 2.2, 2.4, 2.6]);
  const fig = { data: [], layout: { height: 320, margin: { l: 58, r: 12, t: 12, b: 46 } } };
  const smoke = withProvenance(fig, { scale: 'smoke', seeds: [1, 2], testSet: 'hgc-dev' });
  const note = (smoke.layout.annotations as { text: string }[])[0].text;
  assert.equal(note, 'test set: hgc-dev · scale: smoke · seeds: 1, 2 · plumbing check: no signal at this scale');
  assert.equal(smoke.layout.height, 320 + 8 + 13);
  assert.equal(withProvenance(fig, {}), fig, 'nothing to say, figure unchanged');
});

test('study figures: spectrum ratio panel (synthetic ÷ real, interval band), ablation with intervals beside the study, bone offsets', async () => {
  const { boneOffsetsFigure } = await import('../../lib/plot/figures.ts');
  const f = [0.1, 0.2, 0.3];
  const real = { name: 'real (hgc-dev)', mean: [3, 2, 1], variance: [8, 4, 2], varianceLo: [6, 3, 1.5], varianceHi: [10, 5, 2.5] };
  const syn = { name: 'synthetic', mean: [3, 2, 1], variance: [4, 4, 4], varianceLo: [3, 3, 3], varianceHi: [5, 5, 5] };
  const sp = amplitudeSpectrumFigure({ frequency: f, series: [real, syn], ratioPanel: true });
  assertPrintStyle(sp);
  const ratio = sp.data.filter((t) => t.yaxis === 'y3');
  assert.deepEqual(ratio[ratio.length - 1].y, [0.5, 1, 2], 'synthetic ÷ real per frequency');
  assert.deepEqual(ratio[0].y, [5 / 6, 5 / 3, 5 / 1.5], 'band upper edge: synthetic hi ÷ real lo');
  assert.deepEqual(ratio[1].y, [3 / 10, 3 / 5, 3 / 2.5], 'band lower edge: synthetic lo ÷ real hi');
  assert.throws(() => amplitudeSpectrumFigure({ frequency: f, series: [syn], ratioPanel: true }), /needs a real series/);
  const ab = ablationBarsFigure({ rows: [{ label: 'full', values: [1.0] }, { label: 'no arm', values: [1.2] }], groups: ['hgc-dev'], metric: 'PA-MPJPE', unit: 'cm',
    intervals: [[{ lo: 0.9, hi: 1.1 }], [null]], reference: { label: 'study', values: [[0.87], [null]] } });
  assertPrintStyle(ab);
  assert.equal(ab.data.length, 2);
  assert.deepEqual((ab.data[0].error_y as { array: number[] }).array.map((v) => Number(v.toFixed(6))), [0.1, 0]);
  assert.deepEqual(ab.data[1].y, [0.87, null]);
  assert.equal(ab.data[1].name, 'hgc-dev (study)');
  const bo = boneOffsetsFigure({ bones: [{ bone: 'thumb_3→thumb_4', pct: -10 }, { bone: 'index_1→index_2', pct: 3 }], reference: 'real', candidate: 'synthetic' });
  assertPrintStyle(bo);
  assert.deepEqual(bo.data[0].y, ['index_1→index_2', 'thumb_3→thumb_4'], 'largest offset on top');
  assert.equal((bo.data[0].marker as { color: string }).color, DOMAIN_COLOURS.synthetic);
});
