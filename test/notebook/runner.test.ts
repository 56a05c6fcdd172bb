// Executes real notebooks on the project's tslab kernel (no mocks): the environment notebook must
// produce its image outputs, and a failing cell must be reported with its own error text.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { runNotebook, runNotebooks, formatReport, selectNotebooks, executedDir, notebooksDir } from '../../lib/notebook/runner.ts';
import { findKnownSet, projectRoot } from '../../lib/util/paths.ts';

function writeNotebook(file: string, cells: string[]): void {
  const nb = {
    nbformat: 4, nbformat_minor: 4,
    metadata: { kernelspec: { name: 'handgap', display_name: 'TypeScript (handgap)', language: 'typescript' } },
    cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
  };
  fs.writeFileSync(file, JSON.stringify(nb));
}

type Output = { output_type: string; data?: Record<string, unknown>; name?: string; text?: string | string[] };

test('00_environment executes and shows the figure (plotly bundle + PNG fallback) and the real-sample grid; its executed copy re-runs', { timeout: 400_000 }, async () => {
  // written beside notebooks/ like notebooks-executed/ (same depth), then re-run from there
  const out = path.join(projectRoot, `.notebooks-executed-test-${process.pid}`);
  const rerunOut = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-nb-'));
  after(() => { fs.rmSync(out, { recursive: true, force: true }); fs.rmSync(rerunOut, { recursive: true, force: true }); });
  assert.equal(path.dirname(executedDir), path.dirname(notebooksDir), 'executed copies sit at the notebooks\' depth');
  const [file] = selectNotebooks(['00_environment']);
  const r = await runNotebook(file, { outDir: out, timeoutSeconds: 180, html: true });
  assert.equal(r.ok, true, `notebook failed: ${r.error}`);
  const page = fs.readFileSync(r.html!, 'utf8');
  assert.equal(page.split('<!-- plotly.js for the handgap figures -->').length, 2, 'the HTML page carries plotly.js once, in its head');
  assert.ok(page.indexOf('plotly.js for the handgap') < page.indexOf('</head>'));
  const again = await runNotebook(r.executed, { outDir: rerunOut, timeoutSeconds: 180 });
  assert.equal(again.ok, true, `re-running the executed copy failed: ${again.error}`);
  const nb = JSON.parse(fs.readFileSync(r.executed, 'utf8')) as { cells: { cell_type: string; outputs?: Output[] }[] };
  const outputs = nb.cells.filter((c) => c.cell_type === 'code').flatMap((c) => c.outputs ?? []);
  const figures = outputs.filter((o) => o.data?.['image/png'] && o.data['application/vnd.plotly.v1+json']);
  assert.equal(figures.length, 1, 'exactly one plotly figure output expected');
  const grids = outputs.filter((o) => o.data?.['image/png'] && !o.data['application/vnd.plotly.v1+json']);
  assert.equal(grids.length, findKnownSet('hgc-dev') ? 1 : 0, 'a sample grid exactly when the real dev set is found');
  if (grids.length) {
    const g = await sharp(Buffer.from(String(grids[0].data!['image/png']), 'base64')).metadata();
    assert.ok(g.width! > 900 && g.height! > 150, `grid is 6 cells wide (${g.width}×${g.height})`);
  }
  const fig = figures[0].data!;
  const png = Buffer.from(String(fig['image/png']), 'base64');
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'image/png is a PNG');
  assert.ok(png.readUInt32BE(16) >= 2 * 700, `PNG is rendered at 2x (width ${png.readUInt32BE(16)})`);
  assert.ok((fig['application/vnd.plotly.v1+json'] as { data: unknown[] }).data.length >= 2, 'plotly bundle carries the traces');
  assert.match(String(fig['text/html']), /Plotly\.newPlot/);
  assert.ok(String(fig['text/html']).length - String(fig['image/png']).length < 50_000, 'plotly.js is not inlined in the figure (its HTML is the PNG fallback + the figure JSON)');
  assert.ok(fs.statSync(r.executed).size < 1_500_000, `executed notebook stays small (${fs.statSync(r.executed).size} bytes)`);
  const banners = outputs.filter((o) => /Smoke scale: plumbing check/.test(String(o.data?.['text/markdown'] ?? '')));
  assert.equal(banners.length, 1, 'one smoke-scale banner');
  const md = outputs.find((o) => /\| component \|/.test(String(o.data?.['text/markdown'] ?? '')));
  assert.match(String(md?.data?.['text/markdown']), /\| blender \| Blender \d/);
  assert.match(String(md?.data?.['text/markdown']), /\| tfjs backend \| (wasm|cpu|tensorflow)/);
});

