import path from 'node:path';
import type { Command } from '../command.ts';
import { optFlag, optNumber, optString, type OptionSpecs } from '../args.ts';
import { formatReport, runNotebooks, selectNotebooks, listNotebooks } from '../../notebook/runner.ts';
import { parseScale, SCALE_CHOICES } from '../../experiment/scale.ts';
import { HandgapError } from '../../util/errors.ts';
import { projectRoot } from '../../util/paths.ts';

const runOptions: OptionSpecs = {
  scale: { type: 'string', choices: SCALE_CHOICES, description: 'sets HANDGAP_SCALE for the notebooks (full = paper)', defaultText: '$HANDGAP_SCALE or smoke' },
  timeout: { type: 'number', above: 0, default: 900, value: 's', description: 'seconds per cell' },
  html: { type: 'boolean', description: "also write notebooks-executed/<name>.html (nbconvert's HTML exporter)" },
};

const command: Command = {
  name: 'notebooks',
  summary: 'execute the notebooks headless on the tslab kernel (executed copies in notebooks-executed/)',
  usage: `handgap notebooks run [name ...] [--scale smoke|demo|study|paper] [--timeout S] [--html]
handgap notebooks list

run   executes each notebook (all of notebooks/*.ipynb, or the named ones: "00_environment", "00",
      or a path) with nbclient and the tslab kernel, one kernel per notebook, and writes the executed
      copy to notebooks-executed/<name>.ipynb (git-ignored). A failing cell is reported with its
      source and its own error text. Ends with "notebooks: N passed, M failed"; exit 1 if any failed.
list  prints the notebooks that run would execute.`,
  options: runOptions,
  subcommands: { run: { options: runOptions }, list: { options: {} } },
  async run(args) {
    const [sub = 'run', ...names] = args.positionals;
    if (sub === 'list') { for (const f of listNotebooks()) console.log(path.relative(projectRoot, f)); return 0; }
    if (sub !== 'run') throw new HandgapError(`unknown subcommand "${sub}" (use run or list)`);
    const scale = optString(args, 'scale') !== undefined ? parseScale(optString(args, 'scale'), 'smoke') : parseScale(process.env.HANDGAP_SCALE, 'smoke', 'HANDGAP_SCALE');
    const files = selectNotebooks(names);
    if (files.length === 0) { console.log('notebooks: 0 passed, 0 failed (no notebooks found)'); return 0; }
    const t0 = Date.now();
    const results = await runNotebooks(files, {
      scale,
      timeoutSeconds: optNumber(args, 'timeout')!,
      html: optFlag(args, 'html'),
      onStart: (nb, i, n) => process.stderr.write(`[${i + 1}/${n}] ${path.basename(nb)} ...\n`),
      onDone: (r, i, n) => {
        const elapsed = (Date.now() - t0) / 1000;
        const eta = (elapsed / (i + 1)) * (n - i - 1);
        process.stderr.write(`[${i + 1}/${n}] ${path.basename(r.notebook)} ${r.ok ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(1)} s (elapsed ${elapsed.toFixed(0)} s, ETA ${eta.toFixed(0)} s)\n`);
      },
    });
    console.log(formatReport(results));
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
export default command;
