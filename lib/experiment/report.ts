/**
 * From collected experiment results to tables (IO: writes files). An experiment's "report" block says
 * what to make of its rows:
 *   { "type": "saturation", "x": "poseFraction", "y": "paMpjpeMm", "groupBy": ["testSet"] }
 *   { "type": "ablation", "name": "row", "arm": "arm", "amplitudeAug": "amplitudeAug", "object": "object",
 *     "testSet": "testSet", "y": "paMpjpeMm", "reference": "(v) Full" }
 *   (with seeds, contrasts.{csv,md,tex}: every row minus the reference row, paired by seed; the reference
 *   defaults to the one row with arm, amplitude augmentation and object all on)
 *   { "type": "ratio", "method": "method", "domain": "domain", "y": "paMpjpeMm" }   (domain: real | synthetic)
 * "replicate": "seed" names the sweep variable that repeats a point (its seeds): the saturation and ablation
 * tables then show each point's mean over its seeds. Every experiment gets results.{csv,md,tex}: one row per
 * run (sweep point × seed) with its variables and fields; and, when the constant pose is collected
 * ("constantPose.paMpjpeMm"), points.{csv,md,tex}: per point the mean with its 95% interval (t over seeds, or
 * the one run's bootstrap over test frames), the constant pose and best-match oracle, the ratio to the constant
 * pose with its interval and the verdict (lib/analysis/replicates.ts). A saturation curve is fitted only when
 * at least 4 x values separate from their constant pose and the smallest and largest of them separate from
 * each other; otherwise the saturation table says why there is no fit.
 */
import path from 'node:path';
import type { Json, ResolvedExperiment } from './declaration.ts';
import type { CollectedRow } from './runner.ts';
import { writeTable, ablationTable, ratioTable, type Table, type Cell, type AblationInput } from '../analysis/tables.ts';
import { analyseSaturation, evalModel, type SaturationReport } from '../analysis/saturation.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { InputError } from '../util/errors.ts';
import { saturationFigure } from '../plot/figures.ts';
import { summariseSeeds, separate, contrastBySeed, type SeedScore, type SeedSummary, type SeedContrast } from '../analysis/replicates.ts';
import { FigureExporter } from '../plot/export.ts';
import { figure, writeFigure } from '../plot/registry.ts';

/** A saturation fit and the data it was fitted to (per-seed values of the points that separate). */
export interface SaturationEntry { group: string; report: SaturationReport; x: number[]; y: number[] }

/** One sweep point over its seeds: its variables (the replicate variable left out), its runs and its summary. */
export interface PointSummary { vars: Record<string, Json>; runs: string[]; summary: SeedSummary }

export interface ReportOutput {
  files: string[]; saturation?: SaturationEntry[]; tables: Record<string, Table>;
  /** per sweep point (seeds aggregated), when the constant pose is collected */
  points?: PointSummary[];
  /** why there is no saturation fit, per group (absent where there is one) */
  saturationSkipped?: { group: string; reason: string }[];
  /** ablation with seeds: every row against the full recipe, paired by seed */
  contrasts?: AblationContrast[];
}

/** One ablation row minus the full recipe's, on one test set (lib/analysis/replicates.ts contrastBySeed). */
export interface AblationContrast { row: string; reference: string; testSet: string; contrast: SeedContrast }

/** The fields the evaluate kind reports, as a declaration collects them (dotted paths). */
export const SCORE_FIELDS = {
  constantPose: 'constantPose.paMpjpeMm', bestMatch: 'bestMatch.paMpjpeMm', ratio: 'ratioToConstantPose.paMpjpe',
  low: 'paMpjpeInterval.low', high: 'paMpjpeInterval.high', ratioLow: 'ratioToConstantPose.paMpjpeInterval.low', ratioHigh: 'ratioToConstantPose.paMpjpeInterval.high',
  trainFit: 'trainFit.paMpjpeMm', n: 'n',
} as const;

