/**
 * Figures and images in notebooks (tslab kernel). `await display(fig)` sends ONE display_data with
 *   application/vnd.plotly.v1+json  interactive in JupyterLab / VS Code (their plotly renderers),
 *   text/html                       a div + Plotly.newPlot. plotly.js (4.6 MB) is NOT inlined per
 *                                   notebook: the script loads it from the notebook server
 *                                   (`handgap notebook` serves it as static/<plotlyStaticName()>),
 *                                   nbconvert HTML pages get it once in their head (runner), and
 *                                   HANDGAP_INLINE_PLOTLY=1 inlines it in the session's first figure
 *                                   for other servers. The div holds the PNG until the script draws,
 *                                   so without plotly.js (GitHub, untrusted notebooks) the picture shows,
 *   image/png                       2× static fallback (rendered by headless chromium),
 *   text/plain                      the title.
 * The chromium used for PNGs stays open for the session and closes after 60 s idle.
 */
import { randomBytes } from 'node:crypto';
import { plotlyInlineScript, plotlyStaticName } from './plotlyjs.ts';
import { withProvenance, type PlotlyFigure } from './style.ts';
import { figureProvenance, type ProducedFigure } from './registry.ts';
import type { Image } from '../image/io.ts';
import sharp from 'sharp';
import { HandgapError } from '../util/errors.ts';
import { kernelWriter } from '../notebook/channel.ts';
import { fromDataFrame, toHtml, toMarkdown, isDataFrameLike, type Table } from '../analysis/tables.ts';
import type { DataFrame, Series } from 'danfojs-node';

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

/**
 * The HTML part of the bundle. plotly.js is inlined only when asked (default: HANDGAP_INLINE_PLOTLY=1,
 * first figure of the session); otherwise the script fetches it once from the notebook server's
 * static files and evaluates it with define/module/exports hidden, so that classic Notebook's
 * require.js does not swallow the UMD bundle.
 */
export function figureHtml(fig: PlotlyFigure, pngBase64?: string, opts: { includePlotly?: boolean } = {}): string {
  const include = opts.includePlotly ?? (process.env.HANDGAP_INLINE_PLOTLY === '1' && !plotlyInlined);
  const id = `handgap-fig-${randomBytes(6).toString('hex')}`;
  const { width, height } = { width: Number(fig.layout.width ?? 480), height: Number(fig.layout.height ?? 320) };
  const json = JSON.stringify({ data: fig.data, layout: fig.layout, config: fig.config ?? {} }).replace(/<\//g, '<\\/');
  const fallback = pngBase64 ? `<img src="data:image/png;base64,${pngBase64}" width="${width}" height="${height}" alt="figure">` : '';
  const load = `if(!window.Plotly&&!window.__handgapPlotly){window.__handgapPlotly=1;var b=document.body&&document.body.getAttribute("data-base-url");if(b&&window.fetch){fetch(b+"static/${plotlyStaticName()}").then(function(r){return r.ok?r.text():Promise.reject(r.status);}).then(function(s){(new Function("define","module","exports",s)).call(window);}).catch(function(){});}}`;
  return `${include ? plotlyInlineScript() : ''}<div id="${id}" style="width:${width}px;height:${height}px">${fallback}</div>
<script type="text/javascript">(function(){var f=${json},n=0;${load}function draw(){var el=document.getElementById("${id}");if(!el)return;if(!window.Plotly){if(++n<600)setTimeout(draw,100);return;}el.innerHTML="";window.Plotly.newPlot(el,f.data,f.layout,f.config);}draw();})();</script>`;
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
  if (String(bundle['text/html']).startsWith('<script')) plotlyInlined = true;
}

/** Show a produced figure (lib/<area>/figures*.ts) as `npm run figures` exports it: with its line naming test set, scale and seeds. */
export async function displayFigure(f: ProducedFigure, opts: { png?: boolean } = {}): Promise<void> {
  await display(withProvenance(f.fig, figureProvenance(f)), opts);
}

/** Show an 8-bit image (e.g. an image grid) as PNG in the notebook. */
export async function displayImage(img: Image, opts: { width?: number } = {}): Promise<void> {
  const png = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: img.channels } }).png().toBuffer();
  const write = kernelWriter();
  if (!write) { console.log(`<image ${img.width}×${img.height}>`); return; }
  write({ data: { 'image/png': png.toString('base64'), 'text/plain': `<image ${img.width}×${img.height}>` }, metadata: opts.width ? { 'image/png': { width: opts.width } } : {}, transient: {} }, false);
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
