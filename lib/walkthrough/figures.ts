/**
 * Figure producer for `npm run figures`: the walkthrough results of every scale that has them (never
 * runs a stage). Each scale's figures go to figures/<scale>/, so a smoke run never replaces demo ones.
 */
import type { FigureProducer } from '../plot/registry.ts';
import { latestResults } from './walkthrough.ts';
import { walkthroughFigures } from './figures-build.ts';
import { runFigures } from './figures-runs.ts';
import { STUDY_ABLATION } from './study.ts';
import { SCALES } from '../experiment/scale.ts';

const producers: FigureProducer[] = [{
  name: 'walkthrough',
  async produce() {
    const results = SCALES.map((s) => latestResults(s)).filter((r): r is NonNullable<typeof r> => r !== null);
    if (!results.length) return { figures: [], skipped: 'no walkthrough results yet (run: npm run main, or handgap reproduce --scale smoke)' };
    const figures = [];
    for (const res of results) {
      for (const f of walkthroughFigures(res)) { f.meta.sources = [`${res.out}/results.json`]; f.meta.scale = res.scale; figures.push(f); }
      // figures from the run cache the results point at (sweeps keep their own scale)
      for (const f of await runFigures(res, STUDY_ABLATION)) { f.meta.sources = [`${res.out}/results.json`, ...(f.meta.sources ?? [])]; figures.push(f); }
    }
    return { figures, skipped: figures.length ? undefined : 'the walkthrough results hold no figure data' };
  },
}];
export default producers;
