/**
 * The experiment runner (IO): executes resolved runs through the step kinds (kinds.ts), with a result
 * cache keyed by the hash of each run's resolved config.
 *
 * Cache layout (root defaults to $HANDGAP_CACHE/runs):
 *   <root>/<kind>-<key>/config.json   kind, version, resolved config, dependency keys, seed
 *   <root>/<kind>-<key>/result.json   written last, atomically: its presence means "finished"
 *   <root>/<kind>-<key>/.locks/       held while a process runs it (lib/util/lock.ts: pid, start time, host);
 *                                      a lock whose process is gone (or whose pid was reused) is taken over
 *   <root>/<kind>-<key>/...           anything the step writes (datasets, checkpoints, predictions)
 * Resume: a finished run is never redone (unless forced); a killed run is redone from its start, and the
 * kinds that are resumable themselves (render: per sample) pick up where they were.
 * Sharding (lib/util/shard.ts, the one scheme): shard i/N takes the contiguous block of sweep points
 * [floor(i·P/N), floor((i+1)·P/N)). Runs shared between points are done once; a process needing a run
 * another one holds waits on its lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, projectRoot } from '../util/paths.ts';
import { readJson, writeJsonAtomic, ensureDir } from '../util/fsx.ts';
import { HandgapError, InputError } from '../util/errors.ts';
import { reporterForHere, type Reporter } from '../util/progress.ts';
import { KindTimes } from './eta.ts';
import { waitForLock, lockTimeoutMs } from '../util/lock.ts';
import { shardRange, type Shard } from '../util/shard.ts';
import { readConfigFile, parseConfig } from '../config/schema.ts';
import { experimentSchema, parseExperiment, resolveExperiment, type ExperimentDecl, type Json, type ResolvedExperiment, type ResolvedRun, type Scale } from './declaration.ts';
import { KINDS, stepKind } from './kinds.ts';
import type { DepResult, StepKind } from './step.ts';

export function defaultRunRoot(): string { return path.join(cacheDir(), 'runs'); }
export function runDir(root: string, run: Pick<ResolvedRun, 'kind' | 'key'>): string { return path.join(root, `${run.kind}-${run.key}`); }

/** An experiment argument: a file, or a name under experiments/. */
export function experimentFile(arg: string): string {
  if (fs.existsSync(arg) && fs.statSync(arg).isFile()) return path.resolve(arg);
  const dir = path.join(projectRoot, 'experiments');
  const p = path.join(dir, arg.endsWith('.json') ? arg : `${arg}.json`);
  if (!fs.existsSync(p)) throw new InputError(arg, `no such experiment file (nor ${p}); available: ${fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).join(', ')}`);
  return p;
}

/**
 * Read and check a declaration file (schema, step ids, kind names). Its `paramsFrom` params are read from
 * their owner (a declaration beside it or under experiments/, e.g. the walkthrough's split), so a value
 * such as the real set's test blocks is written in one file only.
 */
export function readExperiment(file: string, kinds: readonly StepKind[] = KINDS, seen: string[] = []): ExperimentDecl {
  const decl = parseExperiment(readConfigFile(experimentSchema, file, 'experiment'), file, kinds.map((k) => k.name));
  const from = decl.paramsFrom;
  if (!from) return decl;
  const beside = path.resolve(path.dirname(file), from.experiment.endsWith('.json') ? from.experiment : `${from.experiment}.json`);
  const ownerFile = fs.existsSync(beside) ? beside : experimentFile(from.experiment);
  if ([...seen, path.resolve(file)].includes(ownerFile)) throw new InputError(`${file}: paramsFrom.experiment`, `"${from.experiment}" takes its params from this file in turn (a cycle)`);
  const owner = readExperiment(ownerFile, kinds, [...seen, path.resolve(file)]);
  const params: Record<string, Json> = { ...decl.params };
  for (const name of from.names) {
    if (name in decl.params) throw new InputError(`${file}: params.${name}`, `is also taken from ${ownerFile} (paramsFrom): one owner per value, remove it here`);
    if (!(name in owner.params)) throw new InputError(`${file}: paramsFrom.names`, `"${name}" is not a param of ${ownerFile} (${Object.keys(owner.params).join(', ')})`);
    params[name] = owner.params[name];
  }
  return { ...decl, params };
}

