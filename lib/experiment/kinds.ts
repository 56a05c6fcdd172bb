/**
 * Every step kind, listed explicitly (one file each in ./kinds/). To add a kind: write
 * kinds/<name>.ts exporting a `defineKind({...})`, import it here and append it to KINDS
 * (docs/experiments.md).
 */
import type { StepKind } from './step.ts';
import { InputError } from '../util/errors.ts';
import { posePool } from './kinds/pose-pool.ts';
import { poseSubset } from './kinds/pose-subset.ts';
import { render } from './kinds/render.ts';
import { compose } from './kinds/compose.ts';
import { train } from './kinds/train.ts';
import { evaluate } from './kinds/evaluate.ts';
import { poseStats } from './kinds/pose-stats.ts';
import { spectralGapKind } from './kinds/spectral-gap.ts';
import { gapReportKind } from './kinds/gap-report.ts';
import { prior } from './kinds/prior.ts';
import { priorRefine } from './kinds/prior-refine.ts';

export const KINDS: readonly StepKind[] = [posePool, poseSubset, render, compose, train, evaluate, poseStats, spectralGapKind, gapReportKind, prior, priorRefine] as StepKind[];

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.name);

export function stepKind(name: string, kinds: readonly StepKind[] = KINDS): StepKind {
  const k = kinds.find((x) => x.name === name);
  if (!k) throw new InputError(`step kind "${name}"`, `unknown (known: ${kinds.map((x) => x.name).join(', ')})`);
  return k;
}
