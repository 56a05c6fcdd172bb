/**
 * The figure registry behind `npm run figures` (handgap figures). A producer turns CACHED results
 * (never a new experiment) into figures; it returns [] with a reason when its results are absent.
 *
 * Other areas add producers in a file `lib/<area>/figures.ts` that default-exports FigureProducer[]
 * (discovered by the figures command), building each figure with lib/plot builders or handing a
 * plain plotly object:  `return [figure('saturation-poses', fig, { data, config })]`.
 * Every exported figure gets a sidecar <name>.json: its data, the config and its hash, the git commit.
 */
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../util/paths.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { InputError } from '../util/errors.ts';
import type { PlotlyFigure } from './style.ts';
import type { ExportFormat, FigureExporter } from './export.ts';
import { plotlyVersion } from './plotlyjs.ts';

export interface FigureMeta {
  /** The plain data the figure shows (recorded in the sidecar). */
  data: unknown;
  /** The configuration that produced the data (scale, seeds, experiment config...). */
  config?: unknown;
  /** One sentence: what the figure shows. */
  caption?: string;
  /** Files the data came from (result caches). */
  sources?: string[];
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

/** `<sha>` of HEAD, with "-dirty" when the working tree has changes; "unknown" outside git. */
export function gitCommit(cwd = projectRoot): string {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).stdout.trim() !== '';
  return r.stdout.trim() + (dirty ? '-dirty' : '');
}

export interface Sidecar {
  name: string; caption?: string; files: string[]; data: unknown; config: unknown; configHash: string;
  dataHash: string; commit: string; plotly: string; created: string; sources?: string[];
}

/** Export one produced figure to <dir>/<name>.{png,svg,pdf} and write its sidecar <name>.json. */
export async function writeFigure(ex: FigureExporter, f: ProducedFigure, dir: string, commit = gitCommit()): Promise<Sidecar> {
  const base = path.join(dir, f.name);
  const files = await ex.write(f.fig, base, f.meta.formats);
  const sidecar: Sidecar = {
    name: f.name, caption: f.meta.caption, files: files.map((p) => path.basename(p)),
    data: f.meta.data, config: f.meta.config ?? null, configHash: configHash(f.meta.config), dataHash: configHash(f.meta.data),
    commit, plotly: plotlyVersion(), created: new Date().toISOString(), sources: f.meta.sources,
  };
  writeJsonAtomic(`${base}.json`, sidecar, 1);
  return sidecar;
}
