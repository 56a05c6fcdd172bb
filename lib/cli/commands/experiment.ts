import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command.ts';
import { optString, optFlag, requirePositional } from '../args.ts';
import { cacheDir } from '../../util/paths.ts';
import { parseShard } from '../../util/shard.ts';
import { SCALE_CHOICES, parseScale } from '../../experiment/scale.ts';
import { experimentFile, readExperiment, resolve, runExperiment, collectResults, checkConfigs, defaultRunRoot, runDir, planLeft } from '../../experiment/runner.ts';
import { KINDS } from '../../experiment/kinds.ts';
import { writeExperimentReport } from '../../experiment/report.ts';
import { toMarkdown } from '../../analysis/tables.ts';
import { InputError } from '../../util/errors.ts';
import { formatDuration } from '../../util/progress.ts';
import type { Json } from '../../experiment/declaration.ts';

/** "a=1,b=some/path" → { a: 1, b: "some/path" }: JSON when the value parses, else the text. */
export function parseParams(arg: string | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const part of (arg ?? '').split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new InputError('--params', `"${part}" is not name=value`);
    const v = part.slice(eq + 1);
    try { out[part.slice(0, eq)] = JSON.parse(v) as Json; } catch { out[part.slice(0, eq)] = v; }
  }
  return out;
}

const command: Command = {
  name: 'experiment',
  summary: 'run a declared experiment (experiments/*.json) at smoke/demo/study/paper scale, cached by config hash; write its tables',
  usage: `handgap experiment <name|file.json> [options]

Runs every run of the experiment that is not already cached, then writes results.{csv,md,tex} and
the experiment's report tables (saturation fits, ablation or syn→real ratio) to the output folder.

Sharding: --shard i/N runs the contiguous block i of N of the sweep points (the scheme rendering uses:
lib/util/shard.ts); shared runs are done once, other processes wait on their lock.
Scales: smoke (seconds: plumbing only, no signal), demo (minutes), study (hours on 2 cores; resumable),
paper (the study's sizes); full = paper.`,
  options: {
    scale: { type: 'string', choices: SCALE_CHOICES, description: 'size of everything (full = paper)', defaultText: '$HANDGAP_SCALE or smoke' },
    shard: { type: 'string', value: 'i/N', description: 'run only the contiguous block i of N of the sweep points' },
    force: { type: 'string', value: 'step,...', description: 're-run these step ids even if cached' },
    params: { type: 'string', value: 'name=value,...', description: 'override the declaration\'s params (a value is read as JSON when it parses, else as text)' },
    root: { type: 'string', value: 'dir', description: 'run cache', defaultText: '$HANDGAP_CACHE/runs' },
    out: { type: 'string', value: 'dir', description: 'tables', defaultText: '$HANDGAP_CACHE/experiments/<name>/<scale>' },
    'dry-run': { type: 'boolean', description: 'list the runs and whether each is cached; run nothing' },
    'report-only': { type: 'boolean', description: 'do not run; tabulate what is finished' },
  },
  async run(args) {
    const file = experimentFile(requirePositional(args, 0, 'experiment name or file'));
    const decl = readExperiment(file);
    const scale = parseScale(optString(args, 'scale') ?? process.env.HANDGAP_SCALE, 'smoke', optString(args, 'scale') ? '--scale' : 'HANDGAP_SCALE');
    const exp = resolve(decl, scale, { params: parseParams(optString(args, 'params')) });
    checkConfigs(exp, exp.runs.keys());
    const root = path.resolve(optString(args, 'root') ?? defaultRunRoot());
    const out = path.resolve(optString(args, 'out') ?? path.join(cacheDir(), 'experiments', decl.name, scale));
    if (optFlag(args, 'dry-run')) {
      for (const r of exp.runs.values()) console.log(`${fs.existsSync(path.join(runDir(root, r), 'result.json')) ? 'cached ' : 'todo   '} ${r.kind}-${r.key}  ${r.stepId}  ${JSON.stringify(r.config)}`);
      console.log(`${exp.points.length} sweep points, ${exp.runs.size} distinct runs; step kinds: ${KINDS.map((k) => `${k.name}@${k.version}`).join(', ')}`);
      // how long the runs to do should take, from the seconds the cached runs of each kind recorded
      const plan = planLeft(exp, root);
      const perKind = plan.kinds.map((k) => `${k.kind} ${k.cached} cached, ${k.todo} to do${k.meanSeconds !== undefined ? ` (${formatDuration(k.meanSeconds)} each)` : ''}`);
      const left = plan.kinds.every((k) => k.todo === 0) ? 'nothing to do' : plan.secondsLeft !== undefined ? `about ${formatDuration(plan.secondsLeft)} left on this machine` : 'time left unknown until every kind to do has a cached run';
      console.log(`${perKind.join('; ')}: ${left}`);
      return 0;
    }
    if (!optFlag(args, 'report-only')) {
      const s = await runExperiment(exp, { root, shard: parseShard(optString(args, 'shard')), force: optString(args, 'force')?.split(',') });
      console.log(`${decl.name} [${scale}]: ${s.executed.length} runs executed, ${s.cached.length} cached, ${s.waited.length} done by other processes`);
    }
    if (decl.collect) {
      const rows = collectResults(exp, decl.collect.step, decl.collect.fields, root);
      const missing = rows.filter((r) => r.values === null).length;
      const rep = await writeExperimentReport(exp, decl.report, rows, decl.collect.fields, out, decl.seed);
      for (const [name, t] of Object.entries(rep.tables)) if (name === 'saturation' || name === 'ablation' || name === 'contrasts' || name === 'ratio' || name === 'results') console.log(`\n${name}:\n` + toMarkdown(t, 3));
      console.log(`tables written to ${out}${missing ? ` (${missing} of ${rows.length} points unfinished: run the other shards, then --report-only)` : ''}`);
    }
    return 0;
  },
};
export default command;