/** A finished row's score as lib/analysis/replicates.ts reads it (y is the score; the rest from SCORE_FIELDS when collected). */
export function seedScore(r: CollectedRow, y: string, replicate?: string): SeedScore {
  const v = r.values ?? {};
  const n = (k: string): number | null => (typeof v[k] === 'number' && Number.isFinite(v[k] as number) ? v[k] as number : null);
  const iv = (lo: number | null, hi: number | null, mean: number | null, what: string) => (lo !== null && hi !== null && mean !== null ? { mean, low: lo, high: hi, n: n(SCORE_FIELDS.n) ?? 0, method: what } : null);
  const pa = n(y)!;
  return {
    seed: replicate ? (r.vars[replicate] as number) : r.point, paMpjpeMm: pa,
    constantPoseMm: n(SCORE_FIELDS.constantPose), bestMatchMm: n(SCORE_FIELDS.bestMatch), ratio: n(SCORE_FIELDS.ratio), trainFitMm: n(SCORE_FIELDS.trainFit), n: n(SCORE_FIELDS.n),
    interval: iv(n(SCORE_FIELDS.low), n(SCORE_FIELDS.high), pa, '95% percentile bootstrap over test frames (one seed)'),
    ratioInterval: iv(n(SCORE_FIELDS.ratioLow), n(SCORE_FIELDS.ratioHigh), n(SCORE_FIELDS.ratio), '95% paired bootstrap over test frames (one seed)'),
  };
}

/** Finished rows grouped into sweep points (all variables but the replicate), in sweep order, each summarised over its seeds. */
export function pointSummaries(rows: CollectedRow[], y: string, opts: { replicate?: string; plumbing?: boolean } = {}): PointSummary[] {
  const groups = new Map<string, { vars: Record<string, Json>; rows: CollectedRow[] }>();
  for (const r of rows) {
    if (!r.values || typeof r.values[y] !== 'number') continue;
    const vars = Object.fromEntries(Object.entries(r.vars).filter(([k]) => k !== opts.replicate));
    const key = JSON.stringify(vars);
    const g = groups.get(key) ?? { vars, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ vars: g.vars, runs: g.rows.map((r) => r.key), summary: summariseSeeds(g.rows.map((r) => seedScore(r, y, opts.replicate)), { plumbing: opts.plumbing }) }));
}

const fmt = (x: number | null | undefined, d = 2): Cell => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const ivText = (i: { low: number; high: number } | null, d = 2): Cell => (i ? `[${i.low.toFixed(d)}, ${i.high.toFixed(d)}]` : null);

/** points.{csv,md,tex}: one row per sweep point, mm, with the baselines, the ratio and the verdict. */
function pointsTable(points: PointSummary[], y: string): Table {
  const vars = [...new Set(points.flatMap((p) => Object.keys(p.vars)))];
  return {
    columns: [...vars, 'seeds', `${y} mean`, '95% interval', 'interval over', 'constant pose (mm)', 'best-match oracle (mm)', 'training-set fit (mm)', '÷ constant pose', '÷ constant pose 95%', 'verdict'],
    rows: points.map(({ vars: v, summary: s }) => [...vars.map((k) => cell(v[k])), s.seeds.join(' '), fmt(s.mean), ivText(s.interval), s.intervalKind, fmt(s.constantPoseMm), fmt(s.bestMatchMm), fmt(s.trainFitMm), fmt(s.ratioToConstantPose, 3), ivText(s.ratioInterval, 3), s.verdict]),
  };
}

