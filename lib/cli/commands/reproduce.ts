import type { Command } from '../command.ts';
import { optString, optFlag } from '../args.ts';
import { InputError } from '../../util/errors.ts';
import { reproduce } from '../../walkthrough/reproduce.ts';
import { STAGES, SWEEPS, type StageId } from '../../walkthrough/walkthrough.ts';
import { SCALE_CHOICES } from '../../experiment/scale.ts';

const command: Command = {
  name: 'reproduce',
  summary: 'the study walkthrough (the main job): render, analyse, train, evaluate; tables, figures, notebooks, summary',
  usage: `handgap reproduce [--scale smoke|demo|study|paper] [options]

Runs the walkthrough stages (${STAGES.map((s) => s.id).join(', ')}) at one scale: each runs steps of
the declared experiment experiments/walkthrough.json (its sizes per scale) through the experiment
runner's cache (a second run reuses finished work), writes tables and summary.md to
$HANDGAP_CACHE/walkthrough/<scale>/, exports every registered figure to figures/ and executes the
notebooks at the same scale. Real data (hgc-dev) is found through HANDGAP_SHARED / HANDGAP_DATA;
without it the synthetic-only stages run and the summary says what was skipped.

Scale: smoke (seconds: plumbing, no signal) | demo (minutes) | study (hours on 2 cores, resumable) |
paper (the study's sizes); HANDGAP_SCALE also works; "full" = paper.`,
  options: {
    scale: { type: 'string', choices: SCALE_CHOICES, description: 'size of everything (full = paper)', defaultText: '$HANDGAP_SCALE or demo' },
    only: { type: 'string', value: 'a,b', description: 'only these stages (prerequisites come from the cache or run)' },
    sweeps: { type: 'string', value: 'a,b', description: `only these sweeps in the experiments stage (${SWEEPS.join(', ')}; default all)` },
    out: { type: 'string', value: 'dir', description: 'results folder', defaultText: '$HANDGAP_CACHE/walkthrough/<scale>' },
    figures: { type: 'string', value: 'dir', description: 'figures folder', defaultText: 'figures/ or $HANDGAP_FIGURES' },
    'no-figures': { type: 'boolean', description: 'do not export figures' },
    notebooks: { type: 'boolean', description: 'execute the notebooks (default: yes above smoke)' },
    'no-notebooks': { type: 'boolean', description: 'do not execute the notebooks' },
    'no-real': { type: 'boolean', description: 'ignore real data even if present (synthetic-only run)' },
  },
  async run(args) {
    const only = optString(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean) as StageId[] | undefined;
    for (const s of only ?? []) if (!STAGES.some((x) => x.id === s)) throw new InputError('--only', `unknown stage "${s}" (known: ${STAGES.map((x) => x.id).join(', ')})`);
    const r = await reproduce({
      scale: optString(args, 'scale'), out: optString(args, 'out'), only,
      sweeps: optString(args, 'sweeps')?.split(',').map((s) => s.trim()).filter(Boolean),
      figures: optFlag(args, 'no-figures') ? null : optString(args, 'figures'),
      notebooks: optFlag(args, 'no-notebooks') ? false : optFlag(args, 'notebooks') ? true : undefined,
      real: optFlag(args, 'no-real') ? null : undefined,
    });
    console.log('\n' + r.summary);
    console.log(`summary written to ${r.summaryFile}`);
    const failed = r.result.stages.filter((s) => s.status === 'failed');
    const nbFailed = (r.extras.notebooks ?? []).filter((n) => !n.ok);
    return failed.length || nbFailed.length ? 1 : 0;
  },
};
export default command;
