/** Figure producer for `npm run figures`: the last walkthrough's results (never runs a stage). */
import type { FigureProducer } from '../plot/registry.ts';
import { latestResults } from './walkthrough.ts';
import { walkthroughFigures } from './figures-build.ts';

const producers: FigureProducer[] = [{
  name: 'walkthrough',
  async produce() {
    const res = latestResults();
    if (!res) return { figures: [], skipped: 'no walkthrough results yet (run: npm run main, or handgap reproduce --scale smoke)' };
    const figures = walkthroughFigures(res);
    for (const f of figures) f.meta.sources = [`${res.out}/results.json`];
    return { figures, skipped: figures.length ? undefined : 'the last walkthrough produced no figure data' };
  },
}];
export default producers;