/** Resolve a declaration at a scale with the kinds' versions in the run keys. */
export function resolve(decl: ExperimentDecl, scale: Scale, opts: { params?: Record<string, Json>; kinds?: readonly StepKind[] } = {}): ResolvedExperiment {
  const kinds = opts.kinds ?? KINDS;
  return resolveExperiment(decl, scale, { version: (k) => stepKind(k, kinds).version, params: opts.params });
}

export function readRunResult(root: string, run: Pick<ResolvedRun, 'kind' | 'key'>): Record<string, Json> | null {
  const f = path.join(runDir(root, run), 'result.json');
  return fs.existsSync(f) ? mapStrings(readJson<{ result: Record<string, Json> }>(f).result, (s) => cachePathIn(s, root)) as Record<string, Json> : null;
}

// Results name files inside the run cache (a render's folder, a checkpoint). They are stored relative to
// the cache root, so a copied or moved cache reads its own files, never the original's.
const IN_CACHE = '$runs/';

function cachePathOut(s: string, root: string): string {
  const r = path.resolve(root);
  return path.isAbsolute(s) && s.startsWith(r + path.sep) ? IN_CACHE + path.relative(r, s).split(path.sep).join('/') : s;
}

function cachePathIn(s: string, root: string): string {
  return s.startsWith(IN_CACHE) ? path.join(path.resolve(root), ...s.slice(IN_CACHE.length).split('/')) : s;
}

