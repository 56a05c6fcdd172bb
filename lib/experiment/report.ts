/**
 * From collected experiment results to tables (IO: writes files). An experiment's "report" block says
 * what to make of its rows:
 *   { "type": "saturation", "x": "poseFraction", "y": "paMpjpeMm", "groupBy": ["testSet"] }
 *   { "type": "ablation", "name": "row", "arm": "arm", "amplitudeAug": "amplitudeAug", "object": "object",
 *     "testSet": "testSet", "y": "paMpjpeMm" }
 *   { "type": "ratio", "method": "method", "domain": "domain", "y": "paMpjpeMm" }   (domain: real | synthetic)
 * Every experiment also gets results.{csv,md,tex}: one row per sweep point with its variables and fields.
 */
import path from 'node:path';
import type { Json, ResolvedExperiment } from './declaration.ts';
import type { CollectedRow } from './runner.ts';
import { writeTable, ablationTable, ratioTable, type Table, type Cell, type AblationInput } from '../analysis/tables.ts';
import { analyseSaturation, evalModel, type SaturationReport } from '../analysis/saturation.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { InputError } from '../util/errors.ts';
import { saturationFigure } from '../plot/figures.ts';
import { exportFigures } from '../plot/export.ts';

export interface ReportOutput { files: string[]; saturation?: { group: string; report: SaturationReport }[]; tables: Record<string, Table> }

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

  if (report.type === 'saturation') {
    const x = String(report.x);
    const groupBy = (report.groupBy as string[] | undefined) ?? [];
    const groups = new Map<string, CollectedRow[]>();
    for (const r of done) { const g = groupBy.map((k) => `${k}=${r.vars[k]}`).join(',') || 'all'; groups.set(g, [...(groups.get(g) ?? []), r]); }
    out.saturation = [];
    const satRows: Cell[][] = [];
    for (const [g, rs] of groups) {
      const xs = rs.map((r) => num(r.vars[x], `${where}: sweep variable ${x}`)), ys = rs.map((r) => num(r.values![y], `${where}: field ${y} of run ${r.key}`));
      const points: Cell[][] = rs.map((r, i) => [g, xs[i], ys[i]]);
      tables[`curve-${g}`] = { columns: ['group', x, y], rows: points };
      if (new Set(xs).size < 4) { satRows.push([g, xs.length, 'too few fractions to fit (need 4)', null, null, null, null, null, null, null]); continue; }
      const rep = analyseSaturation(xs, ys, { seed, replicates: Number(report.replicates ?? 500) });
      out.saturation.push({ group: g, report: rep });
      const [r90, r97] = rep.reach;
      satRows.push([g, xs.length, rep.fit.atBound ? `${rep.fit.model} (c at search bound: no saturation visible)` : rep.fit.model, rep.fit.a, rep.fit.b, rep.fit.c, r90.fraction, `[${r90.lo.toFixed(3)}, ${r90.hi.toFixed(3)}]`, r97.fraction, `[${r97.lo.toFixed(3)}, ${r97.hi.toFixed(3)}]`]);
    }
    // figure: points, fitted curve, and the 90% / 97% error levels (lib/plot builder)
    const grid = Array.from({ length: 60 }, (_, i) => 0.02 + (0.98 * i) / 59);
    const series = out.saturation.map(({ group, report: rep }) => {
      const rs = groups.get(group)!;
      return { name: group, x: rs.map((r) => Number(r.vars[x])), y: rs.map((r) => Number(r.values![y])), fit: { x: grid, y: grid.map((g) => evalModel(rep.fit, g)), label: `${rep.fit.model} fit` } };
    });
    if (series.length) {
      const e1 = evalModel(out.saturation[0].report.fit, 1);
      const fig = saturationFigure({ series, xLabel: x, xUnit: 'fraction', yLabel: y, yUnit: 'mm', references: [{ y: e1 / 0.9, label: '90% of full-data performance' }, { y: e1 / 0.97, label: '97%' }], title: `${exp.name} (${exp.scale})` });
      const base = path.join(outDir, 'saturation-figure');
      writeJsonAtomic(`${base}.json`, fig);
      out.files.push(`${base}.json`);
      if (opts.png !== false) try {
        out.files.push(...await exportFigures([{ fig, base, formats: ['png', 'svg'] }]));
      } catch (e) { process.stderr.write(`saturation figure not exported (${(e as Error).message.split('\n')[0]}); its spec is in ${base}.json\n`); }
    }
    tables.saturation = { columns: ['group', 'points', 'model (AIC)', 'a', 'b', 'c', `${x} at 90%`, '95% CI', `${x} at 97%`, '95% CI '], rows: satRows };
    out.files.push(...await writeTable(path.join(outDir, 'saturation'), tables.saturation, { caption: `Saturation of ${y} over ${x}: fraction reaching 90% / 97% of full-data performance (performance = 1/error), residual bootstrap`, digits: 3 }));
    writeJsonAtomic(path.join(outDir, 'saturation.json'), out.saturation, 1);
    out.files.push(path.join(outDir, 'saturation.json'));
  } else if (report.type === 'ablation') {
    const testKey = String(report.testSet ?? 'testSet'), nameKey = String(report.name ?? 'row');
    const testSets = [...new Set(done.map((r) => String(r.vars[testKey])))];
    const byName = new Map<string, AblationInput>();
    for (const r of done) {
      const name = String(r.vars[nameKey]);
      const flag = (k: string): boolean | 'random' => { const v = r.vars[String(report[k] ?? k)]; return v === 'random' ? 'random' : Boolean(v); };
      const e: AblationInput = byName.get(name) ?? { name, arm: flag('arm'), amplitudeAug: flag('amplitudeAug') === true, object: flag('object'), errors: {} };
      e.errors[String(r.vars[testKey])] = num(r.values![y], `${where}: field ${y} of run ${r.key}`) / 10; // mm → cm, as in the study
      byName.set(name, e);
    }
    tables.ablation = ablationTable([...byName.values()], testSets, 'cm');
    out.files.push(...await writeTable(path.join(outDir, 'ablation'), tables.ablation, { caption: 'Component ablation (PA-MPJPE, cm)' }));
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
