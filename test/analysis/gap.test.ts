import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skeletonStats, skeletonOffset, proportionsGap, poseDistance, LogAmplitudeStats } from '../../lib/analysis/gap.ts';
import { Rng } from '../../lib/util/rng.ts';
import { PARENTS21 } from '../../lib/hand/skeleton.ts';

/** A random 21-joint hand-like pose (metres): chains of bones with random directions. */
function randomPose(rng: Rng, boneScale = 1, mcpShift = 0): number[][] {
  const p: number[][] = [[0, 0, 0.5]];
  for (let j = 1; j < 21; j++) {
    const par = p[PARENTS21[j]];
    const isMcp = PARENTS21[j] === 0;
    const len = (isMcp ? 0.08 + (j === 9 ? 0 : mcpShift) : 0.03) * boneScale;
    const d = [rng.normal(), rng.normal(), rng.normal()];
    const n = Math.hypot(d[0], d[1], d[2]);
    p.push([par[0] + (len * d[0]) / n, par[1] + (len * d[1]) / n, par[2] + (len * d[2]) / n]);
  }
  return p;
}

function rotateScale(p: number[][], s: number, t: number[]): number[][] {
  const c = Math.cos(0.7), si = Math.sin(0.7);
  return p.map(([x, y, z]) => [s * (c * x - si * y) + t[0], s * (si * x + c * y) + t[1], s * z + t[2]]);
}

test('skeleton offset: invariant to pose and hand size, detects a changed joint definition', () => {
  const rng = new Rng(1);
  const a = Array.from({ length: 20 }, () => randomPose(rng));
  const bigger = Array.from({ length: 20 }, () => randomPose(rng, 1.2));
  const shifted = Array.from({ length: 20 }, () => randomPose(rng, 1, 0.008));
  const sa = skeletonStats(a);
  assert.ok(Math.abs(sa.palmMm.mean - 80) < 1e-6);
  assert.ok(skeletonOffset(sa, skeletonStats(bigger)).meanAbsPct < 1e-6);
  const off = skeletonOffset(sa, skeletonStats(shifted));
  assert.ok(Math.abs(off.perBonePct[4] - 10) < 1e-6, `index MCP bone +10%: ${off.perBonePct[4]}`); // bone 5 = wrist→index MCP
  assert.ok(Math.abs(off.perBonePct[8]) < 1e-9); // wrist→middle MCP is the reference
  assert.throws(() => skeletonStats([[[0, 0, 0]]]), /pose 0.*expected 21/);
});

test('pose distance: zero for rotated, scaled copies; positive and asymmetric for a subset', () => {
  const rng = new Rng(2);
  const a = Array.from({ length: 12 }, () => randomPose(rng));
  const b = a.map((p) => rotateScale(p, 1.1, [0.1, 0, 0.2]));
  const same = poseDistance(a, b);
  assert.ok(same.meanNearestCandidateToReferenceMm < 1e-6 && same.meanNearestReferenceToCandidateMm < 1e-6);
  assert.equal(same.coverageOfCandidate[0].fraction, 1);
  const sub = poseDistance(a.slice(0, 3), a);
  assert.ok(sub.meanNearestCandidateToReferenceMm > 1, 'the candidate has poses the reference lacks');
  assert.ok(sub.meanNearestReferenceToCandidateMm < 1e-6, 'every reference pose is in the candidate');
  assert.ok(sub.coverageOfCandidate[2].fraction < 1 && sub.coverageOfReference[0].fraction === 1);
});

test('log-amplitude variance: noisy images vary more than a smooth set at every radius', () => {
  const H = 16, W = 20, rng = new Rng(3);
  const smooth = new LogAmplitudeStats(H, W), noisy = new LogAmplitudeStats(H, W);
  for (let n = 0; n < 10; n++) {
    const base = rng.uniform(0.3, 0.6);
    smooth.add(Float64Array.from({ length: H * W }, (_, i) => base + 0.01 * Math.sin(i)));
    noisy.add(Float64Array.from({ length: H * W }, () => rng.uniform(0, 1)));
  }
  const s = smooth.radial(4), z = noisy.radial(4);
  assert.equal(s.r.length, 4);
  for (let b = 0; b < 4; b++) assert.ok(z.varLogAmp[b] > s.varLogAmp[b], `band ${b}`);
  assert.throws(() => smooth.add(new Float64Array(3)), /expected 16×20/);
});

test('proportionsGap: identical sets give ratio 1 and floor 0; one longer bone shows in its ratio and the floor', () => {
  const rng = new Rng(5);
  const poses = Array.from({ length: 20 }, () => Array.from({ length: 21 }, () => [rng.normal(0, 0.04), rng.normal(0, 0.04), 0.5 + rng.normal(0, 0.04)]));
  const same = proportionsGap(poses, skeletonStats(poses));
  assert.ok(same.boneRatio.every((r) => Math.abs(r - 1) < 1e-12) && same.floorMm < 1e-3, `floor ${same.floorMm} mm`);
  // lengthen bone 7 (index DIP → tip) by 20 %: move the tip and nothing else
  const longer = poses.map((p) => p.map((x, j) => (j === 8 ? x.map((v, k) => p[7][k] + 1.2 * (v - p[7][k])) : x.slice())));
  const g = proportionsGap(poses, skeletonStats(longer));
  assert.ok(Math.abs(g.boneRatio[7] - 1.2) < 1e-9, `ratio ${g.boneRatio[7]}`);
  assert.ok(g.boneRatio.every((r, b) => b === 7 || Math.abs(r - 1) < 1e-12));
  assert.ok(g.floorMm > 0.1, `floor ${g.floorMm}`);
});
