/**
 * `handgap reproduce` (the main job): run the walkthrough stages, write tables, export figures through
 * the figures registry (every producer: the study's reported figures, the areas' producers and ours),
 * execute the notebooks at the same scale (they reuse the cached stage results) and write summary.md.
 */
import path from 'node:path';
import { writeFileAtomic, writeJsonAtomic, ensureDir } from '../util/fsx.ts';
import { figuresDir, projectRoot } from '../util/paths.ts';
import { writeTable } from '../analysis/tables.ts';
import { runWalkthrough, writeWalkthroughResults, loadArmFrames, fmtSeconds, type StageId, type WalkthroughResult } from './walkthrough.ts';
import { comparisonTable, stageTable, summaryMarkdown, armContrastTable, type SummaryExtras } from './summary.ts';
import { parseScale } from '../experiment/declaration.ts';
import fs from 'node:fs';
import { exportRegisteredFigures } from '../plot/producers.ts';
import { listNotebooks, runNotebooks, executedDir } from '../notebook/runner.ts';
import { checkNotebookImages } from './notebooks.ts';

/**
 * Notebooks executed at once after the stages: their stages come from the cache, so each is mostly a kernel's
 * start and type checking on one core (measured at demo scale in docs/walkthrough.md, "Demo time").
 */
const NOTEBOOKS_AT_ONCE = 2;

export interface ReproduceOptions {
  scale?: string;
  out?: string;
  figures?: string | null;
  /** execute the notebooks (default: the scale's plan) */
  notebooks?: boolean;
  only?: StageId[];
  real?: string | null;
  /** the sweeps of the experiments stage (default: all) */
  sweeps?: string[];
  log?: (m: string) => void;
}

export interface ReproduceResult { result: WalkthroughResult; summaryFile: string; summary: string; extras: SummaryExtras }

export async function reproduce(opts: ReproduceOptions = {}): Promise<ReproduceResult> {
  const t0 = Date.now();
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const scale = parseScale(opts.scale ?? process.env.HANDGAP_SCALE, 'demo');
  const result = await runWalkthrough({ scale, out: opts.out, only: opts.only, real: opts.real, sweeps: opts.sweeps, log });
  const tablesDir = ensureDir(path.join(result.out, 'tables'));
  const armFrames = loadArmFrames(result);
  const contrasts = armContrastTable(result, armFrames);
  const tables = [
    ...(await writeTable(path.join(tablesDir, 'comparison'), comparisonTable(result, armFrames), { caption: `Our numbers beside the study's (${scale})` })),
    ...(contrasts ? await writeTable(path.join(tablesDir, 'arm-contrasts'), contrasts, { caption: `The arms against the real arm on the same test frames (${scale})` }) : []),
    ...(await writeTable(path.join(tablesDir, 'stages'), stageTable(result), { caption: `Walkthrough stages (${scale})` })),
  ].filter((f) => f.endsWith('.md'));
  let notebooks: SummaryExtras['notebooks'] = null;
  if (opts.notebooks ?? scale !== 'smoke') {
    const files = listNotebooks().filter((f) => /^0[0-8]_/.test(path.basename(f)));
    // resume: when every stage came from the cache, an executed copy newer than its notebook (and than
    // the previous results) that passed its image check is reused instead of re-executed
    const nothingNew = result.stages.every((st) => st.executed === 0);
    const stamp = path.join(result.out, 'notebooks.json');
    const prev = fs.existsSync(stamp) ? (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { scale: string; ok: string[] }) : null;
    const reusable = (f: string) => {
      const ex = path.join(executedDir, path.basename(f));
      return nothingNew && opts.notebooks !== true && prev?.scale === scale && prev.ok.includes(path.basename(f, '.ipynb'))
        && fs.existsSync(ex) && fs.statSync(ex).mtimeMs > fs.statSync(f).mtimeMs && checkNotebookImages(ex) === null;
    };
    const reused = files.filter(reusable), todo = files.filter((f) => !reused.includes(f));
    if (reused.length) log(`notebooks: ${reused.length} executed copies reused (nothing changed since they ran): ${reused.map((f) => path.basename(f, '.ipynb')).join(', ')}`);
    const nbStart = Date.now();
    if (todo.length) log(`notebooks: executing ${todo.length} at ${scale} scale (two at a time, about a minute each on 2 cores: kernel start and type checking; the stages come from the cache)`);
    const rs = await runNotebooks(todo, { scale, parallel: NOTEBOOKS_AT_ONCE, onDone: (r, i, n) => log(`notebooks ${i + 1}/${n} done, ${path.basename(r.notebook)}: ${r.ok ? 'ok' : `FAILED (cell ${r.cell}): ${(r.error ?? '').split('\n')[0]}`} in ${r.seconds.toFixed(0)} s${i + 1 < n ? `; ETA ${fmtSeconds(((Date.now() - nbStart) / 1000 / (i + 1)) * (n - i - 1))}` : ''}`) });
    notebooks = [
      ...reused.map((f) => ({ name: path.basename(f, '.ipynb'), ok: true, file: path.relative(projectRoot, path.join(executedDir, path.basename(f))) })),
      ...rs.map((r) => {
        const missing = r.ok ? checkNotebookImages(r.executed) : null;
        if (missing) log(`notebook ${missing}`);
        return { name: path.basename(r.notebook, '.ipynb'), ok: r.ok && !missing, file: path.relative(projectRoot, r.executed) };
      }),
    ].sort((a, b) => a.name.localeCompare(b.name));
    writeJsonAtomic(stamp, { scale, ok: notebooks.filter((n) => n.ok).map((n) => n.name) });
    // the notebooks ran the walkthrough again from the cache and wrote their own results.json (no stage times);
    // this job's results stand, and the figures below (and any later `npm run figures`) read those
    writeWalkthroughResults(result);
  }
  const figDir = opts.figures === null ? null : path.resolve(opts.figures ?? figuresDir());
  let figures: string[] = [];
  if (figDir) {
    try { figures = (await exportRegisteredFigures(figDir, { log })).map((f) => `${f.group}/${f.name}`); } catch (e) { log(`figures: export failed: ${(e as Error).message.split('\n')[0]}`); }
  }
  const extras: SummaryExtras = { figures, figuresDir: figDir ? path.relative(projectRoot, figDir) || '.' : '(not exported)', tables: tables.map((f) => path.relative(projectRoot, f)), notebooks, seconds: (Date.now() - t0) / 1000, armFrames };
  const summary = summaryMarkdown(result, extras);
  const summaryFile = path.join(result.out, 'summary.md');
  writeFileAtomic(summaryFile, summary);
  return { result, summaryFile, summary, extras };
}
