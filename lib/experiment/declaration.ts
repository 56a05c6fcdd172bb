/**
 * Experiment declarations and their resolution into runs (pure; no file IO beyond readConfigFile).
 *
 * A declaration (experiments/<name>.json, experiments/walkthrough.json) says:
 *   {
 *     "name": "pose-fraction", "seed": 7,
 *     "params": { "testSet": "hgc-dev" },                       (inputs a caller may override)
 *     "scales": { "smoke": { "n": 16 }, "demo": { "n": 400 }, "study": { "n": 4000 }, "paper": { "n": 32560 } },
 *     "sweep": { "poseFraction": [0.1, 0.2, 0.5, 1.0], "seed": "$scale.seeds" },   (and/or "points": [{...}, ...])
 *     "steps": [
 *       { "id": "data",  "kind": "render",   "config": { "n": "$scale.n", "seed": "$seed" } },
 *       { "id": "model", "kind": "train",    "config": { "data": ["@data"], "steps": "$scale.trainSteps" } },
 *       { "id": "score", "kind": "evaluate", "config": { "model": "@model", "test": { "set": "$param.testSet" } } }
 *     ],
 *     "collect": { "step": "score", "fields": ["paMpjpeMm", "constantPose.paMpjpeMm"] }
 *   }
 * Substitutions inside step configs (any depth): "$scale.<key>", "$sweep.<key>", "$param.<key>", "$seed",
 * and "@<stepId>" (a dependency: replaced by "@<stepId>:<its run key>", its result handed to the step);
 * values looked up may themselves hold references (a sweep point's "data": ["@render"]).
 * A string may embed them: "${sweep.testSet}-eval". A run is (kind, kind version, resolved config); its
 * key hashes exactly that, so runs that do not depend on a changed knob keep their keys (and cached
 * results), and identical runs shared by several sweep points are done once.
 *
 * "paramsFrom": { "experiment": "walkthrough", "names": ["real", "testBlocks", "gap"] } takes those params from
 * another declaration (their one owner; resolved by runner.ts readExperiment), so a split is written once.
 * A sweep variable's values may be "$scale.<key>" (a list per scale, e.g. the seeds); "points" and "sweep"
 * together give every point once per sweep combination (the ablation rows × the seeds).
 *
 * Scales: every declaration sizes itself for all four — smoke (CI, seconds: plumbing, no signal), demo
 * (minutes on 2 cores), study (hours on 2 cores, resumable), paper (the study's sizes). "full" is accepted
 * as another name for paper.
 */
import { createHash } from 'node:crypto';
import { z, parseConfig } from '../config/schema.ts';
import { InputError } from '../util/errors.ts';
import { SCALES, type Scale } from './scale.ts';

export { SCALES, SCALE_CHOICES, parseScale, type Scale } from './scale.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));
const jsonObject = z.record(z.string(), json);

export const stepSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][\w-]*$/, 'an identifier (letters, digits, _ and -; starting with a letter)'),
  kind: z.string().min(1),
  config: jsonObject,
});

export const experimentSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int(),
  params: jsonObject.default({}),
  /** params owned by another declaration (e.g. the walkthrough's split): taken from it when this one is read */
  paramsFrom: z.strictObject({ experiment: z.string().min(1), names: z.array(z.string().min(1)).min(1) }).optional(),
  scales: z.strictObject({ smoke: jsonObject, demo: jsonObject, study: jsonObject, paper: jsonObject }),
  /** sweep variable → its values, or "$scale.<key>" naming a list in each scale block (e.g. the seeds) */
  sweep: z.record(z.string(), z.union([z.array(json).min(1), z.string().regex(/^\$scale\.\w+$/, 'a list of values or "$scale.<key>"')])).optional(),
  points: z.array(jsonObject).min(1).optional(),
  steps: z.array(stepSchema).min(1),
  collect: z.strictObject({ step: z.string(), fields: z.array(z.string()).min(1) }).optional(),
  /** settings of the table/figure stage (lib/analysis/report.ts), e.g. the saturation axis */
  report: jsonObject.optional(),
});

export type StepDecl = z.output<typeof stepSchema>;
export type ExperimentDecl = z.output<typeof experimentSchema>;

/** Validate a parsed declaration: shape (zod), unique step ids, known kinds, collect naming a step. */
export function parseExperiment(value: unknown, source: string, kindNames: readonly string[]): ExperimentDecl {
  const e = parseConfig(experimentSchema, value, source, 'experiment');
  const ids = new Set<string>();
  e.steps.forEach((s, i) => {
    if (ids.has(s.id)) throw new InputError(`${source}: steps[${i}].id`, `duplicate id "${s.id}"`);
    if (!kindNames.includes(s.kind)) throw new InputError(`${source}: steps[${i}].kind`, `"${s.kind}" is not a step kind (known: ${kindNames.join(', ')})`);
    ids.add(s.id);
  });
  if (e.collect && !ids.has(e.collect.step)) throw new InputError(`${source}: collect.step`, `"${e.collect.step}" is not a step id (${[...ids].join(', ')})`);
  for (const [k, v] of Object.entries(e.sweep ?? {})) {
    if (typeof v !== 'string') continue;
    const key = v.slice('$scale.'.length);
    for (const sc of SCALES) {
      const list = e.scales[sc][key];
      if (!Array.isArray(list) || list.length === 0) throw new InputError(`${source}: scales.${sc}.${key}`, `sweep.${k} is "${v}": expected a non-empty list at every scale, got ${JSON.stringify(list)}`);
    }
  }
  for (const [i, p] of (e.points ?? []).entries()) for (const k of Object.keys(e.sweep ?? {})) if (k in p) throw new InputError(`${source}: points[${i}].${k}`, `"${k}" is also a sweep variable (a point and the sweep may not set the same variable)`);
  return e;
}

