import path from 'node:path';
import type { Command } from '../command.ts';
import { assertOutputDir } from '../../util/fsx.ts';
import { InputError } from '../../util/errors.ts';
import { optString } from '../args.ts';
import { exportRegisteredFigures } from '../../plot/producers.ts';
import { figuresDir, projectRoot } from '../../util/paths.ts';

const command: Command = {
  name: 'figures',
  summary: 'regenerate figures/ (PNG 2x, SVG, PDF + sidecar JSON) from cached results',
  usage: `handgap figures [--only name[,name]] [--out DIR]

Runs every figure producer (lib/plot/producers/*.ts and lib/<area>/figures.ts) on the results that
are already cached, and writes <out>/<scale>/<figure>.png (2x), .svg, .pdf and .json (data, config
and input-file hashes; no timestamps, so the same results give the same bytes). <scale> is the scale
of the runs (smoke, demo, paper) or "study" for the study's reported numbers: a smoke run never
replaces a demo figure. Producers whose results are absent are listed as skipped.`,
  options: {
    only: { type: 'string', value: 'name,...', description: 'comma-separated producer or figure names' },
    out: { type: 'string', value: 'dir', description: 'output folder', defaultText: 'figures/, or $HANDGAP_FIGURES' },
  },
  async run(args) {
    const out = path.resolve(optString(args, 'out', figuresDir())!);
    assertOutputDir(out, '--out');
    const only = optString(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    if (only && only.length === 0) throw new InputError('--only', 'got no names; expected comma-separated producer or figure names');
    const written = await exportRegisteredFigures(out, { only, strict: true, log: (m) => console.log(m) });
    if (!written.length) { console.log('figures: nothing to export'); return 0; }
    for (const w of written) console.log(`wrote    ${path.relative(projectRoot, path.join(out, w.group, w.name))}.{${w.files.map((x) => path.extname(x).slice(1)).join(',')}}`);
    const groups = [...new Set(written.map((w) => w.group))];
    console.log(`figures: ${written.length} written to ${groups.map((g) => path.relative(projectRoot, path.join(out, g)) + '/').join(', ')}`);
  },
};
export default command;
