/**
 * Hand-model benchmark: forward-kinematics throughput (poses/s) and fitting throughput on hgc-dev.
 * Timings on a shared machine are noisy, so each number is printed with a ratio against a baseline
 * measured in the same run:
 *   FK:  batched forwardKinematicsBatch vs. the per-pose forwardKinematics API (nested arrays) — baseline
 *   fit: full fit (placement + angles + shape) vs. pose-only fit (fitShape: false) — baseline
 * Usage: node --import tsx bench/hand.ts [--fk 20000] [--fit 300]
 */
import { genericHandRestShape } from '../lib/hand/asset.ts';
import { forwardKinematics, forwardKinematicsBatch, N_DOF } from '../lib/hand/model.ts';
import { sampleUniformAngles } from '../lib/hand/sampler.ts';
import { fitPoseSet, quantiles } from '../lib/hand/fit.ts';
import { readHgcDev, selectPoses } from '../lib/data/pose-sets.ts';

const arg = (name: string, d: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const nFk = arg('fk', 20000), nFit = arg('fit', 300);
const shape = genericHandRestShape();
const angles = sampleUniformAngles(nFk, 1);
const rotations = Float64Array.from({ length: nFk * 3 }, (_, i) => Math.sin(i) * 1.5);
const translations = new Float64Array(nFk * 3).fill(0.5);

function time(fn: () => void, reps = 3): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) { const t0 = performance.now(); fn(); best = Math.min(best, performance.now() - t0); }
  return best / 1000;
}

console.log(`hand benchmark (node ${process.version}); best of 3 runs each`);
// warm-up
forwardKinematicsBatch(shape, angles.subarray(0, 1000 * N_DOF));
const out = new Float64Array(nFk * 75);
const tBatch = time(() => forwardKinematicsBatch(shape, angles, { rotations, translations, out }));
const tSingle = time(() => {
  for (let i = 0; i < nFk; i++) forwardKinematics(shape, { angles: angles.subarray(i * N_DOF, (i + 1) * N_DOF), global: { rotation: [rotations[i * 3], rotations[i * 3 + 1], rotations[i * 3 + 2]], translation: [0.5, 0.5, 0.5] } });
});
console.log(`FK batched          ${(nFk / tBatch).toFixed(0).padStart(10)} poses/s  (${nFk} poses, 25 joints, global transform)`);
console.log(`FK per-pose API     ${(nFk / tSingle).toFixed(0).padStart(10)} poses/s  [baseline]`);
console.log(`ratio batched / per-pose: ${(tSingle / tBatch).toFixed(2)}×`);

const set = readHgcDev();
const sub = nFit < set.count ? selectPoses(set, Array.from({ length: nFit }, (_, i) => i)) : set;
let t0 = performance.now();
const full = fitPoseSet(shape, sub.joints, sub.handedness);
const tFull = (performance.now() - t0) / 1000;
t0 = performance.now();
const poseOnly = fitPoseSet(shape, sub.joints, sub.handedness, { fitShape: false });
const tPose = (performance.now() - t0) / 1000;
const q = (e: Float64Array) => quantiles(e, [0.5, 0.9, 1]).map((v) => (v * 1000).toFixed(2)).join(' / ');
console.log(`\nfit on hgc-dev (${sub.count} left hands, mirrored)`);
console.log(`full fit (shape + pose) ${(sub.count / tFull).toFixed(1).padStart(8)} poses/s   per-joint error median / p90 / max: ${q(full.jointErrors)} mm`);
console.log(`pose-only fit           ${(sub.count / tPose).toFixed(1).padStart(8)} poses/s   per-joint error median / p90 / max: ${q(poseOnly.jointErrors)} mm  [baseline]`);
console.log(`ratio full / pose-only time: ${(tFull / tPose).toFixed(2)}×`);
