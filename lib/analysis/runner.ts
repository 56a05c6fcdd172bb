/**
 * The experiment runner (IO): executes resolved runs through registered step kinds, with a result
 * cache keyed by the hash of each run's resolved config.
 *
 * Cache layout (root defaults to $HANDGAP_CACHE/runs):
 *   <root>/<kind>-<key>/config.json   kind, version, resolved config, dependency keys, seed
 *   <root>/<kind>-<key>/result.json   written last, atomically: its presence means "finished"
 *   <root>/<kind>-<key>/.lock         held while a process runs it (pid@host); stale locks are taken over
 *   <root>/<kind>-<key>/...           anything the step writes (datasets, checkpoints, predictions)
 * Sharding: `i/N` runs shard i's contiguous block of the sweep points (lib/util/shard.ts, the scheme
 * `handgap render --shard` uses for samples). Runs shared
 * between points (same key) are done once; another process needing one waits on its lock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from '../util/paths.ts';
import { readJson, writeJsonAtomic, ensureDir } from '../util/fsx.ts';
import { HandgapError, InputError } from '../util/errors.ts';
import { Progress, reporterForHere } from '../util/progress.ts';
import type { Json, ResolvedExperiment, ResolvedRun, Scale } from './experiment.ts';
import { shardRange } from '../util/shard.ts';

export interface DepResult { key: string; dir: string; result: Record<string, Json> }

export interface StepContext {
  run: ResolvedRun;
  config: Record<string, Json>;
  /** results of the steps this run refers to with "@id" */
  deps: Record<string, DepResult>;
  /** folder for this run's outputs (inside the cache) */
  dir: string;
  scale: Scale;
  log: (msg: string) => void;
}

export interface StepKind {
  name: string;
  /** bump when the step's code changes its results: every cached run of this kind re-runs */
  version: number;
  summary: string;
  run(ctx: StepContext): Promise<Record<string, Json>>;
}

const registry = new Map<string, StepKind>();

export function registerStepKind(kind: StepKind): void { registry.set(kind.name, kind); }
export function getStepKind(name: string): StepKind {
  const k = registry.get(name);
  if (!k) throw new InputError(`step kind "${name}"`, `not registered (known: ${[...registry.keys()].sort().join(', ') || 'none'})`);
  return k;
}
export function stepKinds(): StepKind[] { return [...registry.values()]; }
export function kindVersion(name: string): number { return getStepKind(name).version; }

export function defaultRunRoot(): string { return path.join(cacheDir(), 'runs'); }
export function runDir(root: string, run: Pick<ResolvedRun, 'kind' | 'key'>): string { return path.join(root, `${run.kind}-${run.key}`); }

export function readRunResult(root: string, run: Pick<ResolvedRun, 'kind' | 'key'>): Record<string, Json> | null {
  const f = path.join(runDir(root, run), 'result.json');
  return fs.existsSync(f) ? readJson<{ result: Record<string, Json> }>(f).result : null;
}

function pidAlive(pid: number): boolean { try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; } }

/** Try to take the run's lock; false if another live process holds it. */
function tryLock(dir: string): boolean {
  const lock = path.join(dir, '.lock');
  const me = `${process.pid}@${os.hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try { fs.writeFileSync(lock, me, { flag: 'wx' }); return true; } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = '';
      try { owner = fs.readFileSync(lock, 'utf8'); } catch { continue; }
      const [pid, host] = owner.split('@');
      if (host === os.hostname() && !pidAlive(Number(pid))) { fs.rmSync(lock, { force: true }); continue; } // stale
      return false;
    }
  }
  return false;
}

export interface RunOptions {
  root?: string;
  shard?: { index: number; count: number };
  /** re-run even finished runs of these step ids */
  force?: string[];
  log?: (msg: string) => void;
  /** poll interval while waiting for a run another process holds (ms) */
  pollMs?: number;
}

export interface RunSummary { executed: string[]; cached: string[]; waited: string[]; root: string }

/** Run (or find cached) every run needed by the sweep points of this shard, in dependency order. */
export async function runExperiment(exp: ResolvedExperiment, opts: RunOptions = {}): Promise<RunSummary> {
  const root = ensureDir(opts.root ?? defaultRunRoot());
  const shard = opts.shard ?? { index: 0, count: 1 };
  const reporter = reporterForHere();
  const log = opts.log ?? reporter.detail;
  const t0 = Date.now();
  const force = new Set(opts.force ?? []);
  const summary: RunSummary = { executed: [], cached: [], waited: [], root };
  const seen = new Set<string>();
  // one sharding scheme for the project: contiguous blocks of the points (lib/util/shard.ts)
  const [lo, hi] = shardRange(exp.points.length, shard);
  const mine = exp.points.slice(lo, hi);
  const total = new Set(mine.flatMap((p) => Object.values(p.runs))).size;
  const progress = new Progress({ label: `${exp.name} [${exp.scale}] shard ${shard.index}/${shard.count}`, total, unit: 'runs' });

  const ensure = async (key: string): Promise<void> => {
    if (seen.has(key)) return;
    const run = exp.runs.get(key)!;
    for (const depKey of Object.values(run.deps)) await ensure(depKey);
    seen.add(key);
    const dir = ensureDir(runDir(root, run));
    const resultFile = path.join(dir, 'result.json');
    const forced = force.has(run.stepId) && !summary.executed.includes(key);
    if (fs.existsSync(resultFile) && !forced) { summary.cached.push(key); progress.tick(); return; }
    let waited = false;
    while (!tryLock(dir)) {
      waited = true;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
      if (fs.existsSync(resultFile) && !forced) { summary.waited.push(key); progress.tick(); return; }
    }
    try {
      if (fs.existsSync(resultFile) && !forced) { summary[waited ? 'waited' : 'cached'].push(key); progress.tick(); return; }
      if (forced) fs.rmSync(resultFile, { force: true });
      const kind = getStepKind(run.kind);
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
      const result = await kind.run({ run, config: run.config, deps, dir, scale: exp.scale, log: (m) => log(`  [${run.stepId}] ${m}`) });
      writeJsonAtomic(resultFile, { key, kind: run.kind, version: run.version, seconds: (Date.now() - t0) / 1000, finished: new Date().toISOString(), result }, 2);
      summary.executed.push(key);
      progress.tick();
    } finally {
      fs.rmSync(path.join(dir, '.lock'), { force: true });
    }
  };

  for (const p of mine) for (const key of Object.values(p.runs)) await ensure(key);
  // in a notebook the stage line below says it all
  if (total > 0 && !progress.quiet) progress.finish();
  const indexFile = path.join(root, 'experiments', `${exp.name}-${exp.scale}.json`);
  if (!opts.log) reporter.stage({ stage: exp.name, scale: exp.scale, ran: summary.executed.length, cached: summary.cached.length, waited: summary.waited.length, seconds: (Date.now() - t0) / 1000, results: indexFile });
  writeJsonAtomic(indexFile, {
    name: exp.name, scale: exp.scale, seed: exp.seed,
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
