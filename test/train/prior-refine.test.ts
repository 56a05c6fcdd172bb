import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ellipseMask, placeOccluder } from '../../lib/image/occluder.ts';
import { jointsUnderMask } from '../../lib/analysis/occlusion.ts';
import { lowConfidenceVisibility, occludedErrorsPerFrame, scoreFills } from '../../lib/train/prior/occluded-eval.ts';
import { D, NJ } from '../../lib/train/prior/poses.ts';
import { priorRefine } from '../../lib/experiment/kinds/prior-refine.ts';
import { readExperiment, experimentFile } from '../../lib/experiment/runner.ts';
import { findKnownSet } from '../../lib/util/paths.ts';

const hgc = findKnownSet('hgc-dev');

test('occluder: the ellipse mask is 1 inside, 0 outside; a placement is seeded and covers joints near its centre', () => {
  const m = ellipseMask(40, 30, { cx: 20, cy: 15, rx: 8, ry: 4, angle: 0 });
  assert.equal(m.data[15 * 40 + 20], 1);
  assert.equal(m.data[15 * 40 + 35], 0, 'outside the x radius');
  assert.equal(m.data[22 * 40 + 20], 0, 'outside the y radius');
  const uv = Array.from({ length: 21 }, (_, j) => [10 + (j % 5) * 4, 5 + Math.floor(j / 5) * 4]);
  const a = placeOccluder(uv, { radius: [0.2, 0.3] }, 3, 7), b = placeOccluder(uv, { radius: [0.2, 0.3] }, 3, 7);
  assert.deepEqual(a, b, 'same seed and key, same occluder');
  assert.notDeepEqual(a, placeOccluder(uv, { radius: [0.2, 0.3] }, 3, 8));
  const hidden = jointsUnderMask(ellipseMask(40, 30, a), uv).occludedJoints;
  assert.ok(hidden.length >= 1 && hidden.length < 21, `hides some joints: ${hidden}`);
});

test('occluded-joint scoring: only occluded joints count, PA alignment removes a similarity, paired differences', () => {
  const truth = new Float32Array(2 * D);
  for (let k = 0; k < truth.length; k++) truth[k] = ((k * 7919) % 23) / 500;
  const occluded = new Uint8Array(2 * NJ).fill(1);
  occluded[3] = 0; occluded[NJ + 5] = 0; occluded[NJ + 6] = 0;
  const off = Float32Array.from(truth);
  off[3 * 3] += 0.01; // 10 mm on an occluded joint of frame 0
  off[4 * 3] += 0.5; // a visible joint: not counted
  const rr = occludedErrorsPerFrame(truth, off, occluded, 'root-relative');
  assert.ok(Math.abs(rr[0] - 0.01) < 1e-6 && rr[1] === 0, `${rr}`);
  const scaled = truth.map((v) => 2 * v + 0.1);
  assert.ok(occludedErrorsPerFrame(truth, scaled, occluded, 'pa-aligned').every((e) => e < 1e-6), 'a similarity transform is aligned away');
  const s = scoreFills(truth, occluded, { a: truth, b: off }, 'root-relative', { references: ['a'], seed: 1, replicates: 200 });
  assert.equal(s.a.mm.mean, 0);
  assert.ok(Math.abs(s.b.mm.mean - 5) < 1e-3, 'mean over frames of per-frame means: (10 + 0) / 2 mm');
  assert.ok(Math.abs(s.b.minusMm.a.mean - 5) < 1e-3);
  const vis = lowConfidenceVisibility([0.9, 0.1, ...Array(19).fill(0.5)], 0.5);
  assert.deepEqual([vis[0], vis[1], vis[2]], [1, 0, 1], 'below half the median replaced; wrist always kept');
});

test('prior-refine on real occluded test frames: with the true visible joints the VAE refinement beats the mean-pose fill', { skip: !hgc && 'hgc-dev not found' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-prior-refine-'));
  // the walkthrough's split (its one owner), as experiments/prior-refine.json takes it
  const { testBlocks, gap } = readExperiment(experimentFile('walkthrough')).params as { testBlocks: [number, number][]; gap: number };
  const config = priorRefine.config.parse({ blocks: { test: testBlocks, gap }, steps: 300, maxFrames: 16, vae: { hidden: 128, learningRate: 1e-3, inputScale: 100 }, fitIterations: 40, bootstrapReplicates: 200, seed: 1 });
  const logs: string[] = [];
  const r = await priorRefine.run(config, { dir, log: (m) => logs.push(m), deps: {}, scale: 'smoke', run: {} as never }) as any;
  assert.equal(r.frames, 16);
  assert.ok(r.occludedJoints >= 16, 'every frame has an occluded joint');
  assert.equal(fs.readdirSync(path.join(dir, 'occluded')).filter((f) => f.endsWith('.png') && !f.includes('tmp')).length, 16, 'occluded images written');
  const o = r.variants.oracle.scores['root-relative'];
  assert.ok(o.vaeRefined.mm.mean < o.meanPoseFill.mm.mean, `VAE ${o.vaeRefined.mm.mean} mm vs mean pose ${o.meanPoseFill.mm.mean} mm`);
  assert.ok(logs.some((l) => /ETA/.test(l)), 'progress with ETA');
  fs.rmSync(dir, { recursive: true, force: true });
});
