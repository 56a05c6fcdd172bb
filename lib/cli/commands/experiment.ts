import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command.ts';
import { optString, optFlag, requirePositional } from '../args.ts';
import { projectRoot, cacheDir } from '../../util/paths.ts';
import { readJson } from '../../util/fsx.ts';
import { InputError } from '../../util/errors.ts';
import { validateExperiment, resolveExperiment, type Scale } from '../../analysis/experiment.ts';
import { parseScale, SCALE_CHOICES } from '../../experiment/scale.ts';
import { parseShard } from '../../util/shard.ts';
import { runExperiment, collectResults, kindVersion, defaultRunRoot, stepKinds } from '../../analysis/runner.ts';
import { writeExperimentReport } from '../../analysis/report.ts';
import { registerBuiltinSteps } from '../../analysis/steps.ts';

export function experimentFile(arg: string): string {
  if (fs.existsSync(arg)) return path.resolve(arg);
  const p = path.join(projectRoot, 'experiments', arg.endsWith('.json') ? arg : `${arg}.json`);
  if (!fs.existsSync(p)) throw new InputError(arg, `no such experiment file (nor ${p}); available: ${fs.readdirSync(path.join(projectRoot, 'experiments')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).join(', ')}`);
  return p;
}

const command: Command = {
  name: 'experiment',
  summary: 'run a declared experiment (experiments/*.json) at smoke/demo/paper scale, cached by config hash; write its tables',
  usage: `handgap experiment <name|file.json> [options]

Runs every run of the experiment that is not already cached, then writes results.{csv,md,tex} and
the experiment's report tables (saturation fits, ablation or syn→real ratio) to the output folder.

Sharding: --shard i/N runs only shard i's contiguous block of the sweep points (lib/util/shard.ts, the scheme
render --shard uses for samples); shared
runs are done once, other processes wait on their lock.`,
  options: {
    scale: { type: 'string', choices: SCALE_CHOICES, description: 'size of everything (full = paper)', defaultText: '$HANDGAP_SCALE or smoke' },
    shard: { type: 'string', value: 'i/N', description: 'run only shard i of N (a contiguous block of the sweep points)' },
    force: { type: 'string', value: 'step,...', description: 're-run these step ids even if cached' },
    root: { type: 'string', value: 'dir', description: 'run cache', defaultText: '$HANDGAP_CACHE/runs' },
    out: { type: 'string', value: 'dir', description: 'tables', defaultText: '$HANDGAP_CACHE/experiments/<name>/<scale>' },
    'dry-run': { type: 'boolean', description: 'list the runs and whether each is cached; run nothing' },
    'report-only': { type: 'boolean', description: 'do not run; tabulate what is finished' },
  },
  async run(args) {
    registerBuiltinSteps();
    const file = experimentFile(requirePositional(args, 0, 'experiment name or file'));
    const decl = validateExperiment(readJson(file), file);
    const scale = parseScale(optString(args, 'scale') ?? process.env.HANDGAP_SCALE, 'smoke', optString(args, 'scale') ? '--scale' : 'HANDGAP_SCALE') as Scale;
    const exp = resolveExperiment(decl, scale, kindVersion);
    const root = path.resolve(optString(args, 'root') ?? defaultRunRoot());
    const out = path.resolve(optString(args, 'out') ?? path.join(cacheDir(), 'experiments', decl.name, scale));
    if (optFlag(args, 'dry-run')) {
      for (const r of exp.runs.values()) console.log(`${fs.existsSync(path.join(root, `${r.kind}-${r.key}`, 'result.json')) ? 'cached ' : 'todo   '} ${r.kind}-${r.key}  ${r.stepId}  ${JSON.stringify(r.config)}`);
      console.log(`${exp.points.length} sweep points, ${exp.runs.size} distinct runs; step kinds: ${stepKinds().map((k) => `${k.name}@${k.version}`).join(', ')}`);
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
      for (const [name, t] of Object.entries(rep.tables)) if (name === 'saturation' || name === 'ablation' || name === 'ratio' || name === 'results') console.log(`\n${name}:\n` + (await import('../../analysis/tables.ts')).toMarkdown(t, 3));
      console.log(`tables written to ${out}${missing ? ` (${missing} of ${rows.length} points unfinished: run the other shards, then --report-only)` : ''}`);
    }
    return 0;
  },
};
export default command;
