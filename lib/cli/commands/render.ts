import path from 'node:path';
import fs from 'node:fs';
import { assertOutputDir } from '../../util/fsx.ts';
import type { Command } from '../command.ts';
import { optNumber, optString, requirePositional, requireOption, type OptionSpecs } from '../args.ts';
import { HandgapError, InputError } from '../../util/errors.ts';
import { readJson } from '../../util/fsx.ts';
import { findBlender } from '../../util/system.ts';
import { validateConfig } from '../../synth/config.ts';
import { runRender, mergeShards } from '../../synth/driver.ts';
import { writePreview } from '../../synth/preview.ts';
import { parseShard } from '../../util/shard.ts';

const usage = `handgap render [--config <file.json>] --out <dir> [--n N] [--shard i/N] [--workers W] [--threads T]
handgap render merge --out <dir> <shard-dir>... [--n N]
handgap render preview <dir> [--count 16] [--file <png>]

Renders a labelled synthetic hand set in FreiHAND layout with Blender (see docs/synthesis.md). Without
--config every field takes its default (lib/synth/config.ts); re-running the same command resumes
(finished samples are skipped).
merge:   joins shard folders rendered from the same config into --out and writes the label files.
preview: writes <dir>/preview.png, a contact sheet of 16 samples with their projected joints.`;

const options: OptionSpecs = {
  config: { type: 'string', value: 'file.json', description: 'render config (JSON; missing fields take the defaults; wrong fields are reported by name)' },
  out: { type: 'string', value: 'dir', description: 'output folder (required); re-running the same command resumes' },
  n: { type: 'integer', min: 1, description: 'number of samples', defaultText: 'config.n' },
  shard: { type: 'string', value: 'i/N', description: 'render only shard i of N (0-based; contiguous blocks of samples, lib/util/shard.ts), e.g. 2/8; shards may share --out or be merged' },
  workers: { type: 'integer', min: 1, max: 256, default: 1, description: 'persistent Blender processes' },
  threads: { type: 'integer', min: 0, max: 1024, description: 'Cycles threads per worker (0 = Blender decides)', defaultText: 'config.render.threads' },
};
const mergeOptions: OptionSpecs = {
  out: { type: 'string', value: 'dir', description: 'merged output folder (required)' },
  n: { type: 'integer', min: 1, description: 'expected number of samples', defaultText: 'from the config' },
};
const previewOptions: OptionSpecs = {
  count: { type: 'integer', min: 1, max: 1024, default: 16, description: 'samples on the sheet' },
  file: { type: 'string', value: 'png', description: 'output image', defaultText: '<dir>/preview.png' },
};

const command: Command = {
  name: 'render',
  summary: 'render a labelled synthetic hand set with Blender (resumable, sharded); merge shards; preview sheet',
  usage,
  options,
  subcommands: { merge: { options: mergeOptions }, preview: { options: previewOptions } },
  async run(args) {
    const sub = args.positionals[0];
    if (sub === 'preview') {
      const dir = path.resolve(requirePositional(args, 1, 'render folder'));
      const r = await writePreview(dir, { count: optNumber(args, 'count'), file: optString(args, 'file') });
      console.log(`wrote ${r.file} (samples ${r.indices.join(', ')})`);
      return 0;
    }
    if (sub === 'merge') {
      const out = requireOption(args, 'out', 'dir');
      const r = mergeShards(path.resolve(out), args.positionals.slice(1).map((d) => path.resolve(d)), optNumber(args, 'n'));
      console.log(`merged ${r.count} samples into ${path.resolve(out)}`);
      return 0;
    }
    if (sub !== undefined) throw new HandgapError(`unknown subcommand "${sub}" (allowed: merge, preview; or none to render)`);
    const configFile = optString(args, 'config');
    const out = requireOption(args, 'out', 'dir');
    if (configFile && !fs.existsSync(configFile)) throw new InputError(configFile, 'config file not found');
    const config = validateConfig(configFile ? readJson(configFile) : {}, configFile ?? 'default render config');
    const shard = parseShard(optString(args, 'shard'));
    assertOutputDir(out, '--out');
    findBlender(); // one clear message if Blender is missing, before anything else
    const workers = optNumber(args, 'workers', 1)!;
    const r = await runRender({ config, out: path.resolve(out), n: optNumber(args, 'n'), shard, workers, threads: optNumber(args, 'threads') });
    console.log(`rendered ${r.rendered}, skipped ${r.skipped} (already done), failed ${r.failed.length}${r.rendered ? `, ${r.secondsPerImage.toFixed(2)} s/image` : ''}${r.finalized ? '; labels written' : ''}`);
    if (r.failed.length) { console.error(`failed samples: ${r.failed.join(', ')} (see ${path.join(out, 'handgap_work', 'failed.json')}); re-run to retry`); return 1; }
    return 0;
  },
};
export default command;
