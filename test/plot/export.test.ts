// Real export through the Debian chromium (one browser for the file), real sharp compositing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { projectRoot } from '../../lib/util/paths.ts';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FigureExporter } from '../../lib/plot/export.ts';
import { ratioBarsFigure } from '../../lib/plot/figures.ts';
import { figure, writeFigure, configHash, stableStringify } from '../../lib/plot/registry.ts';
import { figureHtml } from '../../lib/plot/display.ts';
import { imageGrid } from '../../lib/plot/grid.ts';
import { projectPoints } from '../../lib/plot/joints2d.ts';
import { FINGER_COLOURS } from '../../lib/plot/style.ts';
import { loadProducers, exportRegisteredFigures } from '../../lib/plot/producers.ts';

let ex: FigureExporter;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-plot-'));
before(async () => { ex = await FigureExporter.launch(); });
after(async () => { await ex.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

const fig = ratioBarsFigure({ methods: [{ name: 'S2HAND', real: 0.99, synthetic: 1.02 }, { name: 'CMR', real: 0.77, synthetic: 0.85 }], metric: 'PA-MPJPE', unit: 'cm' });

test('PNG is 2x the layout size and not blank; SVG has the axis text; PDF is a one-page PDF', { timeout: 60_000 }, async () => {
  const png = await ex.png(fig);
  const meta = await sharp(png).metadata();
  assert.equal(meta.width, 2 * Number(fig.layout.width));
  assert.equal(meta.height, 2 * Number(fig.layout.height));
  const st = await sharp(png).stats();
  assert.ok(st.channels[0].min < 50 && st.channels[0].max > 200, 'has dark ink on white');
  const svg = await ex.svg(fig);
  assert.match(svg, /^<svg/);
  assert.match(svg, /PA-MPJPE \(cm\)/);
  assert.match(svg, /97%/);
  const pdf = await ex.pdf(fig, svg);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1);
});

test('writeFigure writes png/svg/pdf and a sidecar with data, config and input hashes; same figure, same bytes', { timeout: 90_000 }, async () => {
  const input = path.join(tmp, 'results.json');
  fs.writeFileSync(input, '{"x":1}');
  const f = figure('test-ratio', fig, { data: { a: 1 }, config: { scale: 'smoke', seed: 3 }, sources: [input] });
  const s = await writeFigure(ex, f, tmp);
  const files = ['png', 'svg', 'pdf', 'json'].map((ext) => path.join(tmp, `test-ratio.${ext}`));
  for (const file of files) assert.ok(fs.existsSync(file), file);
  const bytes = files.map((file) => fs.readFileSync(file));
  const side = JSON.parse(fs.readFileSync(path.join(tmp, 'test-ratio.json'), 'utf8'));
  assert.equal(side.scale, 'smoke');
  assert.equal(side.created, undefined, 'no timestamp');
  assert.deepEqual(side.inputs, [{ file: path.relative(projectRoot, input), sha256: createHash('sha256').update('{"x":1}').digest('hex') }]);
  // a second export of the same figure changes no byte (plotly's random SVG ids and chromium's PDF dates are fixed)
  await writeFigure(ex, figure('test-ratio', fig, { data: { a: 1 }, config: { scale: 'smoke', seed: 3 }, sources: [input] }), tmp);
  files.forEach((file, i) => assert.ok(fs.readFileSync(file).equals(bytes[i]), `${path.basename(file)} changed on a second export`));
  assert.deepEqual(side.data, { a: 1 });
  assert.equal(side.configHash, s.configHash);
  assert.equal(configHash({ seed: 3, scale: 'smoke' }), side.configHash, 'hash ignores key order');
  assert.notEqual(configHash({ seed: 4, scale: 'smoke' }), side.configHash);
  assert.equal(stableStringify({ b: [1, 2], a: null }), '{"a":null,"b":[1,2]}');
  assert.throws(() => figure('Bad Name', fig, { data: null }), /name must be/);
});

test('display HTML inlines plotly.js only when asked (else fetches it from the server) and always draws with newPlot', () => {
  const first = figureHtml(fig, undefined, { includePlotly: true });
  const later = figureHtml(fig, 'AAAA');
  assert.ok(first.length > 1_000_000);
  assert.ok(later.length < 20_000, 'no plotly.js by default');
  assert.match(later, /static\/plotly-\d+\.\d+\.\d+\.min\.js/, 'loads the bundle the notebook server serves');
  assert.match(later, /Plotly\.newPlot/);
  assert.match(later, /<img src="data:image\/png;base64,AAAA"/);
  assert.doesNotMatch(later.slice(later.indexOf('<script')), /<\/script>[\s\S]*<\/script>/, 'one script in the figure part');
});

test('image grid: joints are drawn in finger colours at the projected positions', { timeout: 30_000 }, async () => {
  const W = 100;
  const img = { data: new Uint8Array(W * W * 3).fill(128), width: W, height: W, channels: 3 as const };
  // 21 joints: wrist at the centre, each finger's 4 joints along a ray (metres, camera frame)
  const K = [[100, 0, 50], [0, 100, 50], [0, 0, 1]];
  const xyz: number[][] = [[0, 0, 0.5]];
  for (let f = 0; f < 5; f++) for (let k = 1; k <= 4; k++) { const a = (f / 5) * Math.PI * 2; xyz.push([0.04 * k * Math.cos(a) * 0.5, 0.04 * k * Math.sin(a) * 0.5, 0.5]); }
  const uv = projectPoints(xyz, K);
  assert.deepEqual(uv[0], [50, 50]);
  const grid = await imageGrid([{ image: img, joints2d: uv, caption: 'sample 0' }, { image: img }], { columns: 2, cellSize: 200, gap: 0, captionHeight: 20 });
  assert.equal(grid.width, 400);
  assert.equal(grid.height, 220);
  const px = (x: number, y: number) => Array.from(grid.data.subarray((y * grid.width + x) * 3, (y * grid.width + x) * 3 + 3));
  const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  // index finger (f=1) tip joint, scaled 2x into the cell
  const tip = uv[8].map((v) => Math.round(v * 2));
  const got = px(tip[0], tip[1]);
  hex(FINGER_COLOURS[1]).forEach((c, i) => assert.ok(Math.abs(got[i] - c) < 40, `tip colour ${got} vs ${FINGER_COLOURS[1]}`));
  assert.deepEqual(px(300, 100), [128, 128, 128], 'second cell has no overlay');
  assert.throws(() => projectPoints([[0, 0, -1]], K), /joints\[0\].*not in front/);
});

test('the figure producers load and the study-reported producer yields valid figures', async () => {
  const producers = await loadProducers();
  const paper = producers.find((p) => p.name === 'paper-reported');
  assert.ok(paper);
  const r = await paper.produce();
  assert.deepEqual(r.figures.map((f) => f.name).sort(), ['paper-ablation', 'paper-syn-real-ratio']);
});

test('figures per scale: a smoke export never touches figures/demo; a second export of the same results changes no byte', { timeout: 120_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-figroot-'));
  try {
    const at = (scale: string, synthetic: number) => figure('walkthrough-ratio', ratioBarsFigure({ methods: [{ name: 'ours', real: 1, synthetic }], metric: 'PA-MPJPE', unit: 'cm' }), { data: { synthetic }, scale });
    const producer = (figs: ReturnType<typeof at>[]) => [{ name: 'test', produce: async () => ({ figures: figs }) }];
    const snapshot = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')]));
    const first = await exportRegisteredFigures(root, { producers: producer([at('demo', 1.2), at('smoke', 3)]), log: () => {} });
    assert.deepEqual(first.map((f) => `${f.group}/${f.name}`), ['demo/walkthrough-ratio', 'smoke/walkthrough-ratio']);
    const demo = snapshot(path.join(root, 'demo'));
    assert.equal(Object.keys(demo).length, 4);
    assert.notEqual(demo['walkthrough-ratio.png'], snapshot(path.join(root, 'smoke'))['walkthrough-ratio.png']);
    // a later smoke run with other numbers: only figures/smoke changes
    await exportRegisteredFigures(root, { producers: producer([at('smoke', 2.5)]), log: () => {} });
    assert.deepEqual(snapshot(path.join(root, 'demo')), demo, 'demo figures unchanged by a smoke export');
    const smoke = snapshot(path.join(root, 'smoke'));
    await exportRegisteredFigures(root, { producers: producer([at('smoke', 2.5)]), log: () => {} });
    assert.deepEqual(snapshot(path.join(root, 'smoke')), smoke, 'same results, same bytes');
    // without a scale a figure is the study's reported numbers
    const study = await exportRegisteredFigures(root, { producers: [{ name: 'p', produce: async () => ({ figures: [figure('paper-x', fig, { data: null })] }) }], log: () => {} });
    assert.equal(study[0].group, 'study');
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
});
