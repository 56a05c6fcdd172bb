/**
 * Experiment files and their resolution into runs (pure; no file IO).
 *
 * An experiment (experiments/<name>.json) declares:
 *   {
 *     "name": "pose-fraction",
 *     "seed": 7,
 *     "scales": { "smoke": { "n": 32 }, "demo": { "n": 400 }, "paper": { "n": 32560 } },
 *     "sweep": { "poseFraction": [0.1, 0.2, 0.5, 1.0], "testSet": ["hgc-dev"] },
 *     "steps": [
 *       { "id": "data",  "kind": "render", "config": { "count": "$scale.n", "poseFraction": "$sweep.poseFraction" } },
 *       { "id": "model", "kind": "train",  "config": { "data": "@data", "epochs": "$scale.epochs" } },
 *       { "id": "score", "kind": "eval",   "config": { "model": "@model", "testSet": "$sweep.testSet" } }
 *     ],
 *     "collect": { "step": "score", "fields": ["paMpjpeMm", "mpjpeMm"] }
 *   }
 * Substitutions inside step configs (any depth): "$scale.<key>", "$sweep.<key>", "$seed", and
 * "@<stepId>" (a dependency: replaced by that run's key, and its result is handed to the step).
 * A string may also embed them: "${sweep.testSet}-eval". A run is (kind, kind version, resolved
 * config); its key is a hash of exactly that, so runs that do not depend on a changed knob keep their
 * keys (and cached results), and identical runs shared by several sweep points are done once.
 * "sweep" is a cartesian product unless "points" lists the points explicitly (e.g. the ablation rows).
 */
import { createHash } from 'node:crypto';
import { InputError } from '../util/errors.ts';

export const SCALES = ['smoke', 'demo', 'paper'] as const;
export type Scale = (typeof SCALES)[number];

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface StepDecl { id: string; kind: string; config: Record<string, Json> }
export interface ExperimentDecl {
  name: string;
  description?: string;
  seed: number;
  scales: Record<Scale, Record<string, Json>>;
  sweep?: Record<string, Json[]>;
  points?: Record<string, Json>[];
  steps: StepDecl[];
  collect?: { step: string; fields: string[] };
  /** free-form settings for the table/figure stage (e.g. saturation axis) */
  report?: Record<string, Json>;
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

export interface ResolvedExperiment { name: string; scale: Scale; seed: number; points: ResolvedPoint[]; runs: Map<string, ResolvedRun> }

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

/** Validate the shape of a parsed experiment file; errors name the file and field. */
export function validateExperiment(x: unknown, file: string): ExperimentDecl {
  const e = x as ExperimentDecl;
  const fail = (field: string, msg: string): never => { throw new InputError(`${file}: ${field}`, msg); };
  if (!e || typeof e !== 'object') fail('(root)', 'must be a JSON object');
  if (typeof e.name !== 'string' || !e.name) fail('name', 'must be a non-empty string');
  if (!Number.isInteger(e.seed)) fail('seed', 'must be an integer (every random choice derives from it)');
  if (!e.scales || typeof e.scales !== 'object') fail('scales', 'must be an object with smoke, demo and paper');
  for (const s of SCALES) if (!e.scales[s] || typeof e.scales[s] !== 'object') fail(`scales.${s}`, 'missing (every experiment runs at smoke, demo and paper)');
  if (!Array.isArray(e.steps) || e.steps.length === 0) fail('steps', 'must be a non-empty array');
  const ids = new Set<string>();
  e.steps.forEach((s, i) => {
    if (typeof s.id !== 'string' || !/^[A-Za-z][\w-]*$/.test(s.id)) fail(`steps[${i}].id`, 'must be an identifier');
    if (ids.has(s.id)) fail(`steps[${i}].id`, `duplicate id "${s.id}"`);
    if (typeof s.kind !== 'string') fail(`steps[${i}].kind`, 'must be a string');
    if (!s.config || typeof s.config !== 'object' || Array.isArray(s.config)) fail(`steps[${i}].config`, 'must be an object');
    ids.add(s.id);
  });
  if (e.sweep) for (const [k, v] of Object.entries(e.sweep)) if (!Array.isArray(v) || v.length === 0) fail(`sweep.${k}`, 'must be a non-empty array');
  if (e.points && !Array.isArray(e.points)) fail('points', 'must be an array of objects');
  if (e.collect && (!ids.has(e.collect.step) || !Array.isArray(e.collect.fields))) fail('collect', 'needs "step" (a step id) and "fields" (an array)');
  return e;
}

/** Sweep points: explicit `points`, else the cartesian product of `sweep` (first key varies slowest). */
export function sweepPoints(e: ExperimentDecl): Record<string, Json>[] {
  if (e.points) return e.points.map((p) => ({ ...p }));
  const entries = Object.entries(e.sweep ?? {});
  let out: Record<string, Json>[] = [{}];
  for (const [k, values] of entries) out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  return out;
}

interface Ctx { scale: Record<string, Json>; sweep: Record<string, Json>; seed: number; depKeys: Record<string, string>; where: string }

function lookup(ctx: Ctx, ref: string, where: string): Json {
  if (ref === 'seed') return ctx.seed;
  const [ns, ...rest] = ref.split('.');
  const key = rest.join('.');
  const table = ns === 'scale' ? ctx.scale : ns === 'sweep' ? ctx.sweep : null;
  if (!table) throw new InputError(where, `unknown reference "$${ref}" (use $scale.<key>, $sweep.<key> or $seed)`);
  if (!(key in table)) throw new InputError(where, `"$${ref}" is not defined${ns === 'scale' ? ' for this scale' : ' at this sweep point'}`);
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
    if (v.startsWith('$') && !v.startsWith('${')) return lookup(ctx, v.slice(1), where);
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

/** Resolve an experiment at a scale into sweep points and the deduplicated set of runs. */
export function resolveExperiment(e: ExperimentDecl, scale: Scale, versions: (kind: string) => number): ResolvedExperiment {
  if (!SCALES.includes(scale)) throw new InputError('scale', `"${scale}" is not one of ${SCALES.join(', ')}`);
  const runs = new Map<string, ResolvedRun>();
  const points = sweepPoints(e).map((vars, index) => {
    const depKeys: Record<string, string> = {};
    for (const s of e.steps) {
      const deps = new Set<string>();
      const config = substitute(s.config, { scale: e.scales[scale], sweep: vars, seed: e.seed, depKeys, where: `${e.name}: steps.${s.id}.config` }, `${e.name}: steps.${s.id}.config`, deps) as Record<string, Json>;
      const version = versions(s.kind);
      const key = runKey(s.kind, version, config);
      depKeys[s.id] = key;
      if (!runs.has(key)) runs.set(key, { key, kind: s.kind, version, stepId: s.id, config, deps: Object.fromEntries([...deps].map((d) => [d, depKeys[d]])) });
    }
    return { index, vars, runs: { ...depKeys } };
  });
  return { name: e.name, scale, seed: e.seed, points, runs };
}
