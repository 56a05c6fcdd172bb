/**
 * Discovery of figure producers: lib/plot/producers/*.ts and lib/<area>/figures.ts, each
 * default-exporting FigureProducer[] (see registry.ts). A lib/<area>/figures.ts WITHOUT a default
 * export (plain builder functions, e.g. lib/spectral/figures.ts) is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../util/paths.ts';
import { HandgapError, InputError } from '../util/errors.ts';
import { figureGroup, writeFigure, type FigureProducer, type ProducedFigure } from './registry.ts';
import { Progress } from '../util/progress.ts';
import { FigureExporter } from './export.ts';

function producerFiles(root = projectRoot): string[] {
  const lib = path.join(root, 'lib');
  const own = path.join(lib, 'plot', 'producers');
  const files = fs.existsSync(own) ? fs.readdirSync(own).filter((f) => f.endsWith('.ts')).map((f) => path.join(own, f)) : [];
  for (const area of fs.readdirSync(lib)) {
    const f = path.join(lib, area, 'figures.ts');
    if (area !== 'plot' && fs.existsSync(f)) files.push(f);
  }
  return files.sort();
}

export async function loadProducers(root = projectRoot): Promise<FigureProducer[]> {
  const out: FigureProducer[] = [];
  for (const f of producerFiles(root)) {
    // producer files are found by their place (lib/<area>/figures.ts, lib/<area>/producers/*.ts), so a new figure needs no registration here
    const mod = (await import(pathToFileURL(f).href)) as { default?: unknown };
    // a lib/<area>/figures.ts without a default export is a builder module, not a producer file
    if (mod.default === undefined && !f.includes(`${path.sep}producers${path.sep}`)) continue;
    if (!Array.isArray(mod.default)) throw new InputError(path.relative(root, f), 'must default-export an array of FigureProducer');
    out.push(...(mod.default as FigureProducer[]));
  }
  return out;
}

export interface ExportedFigure { name: string; group: string; files: string[] }

/**
 * Run every producer on the cached results and export its figures to <root>/<group>/ (group = the
 * scale of the runs, or "study"; see registry.ts), one chromium for the batch. `only` keeps the named
 * producers or figures. A failing producer is logged and skipped, not fatal.
 */
export async function exportRegisteredFigures(root: string, opts: { only?: string[]; log?: (m: string) => void; producers?: FigureProducer[]; strict?: boolean } = {}): Promise<ExportedFigure[]> {
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const produced: ProducedFigure[] = [];
  const known = new Set<string>();
  for (const p of opts.producers ?? (await loadProducers())) {
    let r: Awaited<ReturnType<typeof p.produce>>;
    try { r = await p.produce(); } catch (e) {
      // a producer only reads cached results: one that fails on them names its results, not a stack
      const why = `cannot build its figures from the cached results (${(e as Error).message.split('\n')[0]}); re-run what writes them`;
      if (opts.strict) throw e instanceof HandgapError ? e : new InputError(`figure producer "${p.name}"`, why);
      log(`figures: producer ${p.name} ${why}`);
      continue;
    }
    known.add(p.name);
    for (const f of r.figures) known.add(f.name);
    if (r.skipped) log(`figures: skipped ${p.name}: ${r.skipped}`);
    produced.push(...r.figures.filter((f) => !opts.only || opts.only.includes(p.name) || opts.only.includes(f.name)));
  }
  const unknown = (opts.only ?? []).filter((n) => !known.has(n));
  if (unknown.length) throw new InputError('--only', `no producer or produced figure named ${unknown.map((n) => `"${n}"`).join(', ')}; known producers and figures (with cached results): ${[...known].join(', ')}`);
  if (!produced.length) return [];
  const ex = await FigureExporter.launch();
  const progress = new Progress({ label: 'figures', total: produced.length, unit: 'figures' });
  const out: ExportedFigure[] = [];
  try {
    for (const f of produced) {
      const group = figureGroup(f);
      const dir = path.join(root, group);
      fs.mkdirSync(dir, { recursive: true });
      const s = await writeFigure(ex, f, dir);
      out.push({ name: f.name, group, files: [...s.files, `${f.name}.json`] });
      progress.tick();
    }
  } finally { await ex.close(); }
  progress.finish();
  return out;
}
