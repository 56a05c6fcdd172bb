// The browser test: the project's Jupyter notebook server (handgap notebook's code path) serves a
// notebook on 127.0.0.1, headless Debian chromium (playwright-core) opens it, runs all cells on the
// handgap kernel, and the page must show a rendered plotly figure (an SVG plot drawn by plotly.js) and
// an HTML table from a danfojs DataFrame left as a cell's last value. A screenshot of the page is kept
// in .handgap/browser-test/notebook.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { startNotebookServer } from '../../lib/notebook/server.ts';
import { KERNEL_NAME, KERNEL_DISPLAY_NAME } from '../../lib/notebook/kernelspec.ts';
import { CHROMIUM_FLAGS } from '../../lib/plot/export.ts';
import { findChromium } from '../../lib/util/system.ts';
import { projectRoot, cacheDir } from '../../lib/util/paths.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

const cells = [
  // lib imported the way the study notebooks do it (the folder sits at the depth of notebooks/)
  `import { display } from '../lib/plot/display.ts';
import { ratioBarsFigure } from '../lib/plot/figures.ts';
import { PAPER_RATIO } from '../lib/plot/producers/paper.ts';
await display(ratioBarsFigure({ methods: PAPER_RATIO, metric: 'PA-MPJPE', unit: 'cm', title: 'browser test figure' }), { png: false });`,
  `import * as dfd from 'danfojs-node';
new dfd.DataFrame({ method: ['S2HAND', 'simpleHand'], 'PA-MPJPE (cm)': [1.25, 0.875] })`,
];

test('a notebook served by the project\'s Jupyter runs in headless chromium and shows a plotly figure and an HTML table; 00_environment runs to the end', { timeout: 600_000 }, async () => {
  const dir = path.join(projectRoot, `.browser-test-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const nb = {
    nbformat: 4, nbformat_minor: 4,
    metadata: { kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: 'typescript' } },
    cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
  };
  fs.writeFileSync(path.join(dir, 'browser.ipynb'), JSON.stringify(nb));
  const token = randomBytes(12).toString('hex');
  const server = await startNotebookServer({ dir, port: await freePort(), token });
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
  after(async () => { await browser.close(); await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  const base = server.url.replace(/\/\?token=.*/, '');
  await page.goto(`${base}/notebooks/browser.ipynb?token=${token}`);
  type Win = { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean; name: string }; execute_all_cells(): void } } };
  await page.waitForFunction(() => (window as unknown as Win).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => (window as unknown as Win).Jupyter!.notebook!.kernel!.name), KERNEL_NAME);
  await page.evaluate(() => (window as unknown as Win).Jupyter!.notebook!.execute_all_cells());

  // plotly.js drew the figure: an SVG with bars, in the first cell's output
  const plot = page.locator('.output_area .js-plotly-plot .main-svg').first();
  await plot.waitFor({ timeout: 180_000 });
  const bars = await page.locator('.output_area .js-plotly-plot .bars path').count();
  assert.ok(bars >= 2, `plotly drew bars (${bars})`);
  assert.match(await page.locator('.output_area .js-plotly-plot .gtitle').first().textContent() ?? '', /browser test figure/);

  // the DataFrame became an HTML table (not util.inspect text)
  const table = page.locator('.output_html table.dataframe').first();
  await table.waitFor({ timeout: 120_000 });
  const headers = await table.locator('thead th').allTextContents();
  assert.deepEqual(headers, ['method', 'PA-MPJPE (cm)']);
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
  assert.deepEqual(rows, [['S2HAND', '1.250'], ['simpleHand', '0.875']]);
  assert.equal(await page.locator('.output_area').filter({ hasText: '$data' }).count(), 0, 'no DataFrame internals dumped');

  const shot = path.join(cacheDir(), 'browser-test', 'notebook.png');
  fs.mkdirSync(path.dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(fs.statSync(shot).size > 10_000, 'screenshot written');

  // the study's first notebook, run to the end in the browser (a copy: autosave must not touch notebooks/)
  fs.copyFileSync(path.join(projectRoot, 'notebooks', '00_environment.ipynb'), path.join(dir, '00_environment.ipynb'));
  const env = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  await env.goto(`${base}/notebooks/00_environment.ipynb?token=${token}`);
  await env.waitForFunction(() => (window as unknown as Win).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: 120_000 });
  await env.evaluate(() => (window as unknown as Win).Jupyter!.notebook!.execute_all_cells());
  type Cells = { Jupyter: { notebook: { get_cells(): { cell_type: string; input_prompt_number?: number | string | null }[] } } };
  // every code cell has run when each has a numeric prompt (no "*", no empty)
  await env.waitForFunction(() => (window as unknown as Cells).Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').every((c) => typeof c.input_prompt_number === 'number'), null, { timeout: 240_000, polling: 1000 });
  assert.equal(await env.locator('.output_error').count(), 0, 'no cell failed');
  await env.locator('.output_area .js-plotly-plot .main-svg').first().waitFor({ timeout: 60_000 });
  assert.ok(await env.locator('.output_markdown table').count() >= 1, 'the environment table rendered');
  await env.screenshot({ path: path.join(cacheDir(), 'browser-test', '00_environment.png'), fullPage: true });
  await env.locator('.output_area .js-plotly-plot').first().screenshot({ path: path.join(cacheDir(), 'browser-test', '00_environment-figure.png') });
});
