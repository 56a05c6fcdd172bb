/**
 * Figures of the numbers the study REPORTS (CVPR 2025, arXiv 2503.19307; Tables 1 and 2 as in
 * /work/shared/paper/paper-summary.md). They need no experiment, so `npm run figures` always has
 * something to draw, and our own result figures can be read beside them.
 */
import { figure, type FigureProducer, type ProducedFigure } from '../registry.ts';
import { ablationBarsFigure, ratioBarsFigure } from '../figures.ts';
import { STUDY_RATIO, STUDY_ABLATION } from '../../walkthrough/study.ts';

/** PA-MPJPE (cm) on the FreiHAND evaluation set, trained on real vs synthetic data (Table 1). */
export const PAPER_RATIO = STUDY_RATIO.map((r) => ({ name: r.method, real: r.realCm, synthetic: r.synCm }));

/** Component ablation, PA-MPJPE (cm) on SynFrei and SynDex (Table 2). */
const PAPER_ABLATION = STUDY_ABLATION.map((r) => ({ label: r.row, values: [r.synFreiCm, r.synDexCm] }));

const source = { paper: 'Analyzing the Synthetic-to-Real Domain Gap in 3D Hand Pose Estimation (CVPR 2025)', arxiv: '2503.19307' };

/** The study's Table 1 (syn→real ratio) and Table 2 (component ablation) as figures (also shown by the notebooks when our runs are absent). */
export function paperFigures(): ProducedFigure[] {
  return [
    figure('paper-syn-real-ratio', ratioBarsFigure({ methods: PAPER_RATIO, metric: 'PA-MPJPE', unit: 'cm' }), {
      data: PAPER_RATIO, config: { ...source, table: 1 },
      caption: 'Reported by the study: PA-MPJPE on FreiHAND eval trained on real vs synthetic data; percentage = real/synthetic.',
    }),
    figure('paper-ablation', ablationBarsFigure({ rows: PAPER_ABLATION, groups: ['SynFrei', 'SynDex'], metric: 'PA-MPJPE', unit: 'cm', highlight: '(v) Full' }), {
      data: { groups: ['SynFrei', 'SynDex'], rows: PAPER_ABLATION }, config: { ...source, table: 2 },
      caption: 'Reported by the study: component ablation (arm, amplitude augmentation, object).',
    }),
  ];
}

const producers: FigureProducer[] = [{
  name: 'paper-reported',
  async produce() { return { figures: paperFigures() }; },
}];
export default producers;
