/**
 * What a step kind is (one file per kind in lib/experiment/kinds/, listed in kinds.ts): a name, a version
 * (part of every run key: bump it when the kind's results change meaning), a one-line summary, the zod
 * schema of its config (types, defaults, strict keys: lib/config/schema.ts) and its run function. Plus the
 * helpers that turn "@step" references in a config into the dependency's outputs.
 */
import fs from 'node:fs';
import type { z } from '../config/schema.ts';
import { resolveDatasetArg } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';
import type { Json, ResolvedRun, Scale } from './declaration.ts';

/** A finished dependency: its run key, folder and result. */
export interface DepResult { key: string; dir: string; result: Record<string, Json> }

export interface StepContext {
  run: ResolvedRun;
  /** results of the steps this run refers to with "@id" */
  deps: Record<string, DepResult>;
  /** folder for this run's outputs (inside the run cache) */
  dir: string;
  scale: Scale;
  log: (msg: string) => void;
}

export interface StepKind<S extends z.ZodType = z.ZodType> {
  name: string;
  version: number;
  summary: string;
  config: S;
  run(config: z.output<S>, ctx: StepContext): Promise<Record<string, Json>>;
}

/** Declare a kind (typed: `run` receives the parsed config). */
export function defineKind<S extends z.ZodType>(kind: StepKind<S>): StepKind<S> { return kind; }

const DEP_REF = /^@([\w-]+):[0-9a-f]+$/;

/** The dependency an "@id:key" string refers to, or null for any other value. */
export function depOf(v: unknown, deps: Record<string, DepResult>, where: string): DepResult | null {
  if (typeof v !== 'string' || !DEP_REF.test(v)) return null;
  const id = DEP_REF.exec(v)![1];
  const d = deps[id];
  if (!d) throw new InputError(where, `dependency ${id} has no result`);
  return d;
}

/** A trained model: "@<train step>" (that run's result.checkpoint) or a run / checkpoint folder. */
export function modelDir(v: string, deps: Record<string, DepResult>, where: string): string {
  const d = depOf(v, deps, where);
  if (!d) return v;
  if (typeof d.result.checkpoint !== 'string') throw new InputError(where, 'must be "@<train step>" or a model folder');
  return d.result.checkpoint;
}

/** A dataset folder: "@step" (that run's result.dir) or a known set name / folder. */
export function datasetDir(v: string, deps: Record<string, DepResult>, where: string): string {
  const d = depOf(v, deps, where);
  if (d) {
    if (typeof d.result.dir !== 'string') throw new InputError(where, `step ${v.split(':')[0]} did not produce a dataset folder`);
    return d.result.dir;
  }
  if (v.startsWith('@')) throw new InputError(where, `"${v}" is not a resolved step reference`);
  const dir = resolveDatasetArg(v);
  if (!fs.existsSync(dir)) throw new InputError(where, `dataset folder ${dir} not found`);
  return dir;
}

/** A file: "@step" (that run's result.file) or a path. */
export function depFile(v: string, deps: Record<string, DepResult>, where: string): string {
  const d = depOf(v, deps, where);
  if (!d) return v;
  if (typeof d.result.file !== 'string') throw new InputError(where, `step ${v.split(':')[0]} did not produce a file`);
  return d.result.file;
}

/** Replace every "@id:key" string at any depth by that dependency's result.file ?? result.dir. */
export function resolveDepRefs(v: Json, deps: Record<string, DepResult>, where: string): Json {
  const d = depOf(v, deps, where);
  if (d) {
    const target = d.result.file ?? d.result.dir;
    if (typeof target !== 'string') throw new InputError(where, 'the dependency has no file or dir in its result');
    return target;
  }
  if (Array.isArray(v)) return v.map((x, i) => resolveDepRefs(x, deps, `${where}[${i}]`));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveDepRefs(x, deps, `${where}.${k}`)]));
  return v;
}

/** Plain JSON of a result (typed arrays → arrays, non-finite numbers → null). */
export function asJson(v: unknown): Json {
  return JSON.parse(JSON.stringify(v ?? null, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x))) as Json;
}

/** Evenly spread subset of 0..n-1 of size ≤ max (deterministic; keeps the first and spans the set). */
export function spreadIndices(n: number, max: number): number[] {
  if (max <= 0 || max >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}
