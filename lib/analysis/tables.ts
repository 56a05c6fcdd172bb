/**
 * Result tables: the study's syn→real ratio table and component ablation table, plus writers to
 * CSV, markdown, HTML and LaTeX. Users get tables as danfojs DataFrames (`toDataFrame`; danfojs is
 * imported lazily, the import costs ~3 s): a notebook shows a DataFrame left as a cell's value as an HTML
 * table (lib/notebook/kernel.ts), and a user slices it (`df.loc`, `df.query`, `df.groupby`, ...) and hands the
 * slice back to any writer here: every writer accepts a `Table` or a DataFrame. The builders return the
 * plain `Table` so the formatting is testable without danfojs.
 */
import type { DataFrame, Series } from 'danfojs-node';
import { InputError } from '../util/errors.ts';
import { writeFileAtomic } from '../util/fsx.ts';

export type Cell = string | number | boolean | null;
export interface Table { columns: string[]; rows: Cell[][] }
/** What the writers accept: our plain table or a danfojs DataFrame (e.g. a user's slice of one). */
export type AnyTable = Table | DataFrame;

/** A danfojs DataFrame or Series, recognised by shape (without importing danfojs). */
export function isDataFrameLike(x: unknown): x is DataFrame | Series {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { $isSeries?: unknown; columns?: unknown; values?: unknown; index?: unknown };
  return typeof o.$isSeries === 'boolean' && Array.isArray(o.columns) && Array.isArray(o.values) && Array.isArray(o.index);
}

/** The plain table of a DataFrame (or the table itself). */
export function asTable(t: AnyTable): Table { return isDataFrameLike(t) ? fromDataFrame(t as DataFrame) : (t as Table); }

let danfo: Promise<typeof import('danfojs-node')> | null = null;
/** danfojs-node, imported on first use: it loads TensorFlow (measured 23.6–23.8 s on the shared 2-core machine), and most table users never build a DataFrame. */
function loadDanfo(): Promise<typeof import('danfojs-node')> { return (danfo ??= import('danfojs-node')); }

export async function toDataFrame(t: Table): Promise<DataFrame> {
  const dfd = await loadDanfo();
  const data: Record<string, Cell[]> = {};
  t.columns.forEach((c, j) => { data[c] = t.rows.map((r) => r[j]); });
  return new dfd.DataFrame(data, { columns: t.columns });
}

export function fromDataFrame(df: DataFrame): Table {
  const columns = df.columns.map(String);
  const rows = (df.values as Cell[][]).map((r) => (Array.isArray(r) ? r : [r]));
  return { columns, rows };
}

function checkTable(t: Table, where = 'table'): void {
  t.rows.forEach((r, i) => { if (r.length !== t.columns.length) throw new InputError(where, `row ${i} has ${r.length} cells, expected ${t.columns.length}`); });
}

function fmt(v: Cell, digits: number): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  return v;
}

