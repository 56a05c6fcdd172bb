/**
 * Figures of the numbers the study REPORTS (CVPR 2025, arXiv 2503.19307; Tables 1 and 2 as in
 * /work/shared/paper/paper-summary.md). They need no experiment, so `npm run figures` always has
 * something to draw, and our own result figures can be read beside them.
 */
import type { FigureProducer } from '../registry.ts';
import { figure } from '../registry.ts';
import { ablationBarsFigure, ratioBarsFigure } from '../figures.ts';

/** PA-MPJPE (cm) on the FreiHAND evaluation set, trained on real vs synthetic data (Table 1). */
export const PAPER_RATIO = [
  { name: 'S2HAND', real: 0.99, synthetic: 1.02 },
  { name: 'CMR', real: 0.77, synthetic: 0.85 },
  { name: 'METRO', real: 0.69, synthetic: 0.78 },
  { name: 'MeshGraphormer', real: 0.69, synthetic: 0.76 },
  { name: 'simpleHand', real: 0.65, synthetic: 0.77 },
];

/** Component ablation, PA-MPJPE (cm) on SynFrei and SynDex (Table 2). */
export const PAPER_ABLATION = [
  { label: '(i) no arm', values: [1.07, 0.90] },
  { label: '(ii) no amplitude aug.', values: [1.11, 0.89] },
  { label: '(iii) no object', values: [1.07, 0.95] },
  { label: '(iv) random arm+object', values: [1.04, 0.92] },
  { label: '(v) full', values: [1.02, 0.87] },
];

const source = { paper: 'Analyzing the Synthetic-to-Real Domain Gap in 3D Hand Pose Estimation (CVPR 2025)', arxiv: '2503.19307' };

const producers: FigureProducer[] = [{
  name: 'paper-reported',
  async produce() {
    return {
      figures: [
        figure('paper-syn-real-ratio', ratioBarsFigure({ methods: PAPER_RATIO, metric: 'PA-MPJPE', unit: 'cm' }), {
          data: PAPER_RATIO, config: { ...source, table: 1 },
          caption: 'Reported by the study: PA-MPJPE on FreiHAND eval trained on real vs synthetic data; percentage = real/synthetic.',
        }),
        figure('paper-ablation', ablationBarsFigure({ rows: PAPER_ABLATION, groups: ['SynFrei', 'SynDex'], metric: 'PA-MPJPE', unit: 'cm', highlight: '(v) full' }), {
          data: { groups: ['SynFrei', 'SynDex'], rows: PAPER_ABLATION }, config: { ...source, table: 2 },
          caption: 'Reported by the study: component ablation (arm, amplitude augmentation, object).',
        }),
      ],
    };
  },
}];
export default producers;
