/**
 * The step kinds the experiment runner knows, registered by name. Each wraps one area's entry point
 * (render: lib/synth, compose: lib/image/compose.ts, train/eval: lib/train + lib/metrics). A kind's
 * `version` is part of every run key: bump it when the step's results change meaning.
 */
import { registerStepKind } from './runner.ts';
import { resolveDatasetArg } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';
import fs from 'node:fs';
import path from 'node:path';
import { composeDataset } from './compose-dataset.ts';
import type { Json } from './experiment.ts';
import type { DepResult } from './runner.ts';

/** The folder of a dataset-valued config entry: "@step" (a dependency's result.dir) or a set name/path. */
export function datasetDir(v: Json | undefined, deps: Record<string, DepResult>, where: string): string {
  if (typeof v === 'string' && v.startsWith('@')) {
    const id = v.slice(1).split(':')[0];
    const d = deps[id];
    if (!d || typeof d.result.dir !== 'string') throw new InputError(where, `dependency ${id} did not produce a dataset folder`);
    return d.result.dir;
  }
  if (typeof v !== 'string' || !v) throw new InputError(where, 'expected a dataset name, folder or "@step"');
  const dir = resolveDatasetArg(v);
  if (!fs.existsSync(dir)) throw new InputError(where, `dataset folder ${dir} not found`);
  return dir;
}

let registered = false;

export function registerBuiltinSteps(): void {
  if (registered) return;
  registered = true;

  registerStepKind({
    name: 'dataset',
    version: 1,
    summary: 'an existing dataset (known set name or folder); result: { dir }',
    async run({ config }) {
      const dir = resolveDatasetArg(String(config.path ?? config.name ?? ''));
      if (!fs.existsSync(dir)) throw new InputError(`dataset ${String(config.path ?? config.name)}`, `folder ${dir} not found`);
      return { dir };
    },
  });

  registerStepKind({
    name: 'compose',
    version: 1,
    summary: 'paste donor arms/objects (or random colours) onto a synthetic set; config: syn, donor, masks, pairing, fill, arm, object',
    async run({ config, deps, dir, log }): Promise<Record<string, Json>> {
      const out = path.join(dir, 'data');
      if (config.enabled === false) return { dir: datasetDir(config.syn, deps, 'compose.syn'), composed: false };
      const r = await composeDataset({
        syn: datasetDir(config.syn, deps, 'compose.syn'), donor: config.donor ? datasetDir(config.donor, deps, 'compose.donor') : undefined, out,
        masks: (config.masks as string | undefined) ?? 'labels', pairing: (config.pairing as 'random') ?? 'random', fill: (config.fill as 'real') ?? 'real',
        seed: Number(config.seed ?? 0), arm: config.arm !== false, object: config.object !== false, resize: config.resize === true, log,
      });
      return { dir: out, composed: true, count: r.count, meanOccludedFraction: Number.isFinite(r.meanOccludedFraction) ? r.meanOccludedFraction : null };
    },
  });
}
