/**
 * gap-report: the four gap factors between two sets — spectrum, poses, skeleton, occlusion
 * (lib/analysis/gap-report.ts). Direction: reference (real) first, candidate (synthetic) second; ratios
 * synthetic ÷ real, offsets (synthetic − real) ÷ real.
 */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, datasetDir, asJson } from '../step.ts';
import { gapReport, skeletonSummary, spectrumSummary, realismSummary } from '../../analysis/gap-report.ts';
import { readFreihand } from '../../data/freihand.ts';

export const gapReportKind = defineKind({
  name: 'gap-report',
  version: 4, // 3: reference (real) first; 4: like-for-like spectrum (size optional), realism probe
  summary: 'gap report between two sets: spectrum, poses, skeleton, occlusion; result: { dir, report, ... }',
  config: z.strictObject({
    reference: z.string().min(1),
    referenceName: z.string().min(1),
    candidate: z.string().min(1),
    candidateName: z.string().min(1),
    seed: z.number().int().default(0),
    maxImages: z.number().int().min(1).default(200),
    maxPoses: z.number().int().min(1).default(300),
    /** common spectrum size (default: below both native sizes, lib/spectral) */
    size: z.number().int().min(8).optional(),
    /** images per set for the realism probe (0 = skip) */
    probe: z.number().int().min(0).default(0),
  }),
  async run(config, { deps, dir }) {
    const refDir = datasetDir(config.reference, deps, 'gap-report.reference'), candDir = datasetDir(config.candidate, deps, 'gap-report.candidate');
    const reference = { name: config.referenceName, dir: refDir, samples: readFreihand(refDir).samples };
    const candidate = { name: config.candidateName, dir: candDir, samples: readFreihand(candDir).samples };
    const out = path.join(dir, 'report');
    const r = await gapReport(reference, candidate, { out, seed: config.seed, maxImages: config.maxImages, maxPoses: config.maxPoses, size: config.size, probe: config.probe, png: false });
    return {
      dir: out, report: path.join(out, 'report.md'), direction: asJson(r.direction),
      spectrumVarianceRatioSynToReal: r.spectrum.meanVarianceRatio, spectrumSummary: spectrumSummary(r),
      pose: asJson(r.pose), skeletonMeanAbsPct: r.skeleton ? r.skeleton.offset.meanAbsPct : null, skeletonLargest: asJson(r.skeleton?.offset.largest ?? null),
      skeletonSummary: skeletonSummary(r), realism: asJson(r.realism), realismSummary: realismSummary(r),
      occlusion: asJson(r.occlusion),
    };
  },
});
