import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { boxSize, scoreImage, summarizeProbe, toFreihandOrder } from '../../lib/realism/landmarks.ts';
import { Rng } from '../../lib/util/rng.ts';

const hand = Array.from({ length: 21 }, (_, j) => [100 + 5 * (j % 5), 100 + 8 * Math.floor(j / 5)]); // box 20 × 32 → size 32

test('landmark scoring: errors in hand-box units, PCK, the most confident detection, misses', () => {
  assert.equal(boxSize(hand), 32);
  assert.deepEqual(toFreihandOrder(hand), hand);
  assert.throws(() => toFreihandOrder(hand.slice(1)), /20 landmarks/);
  const exact = scoreImage(hand, [{ score: 0.9, keypoints: hand }]);
  assert.deepEqual([exact.detected, exact.error, exact.pck], [true, 0, 1]);
  const near = scoreImage(hand, [{ score: 0.9, keypoints: hand.map(([u, v]) => [u + 0.05 * 32, v]) }]);
  assert.ok(Math.abs(near.error - 0.05) < 1e-12 && near.pck === 1);
  const far = scoreImage(hand, [{ score: 0.9, keypoints: hand.map(([u, v]) => [u, v + 0.2 * 32]) }]);
  assert.ok(Math.abs(far.error - 0.2) < 1e-12 && far.pck === 0);
  // two detections: the most confident is compared, whatever the order
  const other = hand.map(([u, v]) => [u + 150, v]);
  assert.equal(scoreImage(hand, [{ score: 0.5, keypoints: other }, { score: 0.9, keypoints: hand }]).error, 0);
  assert.ok(scoreImage(hand, [{ score: 0.95, keypoints: other }, { score: 0.9, keypoints: hand }]).error > 1);
  const miss = scoreImage(hand, []);
  assert.equal(miss.detected, false); assert.equal(miss.pck, 0);
  const rng = new Rng(1);
  const s = summarizeProbe([exact, near, far, miss], 0.1, () => rng.uniform(0, 1), 200);
  assert.equal(s.detectionRate, 0.75);
  assert.ok(Math.abs(s.meanError - 0.25 / 3) < 1e-12);
  assert.ok(Math.abs(s.pck - 2 / 3) < 1e-12 && Math.abs(s.pckAll - 0.5) < 1e-12);
  assert.ok(s.intervals.detectionRate[0] <= 0.75 && 0.75 <= s.intervals.detectionRate[1]);
});

const real = path.join(process.env.HANDGAP_SHARED ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared'), 'data', 'real', 'hgc-dev');

test('realism probe: the packaged model finds real hands near their labels and no hand in a blank image', { skip: fs.existsSync(real) ? false : `no real set at ${real}` }, async () => {
  const { readFreihand } = await import('../../lib/data/freihand.ts');
  const { realismProbe, detectHands } = await import('../../lib/realism/probe.ts');
  const { writeImage } = await import('../../lib/image/io.ts');
  const samples = readFreihand(real).samples;
  const r = await realismProbe(samples, { limit: 6, seed: 3, quiet: true });
  assert.equal(r.images, 6);
  assert.ok(r.detected >= 5, `real hands found: ${r.detected}/6`);
  assert.ok(r.medianError < 0.08, `median 2D error ${r.medianError} of the hand box`);
  const blank = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-probe-')), 'blank.png');
  try {
    await writeImage(blank, { data: new Uint8Array(128 * 128 * 3).fill(90), width: 128, height: 128, channels: 3 });
    assert.equal((await detectHands(blank)).length, 0);
  } finally { fs.rmSync(path.dirname(blank), { recursive: true, force: true }); }
});
