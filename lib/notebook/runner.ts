/**
 * Headless notebook runner: executes notebooks with nbclient (system python, see findJupyterPython)
 * and the project's tslab kernel, writes the executed copies to notebooks-executed/ (git-ignored),
 * and reports each failure with the failing cell's own error text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findJupyterPython } from '../util/system.ts';
import { KERNEL_NAME, requireProjectKernel } from './kernelspec.ts';
import { plotlyInlineScript } from '../plot/plotlyjs.ts';
import { writeFileAtomic } from '../util/fsx.ts';
import { projectRoot } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';

export const notebooksDir = path.join(projectRoot, 'notebooks');
// Executed copies sit beside notebooks/ (same depth), so their `../lib/*.ts` imports resolve when
// they are opened and re-run from where they are written.
export const executedDir = path.join(projectRoot, 'notebooks-executed');
const executeScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'execute_notebook.py');

import type { ScaleName as Scale } from './settings.ts';

export interface NotebookResult {
  notebook: string;        // path of the source notebook
  executed: string;        // path of the executed copy
  html?: string;           // path of the HTML rendering, when asked for
  ok: boolean;
  cell: number | null;     // index (0-based, all cells) of the failing cell
  source: string | null;   // first lines of the failing cell's source
  error: string | null;    // what the failing cell printed (error output and stderr)
  seconds: number;
}

export interface RunOptions {
  scale?: Scale;
  timeoutSeconds?: number;   // per cell
  html?: boolean;            // also write executed/<name>.html through nbconvert's HTML exporter
  outDir?: string;
  env?: Record<string, string>;
  onStart?: (nb: string, index: number, total: number) => void;
  onDone?: (r: NotebookResult, index: number, total: number) => void;
}

/** The notebooks in a folder (default notebooks/), sorted by name; executed copies excluded. */
export function listNotebooks(dir = notebooksDir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb') && !f.startsWith('.')).sort().map((f) => path.join(dir, f));
}

/** Resolve names given on the command line ("00_environment", "00", a path) to notebook files. */
export function selectNotebooks(names: string[], dir = notebooksDir): string[] {
  const all = listNotebooks(dir);
  if (names.length === 0) return all;
  return names.map((n) => {
    if (fs.existsSync(n) && n.endsWith('.ipynb')) return path.resolve(n);
    const hits = all.filter((f) => path.basename(f) === n || path.basename(f, '.ipynb') === n || path.basename(f).startsWith(n));
    if (hits.length !== 1) throw new InputError(`notebook "${n}"`, hits.length ? `ambiguous: ${hits.map((h) => path.basename(h)).join(', ')}` : `not found in ${dir} (have: ${all.map((f) => path.basename(f)).join(', ') || 'none'})`);
    return hits[0];
  });
}

function cellSource(file: string, index: number | null): string | null {
  if (index === null) return null;
  try {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { source: string | string[] }[] };
    const src = nb.cells[index]?.source;
    const text = Array.isArray(src) ? src.join('') : src ?? '';
    return text.split('\n').slice(0, 6).join('\n');
  } catch { return null; }
}

/** Execute one notebook; never throws for a failing cell (the result says what failed). */
export async function runNotebook(file: string, opts: RunOptions = {}): Promise<NotebookResult> {
  const python = findJupyterPython();
  const jp = requireProjectKernel();
  const outDir = opts.outDir ?? executedDir;
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.basename(file, '.ipynb');
  const executed = path.join(outDir, `${base}.ipynb`);
  const html = opts.html ? path.join(outDir, `${base}.html`) : undefined;
  const args = [executeScript, file, executed, String(opts.timeoutSeconds ?? 900), KERNEL_NAME, ...(html ? [html] : [])];
  const env = {
    ...process.env,
    JUPYTER_PATH: [jp, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    HANDGAP_SCALE: opts.scale ?? (process.env.HANDGAP_SCALE as Scale | undefined) ?? 'smoke',
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    ...opts.env,
  };
  const t0 = Date.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(python, args, { env, cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  let parsed: { ok: boolean; cell: number | null; error: string | null; seconds: number } | null = null;
  try { parsed = JSON.parse(last); } catch { /* the executor itself failed */ }
  if (!parsed || code !== 0) {
    return { notebook: file, executed, html, ok: false, cell: null, source: null, error: `notebook executor failed (exit ${code}): ${stderr.trim().split('\n').slice(-8).join('\n')}`, seconds: (Date.now() - t0) / 1000 };
  }
  if (html && fs.existsSync(html)) withPlotlyInHead(html);
  return { notebook: file, executed, html, ok: parsed.ok, cell: parsed.cell, source: parsed.ok ? null : cellSource(file, parsed.cell), error: parsed.error, seconds: parsed.seconds };
}

/**
 * The executed notebook carries no plotly.js (figures fetch it from the notebook server); its
 * standalone HTML rendering gets the bundle once in <head> so that its figures stay interactive.
 */
function withPlotlyInHead(html: string): void {
  const page = fs.readFileSync(html, 'utf8');
  const marker = '<!-- plotly.js for the handgap figures -->';
  if (!page.includes('handgap-fig-') || page.includes(marker)) return;
  const at = page.indexOf('</head>');
  if (at < 0) return;
  writeFileAtomic(html, page.slice(0, at) + marker + plotlyInlineScript() + page.slice(at));
}

/**
 * Execute notebooks, each with its own kernel, `parallel` at a time (default 1: one after another); results in
 * the files' order. `onDone` gets the count finished so far. Two at a time suit a 2-core machine when the
 * stages come from the cache: a notebook's time is mostly its kernel's start and type checking, one core each.
 */
export async function runNotebooks(files: string[], opts: RunOptions & { parallel?: number } = {}): Promise<NotebookResult[]> {
  const results: NotebookResult[] = new Array(files.length);
  let next = 0, done = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      opts.onStart?.(files[i], i, files.length);
      results[i] = await runNotebook(files[i], opts);
      opts.onDone?.(results[i], done++, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 1, files.length)) }, lane));
  return results;
}

/** One human-readable block per failure plus the final summary line. */
export function formatReport(results: NotebookResult[]): string {
  const lines: string[] = [];
  for (const r of results.filter((x) => !x.ok)) {
    lines.push(`FAILED ${path.relative(projectRoot, r.notebook)}${r.cell !== null ? ` (cell ${r.cell})` : ''}; executed copy: ${path.relative(projectRoot, r.executed)}`);
    if (r.source) lines.push('  cell source:', ...r.source.split('\n').map((l) => `    | ${l}`));
    if (r.error) lines.push('  error:', ...r.error.split('\n').map((l) => `    ${l}`));
  }
  const passed = results.filter((r) => r.ok).length;
  lines.push(`notebooks: ${passed} passed, ${results.length - passed} failed`);
  return lines.join('\n');
}