export interface ResolvedRun {
  key: string;
  kind: string;
  version: number;
  stepId: string;
  config: Record<string, Json>;
  /** stepId → key of the runs it needs */
  deps: Record<string, string>;
}

export interface ResolvedPoint { index: number; vars: Record<string, Json>; runs: Record<string, string> }

export interface ResolvedExperiment { name: string; scale: Scale; seed: number; params: Record<string, Json>; points: ResolvedPoint[]; runs: Map<string, ResolvedRun> }

/** Canonical JSON: keys sorted at every depth, so equal configs hash equally. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new InputError('config', `non-finite number ${v}`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

export function runKey(kind: string, version: number, config: Record<string, Json>): string {
  return createHash('sha256').update(canonicalJson({ kind, version, config })).digest('hex').slice(0, 16);
}

/**
 * Sweep points: explicit `points` (or one empty point) × the cartesian product of `sweep` (first key varies
 * slowest; the points slowest of all). A sweep value "$scale.<key>" is that scale's list.
 */
export function sweepPoints(e: Pick<ExperimentDecl, 'points' | 'sweep'> & { scales?: ExperimentDecl['scales'] }, scale?: Scale): Record<string, Json>[] {
  let out: Record<string, Json>[] = e.points ? e.points.map((p) => ({ ...p })) : [{}];
  for (const [k, spec] of Object.entries(e.sweep ?? {})) {
    let values: Json[];
    if (typeof spec === 'string') {
      const list = scale && e.scales ? e.scales[scale][spec.slice('$scale.'.length)] : undefined;
      if (!Array.isArray(list)) throw new InputError(`sweep.${k}`, `"${spec}" is not a list${scale ? ` at ${scale} scale` : ' (no scale given)'}`);
      values = list;
    } else values = spec;
    out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  }
  return out;
}

interface Ctx { tables: Record<string, Record<string, Json>>; seed: number; depKeys: Record<string, string> }

function lookup(ctx: Ctx, ref: string, where: string): Json {
  if (ref === 'seed') return ctx.seed;
  const [ns, ...rest] = ref.split('.');
  const key = rest.join('.');
  const table = ctx.tables[ns];
  if (!table) throw new InputError(where, `unknown reference "$${ref}" (use $scale.<key>, $sweep.<key>, $param.<key> or $seed)`);
  if (!(key in table)) throw new InputError(where, `"$${ref}" is not defined${ns === 'scale' ? ' for this scale' : ns === 'sweep' ? ' at this sweep point' : ' in params'}`);
  return table[key];
}

function substitute(v: Json, ctx: Ctx, where: string, deps: Set<string>): Json {
  if (typeof v === 'string') {
    if (v.startsWith('@')) {
      const id = v.slice(1);
      if (!(id in ctx.depKeys)) throw new InputError(where, `"${v}" refers to a step that is not declared before this one`);
      deps.add(id);
      return `@${id}:${ctx.depKeys[id]}`;
    }
    // a looked-up value may itself hold references (a sweep point's "@render" or "$scale.real")
    if (v.startsWith('$') && !v.startsWith('${')) return substitute(lookup(ctx, v.slice(1), where), ctx, where, deps);
    return v.replace(/\$\{([\w.]+)\}/g, (_, ref: string) => String(lookup(ctx, ref, where)));
  }
  if (Array.isArray(v)) return v.map((x, i) => substitute(x, ctx, `${where}[${i}]`, deps));
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, ctx, `${where}.${k}`, deps);
    return out;
  }
  return v;
}

export interface ResolveOptions {
  /** kind name → its version (part of every run key) */
  version: (kind: string) => number;
  /** overrides of the declaration's params (unknown names are an error) */
  params?: Record<string, Json>;
}

/** Resolve a declaration at a scale into sweep points and the deduplicated set of runs. */
export function resolveExperiment(e: ExperimentDecl, scale: Scale, opts: ResolveOptions): ResolvedExperiment {
  if (!SCALES.includes(scale)) throw new InputError('scale', `"${scale}" is not one of ${SCALES.join(', ')}`);
  for (const k of Object.keys(opts.params ?? {})) if (!(k in e.params)) throw new InputError(`${e.name}: params`, `"${k}" is not a parameter of this experiment (${Object.keys(e.params).join(', ') || 'none'})`);
  const params = { ...e.params, ...opts.params };
  const runs = new Map<string, ResolvedRun>();
  const points = sweepPoints(e, scale).map((vars, index) => {
    const depKeys: Record<string, string> = {};
    for (const s of e.steps) {
      const deps = new Set<string>();
      const where = `${e.name}: steps.${s.id}.config`;
      const config = substitute(s.config, { tables: { scale: e.scales[scale], sweep: vars, param: params }, seed: e.seed, depKeys }, where, deps) as Record<string, Json>;
      const version = opts.version(s.kind);
      const key = runKey(s.kind, version, config);
      depKeys[s.id] = key;
      if (!runs.has(key)) runs.set(key, { key, kind: s.kind, version, stepId: s.id, config, deps: Object.fromEntries([...deps].map((d) => [d, depKeys[d]])) });
    }
    return { index, vars, runs: { ...depKeys } };
  });
  return { name: e.name, scale, seed: e.seed, params, points, runs };
}
