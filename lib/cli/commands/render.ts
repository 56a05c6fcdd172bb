import path from 'node:path';
import fs from 'node:fs';
import type { Command } from '../command.ts';
import { optNumber, optString, requirePositional } from '../args.ts';
import { HandgapError, InputError } from '../../util/errors.ts';
import { readJson } from '../../util/fsx.ts';
import { findBlender } from '../../util/system.ts';
import { validateConfig } from '../../synth/config.ts';
import { runRender, mergeShards } from '../../synth/driver.ts';
import { writePreview } from '../../synth/preview.ts';

const usage = `handgap render --config <file.json> --out <dir> [--n N] [--shard i/N] [--workers W] [--threads T]
handgap render merge --out <dir> <shard-dir>... [--n N]
handgap render preview <dir> [--count 16] [--file <png>]

Renders a labelled synthetic hand set in FreiHAND layout with Blender (see docs/synthesis.md).
  --config    render config (JSON; missing fields take the defaults; wrong fields are reported by name)
  --out       output folder; re-running the same command resumes (finished samples are skipped)
  --n         number of samples (default: config.n)
  --shard     render only block i of N (0-based), e.g. --shard 2/8; shards may share --out or be merged
  --workers   persistent Blender processes (default 1); --threads: Cycles threads per worker
merge:   joins shard folders rendered from the same config into --out and writes the label files.
preview: writes <dir>/preview.png, a contact sheet of 16 samples with their projected joints.`;

function parseShard(s: string | undefined): { index: number; count: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m || Number(m[1]) >= Number(m[2]) || Number(m[2]) < 1) throw new HandgapError(`--shard must be i/N with 0 <= i < N (e.g. 0/4), got "${s}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

const command: Command = {
  name: 'render',
  summary: 'render a labelled synthetic hand set with Blender (resumable, sharded); merge shards; preview sheet',
  usage,
  async run(args) {
    const sub = args.positionals[0];
    if (sub === 'preview') {
      const dir = path.resolve(requirePositional(args, 1, 'render folder'));
      const r = await writePreview(dir, { count: optNumber(args, 'count', 16), file: optString(args, 'file') });
      console.log(`wrote ${r.file} (samples ${r.indices.join(', ')})`);
      return 0;
    }
    if (sub === 'merge') {
      const out = optString(args, 'out');
      if (!out) throw new HandgapError('render merge: --out <dir> is required');
      const r = mergeShards(path.resolve(out), args.positionals.slice(1).map((d) => path.resolve(d)), optNumber(args, 'n'));
      console.log(`merged ${r.count} samples into ${path.resolve(out)}`);
      return 0;
    }
    if (sub !== undefined) throw new HandgapError(`render: unknown subcommand "${sub}" (allowed: merge, preview; or none to render)`);
    const configFile = optString(args, 'config');
    const out = optString(args, 'out');
    if (!configFile) throw new HandgapError('render: --config <file.json> is required');
    if (!out) throw new HandgapError('render: --out <dir> is required');
    if (!fs.existsSync(configFile)) throw new InputError(configFile, 'config file not found');
    const config = validateConfig(readJson(configFile), configFile);
    findBlender(); // one clear message if Blender is missing, before anything else
    const workers = optNumber(args, 'workers', 1)!;
    if (!Number.isInteger(workers) || workers < 1) throw new HandgapError(`--workers must be a positive integer, got ${workers}`);
    const r = await runRender({ config, out: path.resolve(out), n: optNumber(args, 'n'), shard: parseShard(optString(args, 'shard')), workers, threads: optNumber(args, 'threads') });
    console.log(`rendered ${r.rendered}, skipped ${r.skipped} (already done), failed ${r.failed.length}${r.rendered ? `, ${r.secondsPerImage.toFixed(2)} s/image` : ''}${r.finalized ? '; labels written' : ''}`);
    if (r.failed.length) { console.error(`failed samples: ${r.failed.join(', ')} (see ${path.join(out, 'handgap_work', 'failed.json')}); re-run to retry`); return 1; }
    return 0;
  },
};
export default command;
