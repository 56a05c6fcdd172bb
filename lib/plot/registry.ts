/**
 * The figure registry behind `npm run figures` (handgap figures). A producer turns CACHED results
 * (never a new experiment) into figures; it returns [] with a reason when its results are absent.
 *
 * Other areas add producers in a file `lib/<area>/figures.ts` that default-exports FigureProducer[]
 * (discovered by the figures command), building each figure with lib/plot builders or handing a
 * plain plotly object:  `return [figure('saturation-poses', fig, { data, config })]`.
 * Every exported figure gets a sidecar <name>.json: its data, the config and their hashes, and the
 * sha256 of the result files it came from. Nothing in it changes between two exports of the same
 * results (no timestamp, no commit), so re-running `npm run figures` changes no byte.
 *
 * Figures go to a folder per scale: <figures>/<scale>/ for figures from our runs (meta.scale or
 * config.scale: smoke, demo, paper), <figures>/study/ for the study's reported numbers. A smoke run
 * therefore never replaces a demo figure.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../util/paths.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { InputError } from '../util/errors.ts';
import { withProvenance, type PlotlyFigure, type Provenance } from './style.ts';
import type { ExportFormat, FigureExporter } from './export.ts';
import { plotlyVersion } from './plotlyjs.ts';

export interface FigureMeta {
  /** The plain data the figure shows (recorded in the sidecar). */
  data: unknown;
  /** The configuration that produced the data (scale, seeds, experiment config...). */
  config?: unknown;
  /** One sentence: what the figure shows. */
  caption?: string;
  /** Files the data came from (result caches); their sha256 go into the sidecar. */
  sources?: string[];
  /** Scale of the runs the data came from (default: config.scale); absent = not from our runs. */
  scale?: string;
  /** How the footer names the scale when it differs from the folder's (e.g. "smoke (sweep of the demo walkthrough)"). */
  scaleLabel?: string;
  /** Seeds of the runs (default: config.seed / config.seeds); named under the figure. */
  seeds?: number[];
  /** The test set the numbers are measured on, where there is one; named under the figure. */
  testSet?: string;
  /** One short caveat named under the figure in red (e.g. "no signal at this scale: ..."). */
  note?: string;
  formats?: ExportFormat[];
}

export interface ProducedFigure { name: string; fig: PlotlyFigure; meta: FigureMeta }

export interface FigureProducer {
  name: string;
  /** Figures from cached results; `skipped` says why nothing was produced (e.g. results absent). */
  produce(): Promise<{ figures: ProducedFigure[]; skipped?: string }>;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Declare one figure (validates the name: it becomes the file name). */
export function figure(name: string, fig: PlotlyFigure, meta: FigureMeta): ProducedFigure {
  if (!NAME.test(name)) throw new InputError(`figure "${name}"`, 'name must be lowercase letters, digits, ".", "_" or "-" (it is the file name)');
  if (!fig || !Array.isArray(fig.data) || typeof fig.layout !== 'object') throw new InputError(`figure "${name}"`, 'expected a plotly figure { data: [], layout: {} }');
  return { name, fig, meta };
}

/** Stable JSON (sorted keys) for hashing. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v as ArrayLike<unknown>, stableStringify).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function configHash(config: unknown): string {
  return crypto.createHash('sha256').update(stableStringify(config ?? null)).digest('hex').slice(0, 16);
}

export interface Sidecar {
  name: string; caption?: string; scale: string; scaleLabel?: string; seeds?: number[]; testSet?: string; note?: string; files: string[]; data: unknown; config: unknown; configHash: string;
  dataHash: string; plotly: string; inputs?: { file: string; sha256: string | null }[];
}

/** The scale of the run a figure comes from (meta, else its config's); undefined for the study's reported numbers. */
function runScale(f: ProducedFigure): string | undefined {
  const fromConfig = (f.meta.config as { scale?: unknown } | null | undefined)?.scale;
  return f.meta.scale ?? (typeof fromConfig === 'string' ? fromConfig : undefined);
}

/** The folder (under the figures root) a figure belongs in: its scale, or "study" for reported numbers. */
export function figureGroup(f: ProducedFigure): string {
  const scale = runScale(f);
  if (scale !== undefined && !NAME.test(scale)) throw new InputError(`figure "${f.name}"`, `scale "${scale}" is not a folder name`);
  return scale ?? 'study';
}

function fileSha256(file: string): string | null {
  try { return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'); } catch { return null; }
}

/** Test set, scale and seeds of a figure from our runs (nothing for the study's reported numbers). */
export function figureProvenance(f: ProducedFigure): Provenance {
  // the study's reported numbers (no scale of their own) have no run of ours behind them; our study-scale runs do
  if (runScale(f) === undefined) return {};
  const group = figureGroup(f);
  const c = (f.meta.config ?? {}) as { seed?: unknown; seeds?: unknown };
  const seeds = f.meta.seeds ?? (Array.isArray(c.seeds) ? c.seeds.filter((x): x is number => typeof x === 'number') : typeof c.seed === 'number' ? [c.seed] : undefined);
  return { scale: f.meta.scaleLabel ?? group, seeds, testSet: f.meta.testSet, note: f.meta.note };
}

/** Export one produced figure to <dir>/<name>.{png,svg,pdf} and write its sidecar <name>.json. */
export async function writeFigure(ex: FigureExporter, f: ProducedFigure, dir: string): Promise<Sidecar> {
  const base = path.join(dir, f.name);
  const files = await ex.write(withProvenance(f.fig, figureProvenance(f)), base, f.meta.formats);
  const { scale: _footerScale, ...provenance } = figureProvenance(f);   // the sidecar's scale is the folder's
  const sidecar: Sidecar = {
    name: f.name, caption: f.meta.caption, scale: figureGroup(f), ...(f.meta.scaleLabel ? { scaleLabel: f.meta.scaleLabel } : {}), files: files.map((p) => path.basename(p)),
    ...provenance,
    data: f.meta.data, config: f.meta.config ?? null, configHash: configHash(f.meta.config), dataHash: configHash(f.meta.data),
    plotly: plotlyVersion(),
    inputs: f.meta.sources?.map((file) => ({ file: path.isAbsolute(file) ? path.relative(projectRoot, file) : file, sha256: fileSha256(file) })),
  };
  writeJsonAtomic(`${base}.json`, sidecar, 1);
  return sidecar;
}
