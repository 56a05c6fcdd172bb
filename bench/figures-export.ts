/**
 * Static figure export throughput: one chromium for the whole batch (what `npm run figures` does)
 * against the baseline of one chromium per figure, measured in the same run. Prints figures/s for
 * both (PNG 2× + SVG + PDF per figure) and the ratio batch/baseline.
 *   node --import tsx bench/figures-export.ts [--n 4]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportFigures } from '../lib/plot/export.ts';
import { saturationFigure } from '../lib/plot/figures.ts';
import { plotlyPageUrl } from '../lib/plot/plotlyjs.ts';

const nArg = process.argv.indexOf('--n');
const n = nArg > 0 ? Number(process.argv[nArg + 1]) : 4;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-bench-fig-'));
const figs = Array.from({ length: n }, (_, i) => {
  const x = Array.from({ length: 8 }, (_, k) => 5 + 12 * k);
  return saturationFigure({ xLabel: 'poses used', xUnit: '%', yLabel: 'PA-MPJPE', yUnit: 'cm', series: [{ name: `run ${i}`, x, y: x.map((v) => 1 + 0.5 * Math.exp(-v / (10 + i))) }] });
});
plotlyPageUrl(); // minify once, outside the timings

async function main(): Promise<void> {
  let t = performance.now();
  await exportFigures(figs.map((fig, i) => ({ fig, base: path.join(out, `batch-${i}`) })));
  const batch = n / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < n; i++) await exportFigures([{ fig: figs[i], base: path.join(out, `single-${i}`) }]);
  const single = n / ((performance.now() - t) / 1000);
  fs.rmSync(out, { recursive: true, force: true });
  console.log(`figures exported (png 2x + svg + pdf), n=${n}`);
  console.log(`  one chromium per batch   : ${batch.toFixed(2)} figures/s`);
  console.log(`  baseline, one per figure : ${single.toFixed(2)} figures/s`);
  console.log(`  ratio batch / baseline   : ${(batch / single).toFixed(2)}x`);
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