test('a failing cell is reported with its own error; lib imports as ../lib/*.ts type-check and run', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-nbfail-'));
  // the kernel's cwd is the notebook's folder: put the notebook inside the project (in the
  // git-ignored notebooks-executed/) so that it reaches lib by a relative path
  const nbDir = path.join(executedDir, `.test-${process.pid}`);
  fs.mkdirSync(nbDir, { recursive: true });
  try {
    const runtime = path.join(nbDir, 'runtime_error.ipynb');
    writeNotebook(runtime, [
      "import { Rng } from '../../lib/util/rng.ts';\nconst r = new Rng(7); console.log('uniform', r.uniform().toFixed(3));",
      "throw new Error('deliberate failure 4711');",
      "console.log('never runs');",
    ]);
    const a = await runNotebook(runtime, { outDir: dir, timeoutSeconds: 60 });
    assert.equal(a.ok, false);
    assert.equal(a.cell, 1);
    assert.match(a.error ?? '', /deliberate failure 4711/);
    const executed = JSON.parse(fs.readFileSync(a.executed, 'utf8')) as { cells: { outputs: Output[] }[] };
    const first = executed.cells[0].outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('');
    assert.match(first, /uniform 0\.\d{3}/, 'lib code imported as ../lib/*.ts runs in the kernel');

    const report = formatReport([a]);
    assert.match(report, /notebooks: 0 passed, 1 failed$/);
    assert.match(report, /deliberate failure 4711/);
  } finally {
    fs.rmSync(nbDir, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('runNotebooks two at a time: results in the files\' order, every notebook reported done once', { timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-nbpar-'));
  const nbDir = path.join(executedDir, `.test-par-${process.pid}`);
  fs.mkdirSync(nbDir, { recursive: true });
  try {
    // the slower notebook first, so that the second one finishes first when both run at once
    const slow = path.join(nbDir, 'a_slow.ipynb'), fast = path.join(nbDir, 'b_fails.ipynb'), third = path.join(nbDir, 'c_ok.ipynb');
    writeNotebook(slow, ["await new Promise((r) => setTimeout(r, 4000)); console.log('slow done');"]);
    writeNotebook(fast, ["throw new Error('deliberate failure 815');"]);
    writeNotebook(third, ["console.log('third', 6 * 7);"]);
    const done: string[] = [];
    let running = 0, most = 0;
    const rs = await runNotebooks([slow, fast, third], {
      outDir: dir, timeoutSeconds: 60, parallel: 2,
      onStart: () => { running++; most = Math.max(most, running); },
      onDone: (r, i, n) => { running--; done.push(`${i + 1}/${n} ${path.basename(r.notebook)}`); },
    });
    assert.deepEqual(rs.map((r) => path.basename(r.notebook)), ['a_slow.ipynb', 'b_fails.ipynb', 'c_ok.ipynb']);
    assert.deepEqual(rs.map((r) => r.ok), [true, false, true]);
    assert.match(rs[1].error ?? '', /deliberate failure 815/);
    assert.equal(most, 2, 'two notebooks ran at once');
    assert.deepEqual(done.map((d) => d.split(' ')[0]), ['1/3', '2/3', '3/3'], 'onDone counts finished notebooks');
    assert.equal(new Set(done.map((d) => d.split(' ')[1])).size, 3);
  } finally {
    fs.rmSync(nbDir, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
