import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FreihandWriter, readFreihand } from '../../lib/data/freihand.ts';
import { writeImage, readImage } from '../../lib/image/io.ts';
import { composeDataset } from '../../lib/analysis/compose-dataset.ts';
import { MASK_BYTES } from '../../lib/data/mask-labels.ts';

const W = 16, H = 12;
const K: [[number, number, number], [number, number, number], [number, number, number]] = [[20, 0, 8], [0, 20, 6], [0, 0, 1]];
const xyz = Array.from({ length: 21 }, (_, j) => [0.001 * j, 0, 0.5]);

async function makeSet(dir: string, n: number, colour: number[], maskOf: (x: number, y: number) => number) {
  const w = new FreihandWriter(dir, { imageExt: '.png' });
  for (let i = 0; i < n; i++) {
    const idx = w.add({ xyz, K });
    const rgb = new Uint8Array(W * H * 3); for (let p = 0; p < W * H; p++) rgb.set(colour.map((c) => c + i), p * 3);
    const m = new Uint8Array(W * H); for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) m[y * W + x] = maskOf(x, y);
    await writeImage(w.imagePath(idx), { data: rgb, width: W, height: H, channels: 3 });
    await writeImage(w.maskPath(idx), { data: m, width: W, height: H, channels: 1 });
  }
  w.finish();
}

test('compose over a dataset: pixels, labels, occlusion meta, random fill and size checks', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-compose-'));
  const syn = path.join(tmp, 'syn'), real = path.join(tmp, 'real');
  // synthetic: hand in x 4..11 (8 columns)
  await makeSet(syn, 3, [10, 20, 30], (x) => (x >= 4 && x < 12 ? MASK_BYTES.hand : 0));
  // donor: forearm x 0..1, object x 10..15
  await makeSet(real, 3, [200, 150, 100], (x) => (x < 2 ? MASK_BYTES.forearm : x >= 10 ? MASK_BYTES.object : MASK_BYTES.hand));
  const out = path.join(tmp, 'out');
  const r = await composeDataset({ syn, donor: real, out, pairing: 'same-index', seed: 1, log: () => {} });
  assert.equal(r.count, 3);
  assert.ok(Math.abs(r.meanOccludedFraction - 0.25) < 1e-9, `object covers 2 of 8 hand columns: ${r.meanOccludedFraction}`);
  const set = readFreihand(out);
  assert.equal(set.count, 3);
  assert.deepEqual(set.samples[1].xyz, xyz);
  const img = await readImage(set.samples[1].imagePath);
  const px = (x: number, y: number) => Array.from(img.data.slice((y * W + x) * 3, (y * W + x) * 3 + 3));
  assert.deepEqual(px(0, 0), [201, 151, 101]); // arm from donor 1
  assert.deepEqual(px(5, 3), [11, 21, 31]); // synthetic hand
  assert.deepEqual(px(12, 3), [201, 151, 101]); // object from donor 1
  const mask = await readImage(set.samples[1].maskPath!, { gray: true });
  assert.deepEqual([mask.data[0], mask.data[5], mask.data[11], mask.data[3]], [MASK_BYTES.forearm, MASK_BYTES.hand, MASK_BYTES.object, 0]);
  assert.deepEqual((set.samples[1].meta as { compose: { donorIndex: number } }).compose.donorIndex, 1);
  assert.equal((set.meta as { seed: number }).seed, 1);

  const outR = path.join(tmp, 'rand');
  await composeDataset({ syn, donor: real, out: outR, pairing: 'same-index', fill: 'random-region', seed: 4, object: false });
  const ri = await readImage(readFreihand(outR).samples[0].imagePath);
  assert.notDeepEqual(Array.from(ri.data.slice(0, 3)), [200, 150, 100]);
  assert.deepEqual(Array.from(ri.data.slice((3 * W + 12) * 3, (3 * W + 12) * 3 + 3)), [10, 20, 30]); // no object: synthetic background stays

  const small = path.join(tmp, 'small');
  const w = new FreihandWriter(small, { imageExt: '.png' }); w.add({ xyz, K });
  await writeImage(w.imagePath(0), { data: new Uint8Array(8 * 8 * 3), width: 8, height: 8, channels: 3 });
  await writeImage(w.maskPath(0), { data: new Uint8Array(8 * 8), width: 8, height: 8, channels: 1 }); w.finish();
  await assert.rejects(composeDataset({ syn, donor: small, out: path.join(tmp, 'bad'), pairing: 'cyclic' }), /00000000\.png: image is 8×8 but the synthetic image is 16×12/);
  await composeDataset({ syn, donor: small, out: path.join(tmp, 'resized'), pairing: 'cyclic', resize: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});