const cell = (v: Json | undefined): Cell => (v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
const num = (v: Json | undefined, where: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(where, `expected a number, got ${JSON.stringify(v)}`);
  return v;
};

/** One row per sweep point: variables, then collected fields (null where unfinished). */
function resultsTable(rows: CollectedRow[], fields: string[]): Table {
  const vars = [...new Set(rows.flatMap((r) => Object.keys(r.vars)))];
  return { columns: [...vars, ...fields, 'run'], rows: rows.map((r) => [...vars.map((v) => cell(r.vars[v])), ...fields.map((f) => cell(r.values?.[f] ?? null)), r.key]) };
}

export async function writeExperimentReport(exp: ResolvedExperiment, report: Record<string, Json> | undefined, rows: CollectedRow[], fields: string[], outDir: string, seed: number, opts: { png?: boolean } = {}): Promise<ReportOutput> {
  const tables: Record<string, Table> = {};
  tables.results = resultsTable(rows, fields);
  const files = await writeTable(path.join(outDir, 'results'), tables.results, { caption: `${exp.name} (${exp.scale})` });
  const done = rows.filter((r) => r.values !== null);
  const out: ReportOutput = { files, tables };
  if (!report) return out;
  const where = `${exp.name}: report`;
  const y = String(report.y ?? '');
  if (!fields.includes(y)) throw new InputError(`${where}.y`, `"${y}" is not one of the collected fields (${fields.join(', ')})`);

  const replicate = typeof report.replicate === 'string' ? report.replicate : undefined;
  const baselines = fields.includes(SCORE_FIELDS.constantPose);
  const points = pointSummaries(done, y, { replicate, plumbing: exp.scale === 'smoke' });
  if (baselines) {
    out.points = points;
    tables.points = pointsTable(points, y);
    out.files.push(...await writeTable(path.join(outDir, 'points'), tables.points, { caption: `${exp.name} (${exp.scale}): each point over its seeds beside the constant pose and the best-match oracle (mm; 95% interval: t over seeds, or the one run's bootstrap over test frames)` }));
  }

  if (report.type === 'saturation') {
    const x = String(report.x);
    const groupBy = ((report.groupBy as string[] | undefined) ?? []).filter((k) => k !== replicate);
    const groups = new Map<string, PointSummary[]>();
    for (const p of points) { const g = groupBy.map((k) => `${k}=${p.vars[k]}`).join(',') || 'all'; groups.set(g, [...(groups.get(g) ?? []), p]); }
    out.saturation = [];
    out.saturationSkipped = [];
    const satRows: Cell[][] = [];
    const skip = (g: string, n: number, reason: string) => { out.saturationSkipped!.push({ group: g, reason }); satRows.push([g, n, reason, null, null, null, null, null, null, null]); };
    for (const [g, ps] of groups) {
      const xOf = (p: PointSummary) => num(p.vars[x], `${where}: sweep variable ${x}`);
      tables[`curve-${g}`] = { columns: ['group', x, y, '95% low', '95% high', 'seeds'], rows: ps.map((p) => [g, xOf(p), p.summary.mean, p.summary.interval?.low ?? null, p.summary.interval?.high ?? null, p.summary.seeds.length]) };
      // fit only points that carry signal (their ratio to the constant pose lies below 1), and only a curve that is not flat within its intervals
      const use = baselines ? ps.filter((p) => p.summary.signal) : ps;
      const xs = [...new Set(use.map(xOf))];
      if (xs.length < 4) {
        skip(g, ps.length, baselines && xs.length < new Set(ps.map(xOf)).size ? `no fit: ${xs.length} of ${ps.length} ${x} values separate from their constant pose (need 4)${exp.scale === 'smoke' ? '; plumbing check: no signal at this scale' : ''}` : `too few ${x} values to fit (need 4)`);
        continue;
      }
      const lo = use.reduce((a, p) => (xOf(p) < xOf(a) ? p : a)), hi = use.reduce((a, p) => (xOf(p) > xOf(a) ? p : a));
      if (baselines && !separate(lo.summary, hi.summary)) { skip(g, ps.length, `no fit: ${x} = ${xOf(lo)} and ${xOf(hi)} do not separate from each other (flat within the 95% intervals)`); continue; }
      // every seed's value enters the fit (the residual bootstrap then sees the seed-to-seed spread)
      const fx = use.flatMap((p) => p.summary.values.map(() => xOf(p))), fy = use.flatMap((p) => p.summary.values);
      const rep = analyseSaturation(fx, fy, { seed, replicates: Number(report.replicates ?? 500) });
      out.saturation.push({ group: g, report: rep, x: fx, y: fy });
      const [r90, r97] = rep.reach;
      satRows.push([g, ps.length, rep.fit.atBound ? `${rep.fit.model} (c at search bound: no saturation visible)` : rep.fit.model, rep.fit.a, rep.fit.b, rep.fit.c, r90.fraction, `[${r90.lo.toFixed(3)}, ${r90.hi.toFixed(3)}]`, r97.fraction, `[${r97.lo.toFixed(3)}, ${r97.hi.toFixed(3)}]`]);
    }
    // figure: point means with their intervals, the fitted curve where there is one (over the sampled range only:
    // beyond it the curve is an extrapolation), the 90% / 97% error levels and the constant pose; exported like every
    // figure (registry writeFigure: footer naming scale and seed, sidecar, byte-stable files)
    const series = [...groups].map(([group, ps]) => {
      const f = out.saturation!.find((e) => e.group === group);
      const iv = ps.every((p) => p.summary.interval);
      const xs = ps.map((p) => Number(p.vars[x])), x0 = Math.min(...xs), x1 = Math.max(...xs), grid = Array.from({ length: 50 }, (_, i) => x0 + ((x1 - x0) * i) / 49);
      return { name: group, x: xs, y: ps.map((p) => p.summary.mean), ...(iv ? { yLo: ps.map((p) => p.summary.interval!.low), yHi: ps.map((p) => p.summary.interval!.high) } : {}), ...(f ? { fit: { x: grid, y: grid.map((q) => evalModel(f.report.fit, q)), label: `${f.report.fit.model} fit` } } : {}) };
    });
    if (series.length) {
      const e1 = out.saturation[0] ? evalModel(out.saturation[0].report.fit, 1) : null;
      const cp = points.map((p) => p.summary.constantPoseMm).filter((v): v is number => v !== null);
      const references = [
        ...(e1 !== null ? [{ y: e1 / 0.9, label: '90% of full-data performance' }, { y: e1 / 0.97, label: '97%' }] : []),
        ...(cp.length ? [{ y: cp.reduce((a, b) => a + b, 0) / cp.length, label: 'constant pose (mean over points)', dash: 'dot' as const }] : []),
      ];
      const fig = saturationFigure({ series, xLabel: x, xUnit: 'fraction', yLabel: y, yUnit: 'mm', references, title: `${exp.name} (${exp.scale})` });
      const f = figure('saturation-figure', fig, {
        data: series, config: { experiment: exp.name, scale: exp.scale, seed, x, y }, scale: exp.scale, seeds: [seed], formats: ['png', 'svg'],
        caption: `${y} versus ${x} per sweep point (mean over seeds with its 95% interval) with the fitted saturation curve where the points separate (${exp.name}, ${exp.scale} scale), the levels of 90% and 97% of the full-data performance and the constant pose.`,
      });
      // the plotly figure itself, for a notebook or another tool to show
      writeJsonAtomic(path.join(outDir, 'saturation-figure.plotly.json'), fig);
      out.files.push(path.join(outDir, 'saturation-figure.plotly.json'));
      if (opts.png !== false) try {
        const ex = await FigureExporter.launch();
        try { out.files.push(...(await writeFigure(ex, f, outDir)).files.map((file) => path.join(outDir, file)), path.join(outDir, 'saturation-figure.json')); } finally { await ex.close(); }
      } catch (e) { process.stderr.write(`saturation figure not exported (${(e as Error).message.split('\n')[0]}); the plotly figure is in ${outDir}/saturation-figure.plotly.json\n`); }
    }
    tables.saturation = { columns: ['group', 'points', 'model (AIC)', 'a', 'b', 'c', `${x} at 90%`, '95% CI', `${x} at 97%`, '95% CI '], rows: satRows };
    out.files.push(...await writeTable(path.join(outDir, 'saturation'), tables.saturation, { caption: `Saturation of ${y} over ${x}: fraction reaching 90% / 97% of full-data performance (performance = 1/error), residual bootstrap; fitted only where the points separate from the constant pose and from each other`, digits: 3 }));
    writeJsonAtomic(path.join(outDir, 'saturation.json'), out.saturation, 1);
    out.files.push(path.join(outDir, 'saturation.json'));
  } else if (report.type === 'ablation') {
    // the test set: a point variable, else the experiment's real set (the syn-hgc sweeps test on it)
    const testKey = String(report.testSet ?? 'testSet'), nameKey = String(report.name ?? 'row');
    const testOf = (v: Record<string, Json>) => String(v[testKey] ?? exp.params.real ?? 'test');
    const testSets = [...new Set(points.map((p) => testOf(p.vars)))];
    const byName = new Map<string, AblationInput>();
    for (const p of points) {
      const name = String(p.vars[nameKey]);
      const flag = (k: string): boolean | 'random' => { const v = p.vars[String(report[k] ?? k)]; return v === 'random' ? 'random' : Boolean(v); };
      const e: AblationInput = byName.get(name) ?? { name, arm: flag('arm'), amplitudeAug: flag('amplitudeAug') === true, object: flag('object'), errors: {} };
      e.errors[testOf(p.vars)] = p.summary.mean / 10; // mm → cm, as in the study; the mean over the point's seeds
      byName.set(name, e);
    }
    tables.ablation = ablationTable([...byName.values()], testSets, 'cm');
    out.files.push(...await writeTable(path.join(outDir, 'ablation'), tables.ablation, { caption: `Component ablation (PA-MPJPE, cm${replicate ? ', mean over seeds; intervals, baselines and verdicts in points' : ''})` }));
    // each row against the full recipe, paired by seed: does taking the component out change the error?
    const entries = [...byName.values()];
    const allOn = entries.filter((e) => e.arm === true && e.amplitudeAug && e.object === true);
    const full = report.reference !== undefined ? entries.find((e) => e.name === String(report.reference)) : allOn.length === 1 ? allOn[0] : undefined;
    if (report.reference !== undefined && !full) throw new InputError(`${where}.reference`, `no row named "${String(report.reference)}" (rows: ${entries.map((e) => e.name).join(', ')})`);
    if (replicate && full) {
      const rows: Cell[][] = [];
      out.contrasts = [];
      for (const test of testSets) {
        const at = (name: string) => points.find((p) => String(p.vars[nameKey]) === name && testOf(p.vars) === test);
        const ref = at(full.name);
        if (!ref) continue;
        for (const e of entries) {
          const p = at(e.name);
          if (!p || e === full) continue;
          const c = contrastBySeed(p.summary, ref.summary);
          // a smoke-scale sweep is plumbing: its contrast is no finding either
          if (exp.scale === 'smoke') c.verdict = 'plumbing check: no verdict at this scale';
          out.contrasts.push({ row: e.name, reference: full.name, testSet: test, contrast: c });
          rows.push([e.name, full.name, test, c.seeds.join(' '), c.meanDifference, c.interval ? `[${c.interval.low.toFixed(2)}, ${c.interval.high.toFixed(2)}]` : '–', c.ratio, c.verdict]);
        }
      }
      tables.contrasts = { columns: ['row', 'reference', 'test set', 'seeds', 'row − reference (mm)', '95% t-interval over seeds', 'row ÷ reference', 'verdict'], rows };
      out.files.push(...await writeTable(path.join(outDir, 'contrasts'), tables.contrasts, { caption: `Each ablation row against ${full.name}, paired by seed (PA-MPJPE, mm; negative: the row has the lower error)`, digits: 3 }));
    }
  } else if (report.type === 'ratio') {
    const mKey = String(report.method ?? 'method'), dKey = String(report.domain ?? 'domain');
    const by = new Map<string, { real?: number; syn?: number }>();
    for (const r of done) {
      const m = String(r.vars[mKey]), d = String(r.vars[dKey]);
      const e = by.get(m) ?? {};
      if (d === 'real') e.real = num(r.values![y], where) / 10; else if (d === 'synthetic') e.syn = num(r.values![y], where) / 10;
      by.set(m, e);
    }
    tables.ratio = ratioTable([...by.entries()].filter(([, e]) => e.real && e.syn).map(([method, e]) => ({ method, realError: e.real!, synError: e.syn! })));
    out.files.push(...await writeTable(path.join(outDir, 'ratio'), tables.ratio, { caption: 'Syn→real ratio (real-trained ÷ synthetic-trained PA-MPJPE)' }));
  } else {
    throw new InputError(`${where}.type`, `unknown report type "${String(report.type)}" (saturation, ablation or ratio)`);
  }
  return out;
}
