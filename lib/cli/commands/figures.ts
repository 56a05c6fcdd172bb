import path from 'node:path';
import type { Command } from '../command.ts';
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
    const only = optString(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    const producers = await loadProducers();
    const produced = [];
    for (const p of producers) {
      const r = await p.produce();
      const figs = r.figures.filter((f) => !only || only.includes(p.name) || only.includes(f.name));
      if (r.skipped) console.log(`skipped  ${p.name}: ${r.skipped}`);
      produced.push(...figs);
    }
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
