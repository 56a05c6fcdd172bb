/**
 * Figures and images in notebooks (tslab kernel). `await display(fig)` sends ONE display_data with
 *   application/vnd.plotly.v1+json  interactive in JupyterLab,
 *   text/html                       a div + Plotly.newPlot; plotly.js is inlined once per kernel
 *                                   session (first figure), as Python's plotly does offline, so it is
 *                                   interactive in classic Notebook 6 and in nbconvert's HTML; the div
 *                                   holds the PNG until the script replaces it (code hosts that strip
 *                                   scripts still show the picture),
 *   image/png                       2× static fallback (rendered by headless chromium),
 *   text/plain                      the title.
 * Tables (`displayTable`, and any danfojs DataFrame/Series a cell logs or leaves as its last value,
 * through the hook lib/notebook/kernel.ts installs) show as an HTML table with a markdown text/plain.
 * The chromium used for PNGs stays open for the session and closes after 60 s idle.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { plotlyInlineScript } from './plotlyjs.ts';
import type { PlotlyFigure } from './style.ts';
import type { Image } from '../image/io.ts';
import sharp from 'sharp';
import { HandgapError } from '../util/errors.ts';
import { fromDataFrame, toHtml, toMarkdown, type Table } from '../analysis/tables.ts';
import type { DataFrame, Series } from 'danfojs-node';

const require = createRequire(import.meta.url);
type WriteDisplay = (msg: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

/** tslab's channel for display_data (null outside a kernel). */
function kernelWriter(): WriteDisplay | null {
  try { return (require('tslab/dist/jupyter.js') as { lastWriteDisplayData: WriteDisplay | null }).lastWriteDisplayData; } catch { return null; }
}

/** The part of FigureExporter display needs. export.ts is loaded lazily through a computed
 * specifier so that the notebook kernel's type checker never loads playwright's large typings. */
interface PngExporter { png(fig: PlotlyFigure, scale?: number): Promise<Buffer>; close(): Promise<void> }
const exportModule = './export.ts';
let exporter: Promise<PngExporter> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
async function sharedExporter(): Promise<PngExporter> {
  if (idleTimer) clearTimeout(idleTimer);
  exporter ??= (import(exportModule) as Promise<{ FigureExporter: { launch(): Promise<PngExporter> } }>).then((m) => m.FigureExporter.launch());
  return exporter;
}
function releaseExporter(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => { const e = exporter; exporter = null; void e?.then((x) => x.close()); }, 60_000);
  idleTimer.unref();
}

let plotlyInlined = false;

/** The HTML part of the bundle; includes plotly.js the first time it is called in this process. */
export function figureHtml(fig: PlotlyFigure, pngBase64?: string, opts: { includePlotly?: boolean } = {}): string {
  const include = opts.includePlotly ?? !plotlyInlined;
  const id = `handgap-fig-${randomBytes(6).toString('hex')}`;
  const { width, height } = { width: Number(fig.layout.width ?? 480), height: Number(fig.layout.height ?? 320) };
  const json = JSON.stringify({ data: fig.data, layout: fig.layout, config: fig.config ?? {} }).replace(/<\//g, '<\\/');
  const fallback = pngBase64 ? `<img src="data:image/png;base64,${pngBase64}" width="${width}" height="${height}" alt="figure">` : '';
  return `${include ? plotlyInlineScript() : ''}<div id="${id}" style="width:${width}px;height:${height}px">${fallback}</div>
<script type="text/javascript">(function(){var f=${json};function draw(){var el=document.getElementById("${id}");if(!el)return;if(!window.Plotly){return setTimeout(draw,100);}el.innerHTML="";window.Plotly.newPlot(el,f.data,f.layout,f.config);}draw();})();</script>`;
}

/** The full mime bundle for a figure (PNG rendered through chromium). */
export async function figureBundle(fig: PlotlyFigure, opts: { png?: boolean } = {}): Promise<Record<string, unknown>> {
  let png: string | undefined;
  if (opts.png ?? true) {
    // without chromium the figure still shows (interactive HTML + plotly JSON), just without the PNG
    try {
      const ex = await sharedExporter();
      try { png = (await ex.png(fig, 2)).toString('base64'); } finally { releaseExporter(); }
    } catch (e) {
      if (!(e instanceof HandgapError)) throw e;
      exporter = null;
      console.warn(`display: no PNG fallback (${e.message})`);
    }
  }
  const title = (fig.layout.title as { text?: string } | undefined)?.text ?? 'figure';
  const bundle: Record<string, unknown> = {
    'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout, config: fig.config ?? {} },
    'text/html': figureHtml(fig, png),
    'text/plain': `<plotly figure: ${title}>`,
  };
  if (png) bundle['image/png'] = png;
  return bundle;
}

/** Show a plotly figure in the notebook (see the module comment for the mime bundle). */
export async function display(fig: PlotlyFigure, opts: { png?: boolean } = {}): Promise<void> {
  const write = kernelWriter();
  const bundle = await figureBundle(fig, opts);
  if (!write) { console.log(bundle['text/plain']); return; }
  write({ data: bundle, metadata: bundle['image/png'] ? { 'image/png': { width: Number(fig.layout.width ?? 480), height: Number(fig.layout.height ?? 320) } } : {}, transient: {} }, false);
  plotlyInlined = true;
}

/** Show an 8-bit image (e.g. an image grid) as PNG in the notebook. */
export async function displayImage(img: Image, opts: { width?: number } = {}): Promise<void> {
  const png = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: img.channels } }).png().toBuffer();
  const write = kernelWriter();
  if (!write) { console.log(`<image ${img.width}×${img.height}>`); return; }
  write({ data: { 'image/png': png.toString('base64'), 'text/plain': `<image ${img.width}×${img.height}>` }, metadata: opts.width ? { 'image/png': { width: opts.width } } : {}, transient: {} }, false);
}

/** A danfojs DataFrame or Series, recognised by shape (danfojs itself takes ~3 s to import). */
export function isDataFrameLike(x: unknown): x is DataFrame | Series {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { $isSeries?: unknown; columns?: unknown; values?: unknown; index?: unknown };
  return typeof o.$isSeries === 'boolean' && Array.isArray(o.columns) && Array.isArray(o.values) && Array.isArray(o.index);
}

/** The table's mime bundle: HTML (the danfojs index as first column unless it is 0..n-1) + markdown text. */
export function tableBundle(t: Table | DataFrame | Series, opts: { digits?: number; caption?: string } = {}): Record<string, string> {
  const table = isDataFrameLike(t) ? fromDataFrame(t as DataFrame) : t as Table;
  const idx = isDataFrameLike(t) ? (t.index as (string | number)[]) : undefined;
  const index = idx && idx.some((v, i) => v !== i) ? idx : undefined;
  return { 'text/html': toHtml(table, { ...opts, index }), 'text/plain': (opts.caption ? `${opts.caption}\n\n` : '') + toMarkdown(table, opts.digits ?? 3) };
}

/** Show a table (ours or a danfojs DataFrame/Series) as an HTML table in the notebook. */
export function displayTable(t: Table | DataFrame | Series, opts: { digits?: number; caption?: string } = {}): void {
  const bundle = tableBundle(t, opts);
  const write = kernelWriter();
  if (!write) { console.log(bundle['text/plain']); return; }
  write({ data: bundle, metadata: {}, transient: {} }, false);
}
