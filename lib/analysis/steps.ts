/**
 * The step kinds the experiment runner knows, registered by name. Each wraps one area's entry point
 * (render: lib/synth, compose: lib/image/compose.ts, train/eval: lib/train + lib/metrics). A kind's
 * `version` is part of every run key: bump it when the step's results change meaning.
 */
import { registerStepKind } from './runner.ts';
import { resolveDatasetArg } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';
import fs from 'node:fs';

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
}