export function toCsv(table: AnyTable): string {
  const t = asTable(table);
  checkTable(t);
  const q = (v: Cell) => {
    const s = v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [t.columns.map(q).join(','), ...t.rows.map((r) => r.map(q).join(','))].join('\n') + '\n';
}

export function toMarkdown(table: AnyTable, digits = 2): string {
  const t = asTable(table);
  checkTable(t);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| ' + t.columns.map(esc).join(' | ') + ' |', '|' + t.columns.map((_, j) => (t.rows.some((r) => typeof r[j] === 'number') ? ' ---: |' : ' --- |')).join('')];
  for (const r of t.rows) lines.push('| ' + r.map((v) => esc(fmt(v, digits))).join(' | ') + ' |');
  return lines.join('\n') + '\n';
}

const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An HTML table in the pandas style Jupyter front ends already format (class "dataframe"; numbers
 * right-aligned). `index` adds a first header-less column; rows beyond maxRows are elided in the middle.
 */
export function toHtml(table: AnyTable, opts: { digits?: number; index?: (string | number)[]; maxRows?: number; caption?: string } = {}): string {
  const t = asTable(table);
  checkTable(t);
  const d = opts.digits ?? 3, max = opts.maxRows ?? 60;
  const keep = t.rows.length <= max ? t.rows.map((_, i) => i) : [...Array(Math.ceil(max / 2)).keys(), ...Array.from({ length: Math.floor(max / 2) }, (_, k) => t.rows.length - Math.floor(max / 2) + k)];
  const numeric = t.columns.map((_, j) => t.rows.some((r) => typeof r[j] === 'number'));
  const td = (v: Cell, j: number) => `<td${numeric[j] ? ' style="text-align:right"' : ''}>${htmlEscape(fmt(v, d))}</td>`;
  const head = `<tr style="text-align:right">${opts.index ? '<th></th>' : ''}${t.columns.map((c) => `<th>${htmlEscape(c)}</th>`).join('')}</tr>`;
  const body: string[] = [];
  keep.forEach((i, k) => {
    if (k > 0 && i !== keep[k - 1] + 1) body.push(`<tr>${opts.index ? '<th>…</th>' : ''}${t.columns.map(() => '<td>…</td>').join('')}</tr>`);
    body.push(`<tr>${opts.index ? `<th>${htmlEscape(String(opts.index[i]))}</th>` : ''}${t.rows[i].map(td).join('')}</tr>`);
  });
  const note = keep.length < t.rows.length ? `<p>${t.rows.length} rows × ${t.columns.length} columns</p>` : '';
  return `<table class="dataframe" border="1">${opts.caption ? `<caption>${htmlEscape(opts.caption)}</caption>` : ''}<thead>${head}</thead><tbody>${body.join('')}</tbody></table>${note}`;
}

function latexEscape(s: string): string {
  return s.replace(/\\/g, '\\textbackslash{}').replace(/([&%$#_{}])/g, '\\$1').replace(/~/g, '\\textasciitilde{}').replace(/\^/g, '\\textasciicircum{}')
    .replace(/✓/g, '\\checkmark').replace(/✗/g, '\\texttimes').replace(/→/g, '$\\rightarrow$').replace(/↓/g, '$\\downarrow$').replace(/–/g, '--');
}

/** A booktabs tabular; `caption`/`label` wrap it in a table environment. */
export function toLatex(table: AnyTable, opts: { digits?: number; caption?: string; label?: string } = {}): string {
  const t = asTable(table);
  checkTable(t);
  const d = opts.digits ?? 2;
  const align = t.columns.map((_, j) => (t.rows.some((r) => typeof r[j] === 'number') ? 'r' : 'l')).join('');
  const body = [
    `\\begin{tabular}{${align}}`, '\\toprule',
    t.columns.map(latexEscape).join(' & ') + ' \\\\', '\\midrule',
    ...t.rows.map((r) => r.map((v) => latexEscape(fmt(v, d))).join(' & ') + ' \\\\'),
    '\\bottomrule', '\\end{tabular}',
  ];
  if (!opts.caption && !opts.label) return body.join('\n') + '\n';
  return ['\\begin{table}[t]', '\\centering', ...body, opts.caption ? `\\caption{${latexEscape(opts.caption)}}` : '', opts.label ? `\\label{${opts.label}}` : '', '\\end{table}'].filter(Boolean).join('\n') + '\n';
}

export interface RatioInput { method: string; realError: number; synError: number; unit?: string }

/** Syn→real ratio per method: real-trained error ÷ synthetic-trained error (100% = no gap). */
export function ratioTable(rows: RatioInput[], unit = 'cm'): Table {
  return {
    columns: ['Method', `Real PA-MPJPE (${unit})`, `Synthetic PA-MPJPE (${unit})`, 'Syn→Real ratio (%)'],
    rows: rows.map((r) => {
      if (!(r.realError > 0) || !(r.synError > 0)) throw new InputError(`ratio table, method ${r.method}`, `errors must be positive (real ${r.realError}, synthetic ${r.synError})`);
      return [r.method, r.realError, r.synError, Math.round((1000 * r.realError) / r.synError) / 10];
    }),
  };
}

export interface AblationInput { name: string; arm: boolean | 'random'; amplitudeAug: boolean; object: boolean | 'random'; errors: Record<string, number> }

/** Component ablation: which components are on, and PA-MPJPE per test set. */
export function ablationTable(rows: AblationInput[], testSets: string[], unit = 'cm'): Table {
  const mark = (v: boolean | 'random') => (v === 'random' ? '~✓' : v ? '✓' : '✗');
  return {
    columns: ['Component', 'Arm', 'Amplitude Aug.', 'Object', ...testSets.map((s) => `${s} PA-MPJPE (${unit})↓`)],
    rows: rows.map((r) => [r.name, mark(r.arm), mark(r.amplitudeAug), mark(r.object), ...testSets.map((s) => (s in r.errors ? r.errors[s] : null))]),
  };
}

/** Write a table as <base>.csv, <base>.md and <base>.tex (atomic); returns the paths. */
export async function writeTable(base: string, table: AnyTable, opts: { caption?: string; label?: string; digits?: number } = {}): Promise<string[]> {
  const t = asTable(table);
  const files = [`${base}.csv`, `${base}.md`, `${base}.tex`];
  writeFileAtomic(files[0], toCsv(t));
  writeFileAtomic(files[1], (opts.caption ? `**${opts.caption}**\n\n` : '') + toMarkdown(t, opts.digits));
  writeFileAtomic(files[2], toLatex(t, opts));
  return files;
}
