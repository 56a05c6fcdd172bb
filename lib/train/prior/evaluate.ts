/**
 * Acceptance measure of the occlusion prior: on held-out real poses with a fraction of joints 1..20 hidden,
 * the mean 3D error of the hidden joints (mm) after filling them by (a) the mean training pose, (b) the
 * training pose nearest on the visible joints, (c) the VAE prior's reconstruction.
 */
import { Rng } from '../../util/rng.ts';
import { occlusionMasks, maskPoses, meanPose, meanPoseFill, nearestNeighbourFill, occludedJointError } from './poses.ts';
import type { OcclusionVae } from './vae.ts';

export interface OcclusionRow { fraction: number; poses: number; meanPoseMm: number; nearestNeighbourMm: number; vaeMm: number; vaeFitMm?: number }

export function evaluateOcclusion(vae: OcclusionVae, train: Float32Array, test: Float32Array, fractions: number[], seed: number, fitIterations = 0): OcclusionRow[] {
  const mean = meanPose(train), n = test.length / 63;
  return fractions.map((fraction) => {
    const rng = Rng.derive(seed, 'occlusion-eval', Math.round(fraction * 1000));
    const vis = occlusionMasks(n, fraction, () => rng.random());
    const obs = maskPoses(test, vis);
    const mm = (x: Float32Array) => occludedJointError(test, x, vis) * 1000;
    const row: OcclusionRow = { fraction, poses: n, meanPoseMm: mm(meanPoseFill(obs, vis, mean)), nearestNeighbourMm: mm(nearestNeighbourFill(obs, vis, train)), vaeMm: mm(vae.refine(test, vis)) };
    if (fitIterations > 0) row.vaeFitMm = mm(vae.refineFit(test, vis, { iterations: fitIterations }));
    return row;
  });
}

export function formatOcclusionTable(rows: OcclusionRow[]): string {
  const fit = rows.some((r) => r.vaeFitMm !== undefined);
  const lines = ['hidden joints   poses   mean pose (mm)   nearest neighbour (mm)   VAE prior (mm)' + (fit ? '   VAE latent fit (mm)' : '')];
  for (const r of rows) lines.push(`${(r.fraction * 100).toFixed(0).padStart(12)} %  ${String(r.poses).padStart(6)}   ${r.meanPoseMm.toFixed(1).padStart(14)}   ${r.nearestNeighbourMm.toFixed(1).padStart(22)}   ${r.vaeMm.toFixed(1).padStart(14)}${fit ? (r.vaeFitMm?.toFixed(1) ?? '-').padStart(22) : ''}`);
  return lines.join('\n');
}
