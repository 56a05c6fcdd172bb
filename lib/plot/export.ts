/**
 * Static export of plotly figures (PNG at 2×, SVG, PDF) through the Debian chromium, driven by
 * playwright-core (never a browser download). One browser per batch: open a FigureExporter, export
 * many figures, close it. PNG and SVG come from Plotly.toImage; the PDF is Chromium printing the
 * SVG on a page of the figure's size, so it stays vector.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findChromium } from '../util/system.ts';
import { writeFileAtomicAsync } from '../util/fsx.ts';
import { HandgapError } from '../util/errors.ts';
import { plotlyPageUrl } from './plotlyjs.ts';
import type { PlotlyFigure } from './style.ts';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export type ExportFormat = 'png' | 'svg' | 'pdf';

function figureSize(fig: PlotlyFigure): { width: number; height: number } {
  return { width: Number(fig.layout.width ?? 480), height: Number(fig.layout.height ?? 320) };
}

/**
 * Plotly names the SVG's defs and clip paths after a random 6-hex uid per plot ("defs-5660c6",
 * "clip5660c6xyplot"); it is replaced by one derived from the figure, so that identical figures give
 * identical files and two figures inlined in one page still get distinct ids.
 */
export function stableSvgIds(svg: string, fig: PlotlyFigure): string {
  const uid = /<defs id="defs-([0-9a-f]{6})"/.exec(svg)?.[1];
  if (!uid) return svg;
  const stable = crypto.createHash('sha256').update(JSON.stringify({ data: fig.data, layout: fig.layout })).digest('hex').slice(0, 6);
  // only where plotly uses it (defs-, topdefs-, clip…, legend…): the same 6 hex digits could also occur
  // in numbers or colours
  let out = svg.replace(new RegExp(`(defs-|clip|legend)${uid}`, 'g'), `$1${stable}`);
  // fill patterns (hatched bars) carry another random 6-hex id: "p8eb867-t1", "p8eb867-legend-t1"
  for (const pid of new Set([...out.matchAll(/id="p([0-9a-f]{6})-/g)].map((m) => m[1]))) out = out.replace(new RegExp(`p${pid}-`, 'g'), `p${stable}-`);
  return out;
}

/**
 * Plotly sets some elements' attributes in a different order on some draws (a legend's `style` before or
 * after its size), which changes the bytes but not the picture: each tag's attributes are written in
 * name order.
 */
export function sortSvgAttributes(svg: string): string {
  return svg.replace(/<([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")+)\s*(\/?)>/g, (_m, tag: string, attrs: string, close: string) => {
    const list = attrs.match(/[\w:-]+="[^"]*"/g) ?? [];
    list.sort((a, b) => { const ka = a.slice(0, a.indexOf('=')), kb = b.slice(0, b.indexOf('=')); return ka < kb ? -1 : ka > kb ? 1 : 0; });
    return `<${tag} ${list.join(' ')}${close}>`;
  });
}

/**
 * Chromium stamps the PDF with its creation time; a fixed date of the same length keeps the
 * cross-reference offsets valid and the bytes equal for equal figures.
 */
export function stablePdfDates(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1').replace(/\/(CreationDate|ModDate) \(D:\d{14}([+-]\d\d'\d\d'|Z)?\)/g, (m, key: string, tz: string | undefined) => {
    const fixed = `/${key} (D:20000101000000${tz === undefined ? '' : tz === 'Z' ? 'Z' : "+00'00'"})`;
    return fixed.length === m.length ? fixed : m;
  });
  return Buffer.from(text, 'latin1');
}

export class FigureExporter {
  private constructor(private browser: Browser, private page: Page, private pdfPage: Page) {}

  static async launch(): Promise<FigureExporter> {
    const executablePath = findChromium();
    let browser: Browser;
    try {
      // playwright-core takes seconds to load (measured 6.7–7.6 s on the shared 2-core machine, node:fs 0.05–0.1 s): only when a figure is exported
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
    } catch (e) {
      throw new HandgapError(`cannot start chromium (${executablePath}) for figure export: ${(e as Error).message.split('\n')[0]}`, 3);
    }
    const page = await browser.newPage();
    await page.goto(plotlyPageUrl());
    if (!(await page.evaluate(() => typeof (window as unknown as { Plotly?: unknown }).Plotly === 'object'))) {
      throw new HandgapError(`plotly.js did not load in chromium from ${plotlyPageUrl()}`);
    }
    const pdfPage = await browser.newPage();
    return new FigureExporter(browser, page, pdfPage);
  }

  private async toImage(fig: PlotlyFigure, format: 'png' | 'svg', scale: number): Promise<string> {
    const { width, height } = figureSize(fig);
    try {
      return await this.page.evaluate(async ({ f, format, width, height, scale }) => {
        const P = (window as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        // a trace without a uid gets a random one, which names its SVG group ("trace3e52e3"): number them instead
        const data = f.data.map((t, i) => ({ uid: `t${i}`, ...t }));
        return P.toImage({ data, layout: f.layout, config: { ...(f.config ?? {}), staticPlot: true } }, { format, width, height, scale });
      }, { f: fig, format, width, height, scale });
    } catch (e) {
      throw new HandgapError(`plotly could not render the figure: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  /** PNG bytes at `scale`× the layout size (default 2×). */
  async png(fig: PlotlyFigure, scale = 2): Promise<Buffer> {
    const url = await this.toImage(fig, 'png', scale);
    return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  }

  /** SVG text; the same figure gives the same bytes (plotly's random element ids replaced, attributes in name order). */
  async svg(fig: PlotlyFigure): Promise<string> {
    const url = await this.toImage(fig, 'svg', 1);
    const body = url.slice(url.indexOf(',') + 1);
    return sortSvgAttributes(stableSvgIds(url.includes(';base64,') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body), fig));
  }

  /** Vector PDF, one page of the figure's size. */
  async pdf(fig: PlotlyFigure, svgText?: string): Promise<Buffer> {
    const svg = svgText ?? (await this.svg(fig));
    const { width, height } = figureSize(fig);
    await this.pdfPage.setContent(`<!doctype html><html><head><style>@page{size:${width}px ${height}px;margin:0}html,body{margin:0;padding:0}svg{display:block}</style></head><body>${svg}</body></html>`);
    return stablePdfDates(await this.pdfPage.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' }));
  }

  /** Write `<base>.png|svg|pdf` (atomic); returns the written paths. */
  async write(fig: PlotlyFigure, base: string, formats: ExportFormat[] = ['png', 'svg', 'pdf']): Promise<string[]> {
    const written: string[] = [];
    let svg: string | undefined;
    for (const f of formats) {
      const file = `${base}.${f}`;
      if (f === 'png') await writeFileAtomicAsync(file, await this.png(fig));
      else if (f === 'svg') { svg ??= await this.svg(fig); await writeFileAtomicAsync(file, svg); }
      else { svg ??= await this.svg(fig); await writeFileAtomicAsync(file, await this.pdf(fig, svg)); }
      written.push(file);
    }
    return written;
  }

  async close(): Promise<void> { await this.browser.close().catch(() => {}); }
}

/** Export a batch of figures with one browser. */
export async function exportFigures(items: { fig: PlotlyFigure; base: string; formats?: ExportFormat[] }[], onEach?: (base: string, i: number) => void): Promise<string[]> {
  const ex = await FigureExporter.launch();
  try {
    const out: string[] = [];
    for (let i = 0; i < items.length; i++) {
      out.push(...(await ex.write(items[i].fig, path.resolve(items[i].base), items[i].formats)));
      onEach?.(items[i].base, i);
    }
    return out;
  } finally { await ex.close(); }
}
