/**
 * Walkthrough scales (pure): how big every stage is at smoke (CI, seconds), demo (the main job, under
 * 20 minutes on 2 cores) and paper (the study's sizes; days). "full" (the notebooks' name) means paper.
 */
import { InputError } from '../util/errors.ts';
import { parseScale } from '../experiment/scale.ts';
import type { Scale } from '../analysis/experiment.ts';

export const WALK_SCALES = ['smoke', 'demo', 'paper'] as const;
export type WalkScale = (typeof WALK_SCALES)[number];

export function parseWalkScale(v: string | undefined, where = '--scale'): WalkScale {
  const s = parseScale(v, 'demo', where);
  if (s === 'study') throw new InputError(where, 'the walkthrough has plans for smoke, demo and paper only ("study" runs through handgap experiment)');
  return s;
}

export interface ScalePlan {
  seed: number;
  /** the synthetic set rendered by the walkthrough (images size×size px) */
  render: { n: number; size: number; samples: number; objectProbability: number };
  /** pose statistics: at most this many poses per set (Procrustes/MMD cost is O(n²)) */
  poses: { maxPoses: number; sampled: number };
  /** spectral statistics: images resized to size×size, at most `limit` per set; bootstrap replicates */
  spectrum: { size: number; limit: number; replicates: number };
  /** gap report subsample sizes */
  gap: { maxImages: number; maxPoses: number; size: number };
  /** training synthetic / real / mixed (lib/train): epochs, batch, input size, test images */
  train: { epochs: number; batchSize: number; inputSize: number; testMax: number };
  /** VAE occlusion prior: training steps, pose budget, hidden width */
  prior: { steps: number; maxPoses: number; hidden: number; testPoses: number };
  /** scale at which the declared experiments (experiments/*.json) run; null: not at this scale */
  experiments: { scale: Scale | null; names: string[] };
  /** execute the notebooks after the stages (they reuse the cached results) */
  notebooks: boolean;
}

export const PLANS: Record<WalkScale, ScalePlan> = {
  smoke: {
    seed: 2025,
    render: { n: 8, size: 64, samples: 4, objectProbability: 0.7 },
    poses: { maxPoses: 150, sampled: 150 },
    spectrum: { size: 64, limit: 24, replicates: 50 },
    gap: { maxImages: 24, maxPoses: 60, size: 64 },
    train: { epochs: 1, batchSize: 8, inputSize: 64, testMax: 16 },
    prior: { steps: 40, maxPoses: 2000, hidden: 64, testPoses: 200 },
    experiments: { scale: null, names: ['pose-fraction', 'component-ablation'] },
    notebooks: false,
  },
  demo: {
    seed: 2025,
    render: { n: 96, size: 128, samples: 8, objectProbability: 0.7 },
    poses: { maxPoses: 600, sampled: 600 },
    spectrum: { size: 128, limit: 300, replicates: 200 },
    gap: { maxImages: 120, maxPoses: 200, size: 128 },
    train: { epochs: 8, batchSize: 16, inputSize: 96, testMax: 150 },
    prior: { steps: 1500, maxPoses: 20000, hidden: 128, testPoses: 1000 },
    // the sweeps at their own smoke scale: 5 points × 16 renders at 64 px and a small model per point
    // (a few minutes on 2 cores); labelled as smoke-scale sweeps in the summary
    experiments: { scale: 'smoke', names: ['pose-fraction', 'component-ablation'] },
    notebooks: true,
  },
  paper: {
    seed: 2025,
    render: { n: 32560, size: 224, samples: 64, objectProbability: 0.7 },
    poses: { maxPoses: 3000, sampled: 3000 },
    spectrum: { size: 224, limit: 0, replicates: 200 },
    gap: { maxImages: 1000, maxPoses: 1000, size: 224 },
    train: { epochs: 100, batchSize: 64, inputSize: 224, testMax: 0 },
    prior: { steps: 20000, maxPoses: 0, hidden: 512, testPoses: 5000 },
    experiments: { scale: 'paper', names: ['pose-fraction', 'component-ablation'] },
    notebooks: true,
  },
};