function mapStrings(v: Json, f: (s: string) => string): Json {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

export interface RunOptions {
  root?: string;
  shard?: Shard;
  /** only these step ids (and the steps they need); default: all */
  only?: string[];
  /** re-run even finished runs of these step ids */
  force?: string[];
  log?: (msg: string) => void;
  /** poll interval while waiting for a run another process holds (ms) */
  pollMs?: number;
  /** the step kinds (default: KINDS; tests add their own) */
  kinds?: readonly StepKind[];
  /** where progress, per-run details and the stage line go (default: reporterForHere(): quiet in notebooks) */
  reporter?: Reporter;
  /** give up waiting for a run another process holds after this long (ms; default HANDGAP_LOCK_TIMEOUT) */
  lockTimeoutMs?: number;
}

export interface RunSummary { executed: string[]; cached: string[]; waited: string[]; root: string }

/** The sweep points of a shard (contiguous block). */
export function shardPoints<T>(points: T[], shard: Shard = { index: 0, count: 1 }): T[] {
  const [lo, hi] = shardRange(points.length, shard);
  return points.slice(lo, hi);
}

/** Parse every run's config with its kind's schema before anything runs (bad input fails first, naming the step). */
export function checkConfigs(exp: ResolvedExperiment, keys: Iterable<string>, kinds: readonly StepKind[] = KINDS): void {
  for (const key of keys) {
    const run = exp.runs.get(key)!;
    parseConfig(stepKind(run.kind, kinds).config, run.config, `${exp.name}: steps.${run.stepId}.config`, `${run.kind} step config`);
  }
}

/** The seconds a finished run took, as its result.json recorded them (undefined if absent or unreadable). */
function recordedSeconds(resultFile: string): number | undefined {
  try { const s = readJson<{ seconds?: unknown }>(resultFile).seconds; return typeof s === 'number' ? s : undefined; } catch { return undefined; }
}

/**
 * What is left of these runs (default: all of the experiment's): runs by kind (cached / to do), the seconds
 * each kind's cached runs recorded (`times`, which the runner goes on feeding) and the seconds the ones to do
 * should take.
 */
export function planLeft(exp: ResolvedExperiment, root: string, keys: Iterable<string> = exp.runs.keys()): { kinds: { kind: string; cached: number; todo: number; meanSeconds?: number }[]; secondsLeft?: number; times: KindTimes } {
  const times = new KindTimes();
  const todo: string[] = [];
  const counts = new Map<string, { cached: number; todo: number }>();
  for (const key of keys) {
    const r = exp.runs.get(key)!;
    const resultFile = path.join(runDir(root, r), 'result.json');
    const c = counts.get(r.kind) ?? { cached: 0, todo: 0 };
    if (fs.existsSync(resultFile)) { c.cached++; const sec = recordedSeconds(resultFile); if (sec !== undefined) times.add(r.kind, sec); } else { c.todo++; todo.push(r.kind); }
    counts.set(r.kind, c);
  }
  return { kinds: [...counts].map(([kind, c]) => ({ kind, ...c, meanSeconds: times.mean(kind) })), secondsLeft: times.remaining(todo), times };
}

/** Run (or find cached) every run needed by the sweep points of this shard, in dependency order. */
export async function runExperiment(exp: ResolvedExperiment, opts: RunOptions = {}): Promise<RunSummary> {
  const root = ensureDir(opts.root ?? defaultRunRoot());
  const kinds = opts.kinds ?? KINDS;
  const shard = opts.shard ?? { index: 0, count: 1 };
  // per-run details go to the console on the command line and are dropped in notebooks (reporterForHere)
  const reporter = opts.reporter ?? reporterForHere();
  const log = opts.log ?? reporter.detail;
  const t0 = Date.now();
  const force = new Set(opts.force ?? []);
  const summary: RunSummary = { executed: [], cached: [], waited: [], root };
  const mine = shardPoints(exp.points, shard);
  const wanted = (id: string) => !opts.only || opts.only.includes(id);
  // the runs of this shard: the wanted steps of its points and everything they need
  const needed = new Set<string>();
  const need = (key: string): void => { if (needed.has(key)) return; needed.add(key); for (const d of Object.values(exp.runs.get(key)!.deps)) need(d); };
  for (const p of mine) for (const [id, key] of Object.entries(p.runs)) if (wanted(id)) need(key);
  checkConfigs(exp, needed, kinds);
  const progress = reporter.progress(`${exp.name} [${exp.scale}] shard ${shard.index}/${shard.count}`, needed.size, 'runs');
  const seen = new Set<string>();
  // ETA from the seconds each kind of run takes (a count rate is off by the cost ratio of renders to evaluations)
  // the cached runs' recorded seconds are read once, here; executed and waited-for runs add theirs
  const { times } = planLeft(exp, root, needed);
  const left = new Set(needed);
  const finished = (key: string, seconds: number | undefined, cached: boolean): void => {
    left.delete(key);
    if (seconds !== undefined) times.add(exp.runs.get(key)!.kind, seconds);
    progress.estimate(times.remaining([...left].map((k) => exp.runs.get(k)!.kind)));
    if (cached) progress.skip(); else progress.tick();
  };

  const ensure = async (key: string): Promise<void> => {
    if (seen.has(key)) return;
    const run = exp.runs.get(key)!;
    for (const depKey of Object.values(run.deps)) await ensure(depKey);
    seen.add(key);
    const dir = ensureDir(runDir(root, run));
    const resultFile = path.join(dir, 'result.json');
    const forced = force.has(run.stepId);
    if (fs.existsSync(resultFile) && !forced) { summary.cached.push(key); finished(key, undefined, true); return; }
    // Another process (a shard) running the same run: wait for its result instead of computing it twice.
    let waited = false;
    const lock = await waitForLock(path.join(dir, '.locks'), `run ${run.kind}-${key} (${run.stepId})`, {
      command: `handgap experiment ${exp.name}`, timeoutMs: opts.lockTimeoutMs ?? lockTimeoutMs(), pollMs: opts.pollMs ?? 1000,
      log: (m) => { waited = true; log(m); }, done: () => fs.existsSync(resultFile) && !forced,
    });
    if (!lock) { summary.waited.push(key); finished(key, recordedSeconds(resultFile), true); return; }
    try {
      if (fs.existsSync(resultFile) && !forced) { summary[waited ? 'waited' : 'cached'].push(key); finished(key, recordedSeconds(resultFile), true); return; }
      // a forced run starts from scratch (steps resume from what they find in their folder)
      if (forced) for (const f of fs.readdirSync(dir)) if (f !== '.locks') fs.rmSync(path.join(dir, f), { recursive: true, force: true });
      const kind = stepKind(run.kind, kinds);
      const deps: Record<string, DepResult> = {};
      for (const [id, depKey] of Object.entries(run.deps)) {
        const dr = exp.runs.get(depKey)!;
        const result = readRunResult(root, dr);
        if (!result) throw new HandgapError(`run ${dr.kind}-${depKey} (step ${id}) has no result although it was required`);
        deps[id] = { key: depKey, dir: runDir(root, dr), result };
      }
      writeJsonAtomic(path.join(dir, 'config.json'), { kind: run.kind, version: run.version, stepId: run.stepId, key, config: run.config, deps: run.deps, experiment: exp.name, scale: exp.scale, seed: exp.seed }, 2);
      log(`run ${run.kind}-${key} (${run.stepId}) ${JSON.stringify(run.config)}`);
      const t0 = Date.now();
      const config = parseConfig(kind.config, run.config, `${exp.name}: steps.${run.stepId}.config`, `${run.kind} step config`);
      const result = await kind.run(config, { run, deps, dir, scale: exp.scale, log: (m) => log(`  [${run.stepId}] ${m}`) });
      const seconds = (Date.now() - t0) / 1000;
      writeJsonAtomic(resultFile, { key, kind: run.kind, version: run.version, seconds, finished: new Date().toISOString(), result: mapStrings(result, (p) => cachePathOut(p, root)) }, 2);
      summary.executed.push(key);
      finished(key, seconds, false);
    } finally {
      lock.release();
    }
  };

  for (const key of needed) await ensure(key);
  // in a notebook the stage line below says it all
  if (needed.size > 0 && !progress.quiet) progress.finish();
  const indexFile = path.join(root, 'experiments', `${exp.name}-${exp.scale}.json`);
  if (!opts.log) reporter.stage({ stage: exp.name, scale: exp.scale, ran: summary.executed.length, cached: summary.cached.length, waited: summary.waited.length, seconds: (Date.now() - t0) / 1000, results: indexFile });
  writeJsonAtomic(indexFile, {
    name: exp.name, scale: exp.scale, seed: exp.seed, params: exp.params,
    points: exp.points.map((p) => ({ index: p.index, vars: p.vars, runs: Object.fromEntries(Object.entries(p.runs).map(([id, k]) => [id, `${exp.runs.get(k)!.kind}-${k}`])) })),
  }, 2);
  return summary;
}

export interface CollectedRow { point: number; vars: Record<string, Json>; key: string; values: Record<string, Json> | null }

/** Result fields of one step for every sweep point (null values where that run has not finished). */
export function collectResults(exp: ResolvedExperiment, stepId: string, fields: string[], root = defaultRunRoot()): CollectedRow[] {
  return exp.points.map((p) => {
    const key = p.runs[stepId];
    if (!key) throw new InputError('collect', `step "${stepId}" is not part of experiment ${exp.name}`);
    const r = readRunResult(root, exp.runs.get(key)!);
    return { point: p.index, vars: p.vars, key, values: r ? Object.fromEntries(fields.map((f) => [f, getPath(r, f)])) : null };
  });
}

function getPath(o: Record<string, Json>, dotted: string): Json {
  let cur: Json = o;
  for (const part of dotted.split('.')) {
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && part in cur) cur = (cur as Record<string, Json>)[part];
    else return null;
  }
  return cur;
}
