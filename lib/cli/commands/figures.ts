import path from 'node:path';
import type { Command } from '../command.ts';
import { assertOutputDir } from '../../util/fsx.ts';
import { HandgapError, InputError } from '../../util/errors.ts';
import { optString } from '../args.ts';
import { loadProducers } from '../../plot/producers.ts';
import { gitCommit, writeFigure } from '../../plot/registry.ts';
import { FigureExporter } from '../../plot/export.ts';
import { figuresDir, projectRoot } from '../../util/paths.ts';
import { Progress } from '../../util/progress.ts';

const command: Command = {
  name: 'figures',
  summary: 'regenerate figures/ (PNG 2x, SVG, PDF + sidecar JSON) from cached results',
  usage: `handgap figures [--only name[,name]] [--out DIR]

Runs every figure producer (lib/plot/producers/*.ts and lib/<area>/figures.ts) on the results that
are already cached, and writes <out>/<figure>.png (2x), .svg, .pdf and .json (data, config hash,
git commit). Producers whose results are absent are listed as skipped. One chromium for the batch.`,
  options: {
    only: { type: 'string', value: 'name,...', description: 'comma-separated producer or figure names' },
    out: { type: 'string', value: 'dir', description: 'output folder', defaultText: 'figures/, or $HANDGAP_FIGURES' },
  },
  async run(args) {
    const out = path.resolve(optString(args, 'out', figuresDir())!);
    assertOutputDir(out, '--out');
    const only = optString(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    if (only && only.length === 0) throw new InputError('--only', 'got no names; expected comma-separated producer or figure names');
    const producers = await loadProducers();
    const produced = [];
    const known = new Set<string>();
    for (const p of producers) {
      let r: Awaited<ReturnType<typeof p.produce>>;
      // a producer only reads cached results: one that fails on them names its results, not a stack
      try { r = await p.produce(); } catch (e) {
        if (e instanceof HandgapError) throw e;
        throw new InputError(`figure producer "${p.name}"`, `cannot build its figures from the cached results (${(e as Error).message}); re-run what writes them`);
      }
      known.add(p.name);
      for (const f of r.figures) known.add(f.name);
      const figs = r.figures.filter((f) => !only || only.includes(p.name) || only.includes(f.name));
      if (r.skipped) console.log(`skipped  ${p.name}: ${r.skipped}`);
      produced.push(...figs);
    }
    const unknown = (only ?? []).filter((n) => !known.has(n));
    if (unknown.length) throw new InputError('--only', `no producer or produced figure named ${unknown.map((n) => `"${n}"`).join(", ")}; known producers and figures (with cached results): ${[...known].join(', ')}`);
    if (!produced.length) { console.log('figures: nothing to export'); return 0; }
    const commit = gitCommit();
    const ex = await FigureExporter.launch();
    const progress = new Progress({ label: 'figures', total: produced.length, unit: 'figures' });
    try {
      for (const f of produced) {
        const s = await writeFigure(ex, f, out, commit);
        progress.tick();
        console.log(`wrote    ${path.relative(projectRoot, path.join(out, f.name))}.{${s.files.map((x) => path.extname(x).slice(1)).join(',')},json}`);
      }
    } finally { await ex.close(); }
    console.log(`figures: ${produced.length} written to ${path.relative(projectRoot, out) || '.'}`);
  },
};
export default command;
