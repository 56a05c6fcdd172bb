/** FreiHAND-layout reader and writer: round trips, versions, subsets, bad input, and the real hgc-dev set. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readFreihand, FreihandWriter, writeFreihand, readPredictions, writePredictions, imageId, labelFile } from '../../lib/data/freihand.ts';
import { project, freihandScale } from '../../lib/data/geometry.ts';
import { findKnownSet } from '../../lib/util/paths.ts';
import { InputError } from '../../lib/util/errors.ts';
import { readImage } from '../../lib/image/io.ts';
import type { Mat3 } from '../../lib/data/types.ts';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-test-data-'));
const tmpDir = (): string => fs.mkdtempSync(path.join(tmpRoot, 'd-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A plausible hand: 21 joints 40 cm in front of the camera. */
function handXyz(i: number): number[][] {
  return Array.from({ length: 21 }, (_, j) => [0.01 * (j % 5) - 0.02 + 0.001 * i, 0.012 * Math.floor(j / 5) - 0.03, 0.4 + 0.002 * j]);
}
const K: Mat3 = [[500, 0, 112], [0, 500, 112], [0, 0, 1]];

async function jpeg(file: string, w: number, h: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 150, b: 120 } } }).jpeg().toFile(file);
}

/** Build a small FreiHAND-layout set with the writer: n samples, images of size w×h, versions gs + hom. */
async function buildSet(n: number, w = 224, h = 224): Promise<string> {
  const root = tmpDir();
  const wr = new FreihandWriter(root, { split: 'training', datasetMeta: { generator: 'test', seed: 1 } });
  for (let i = 0; i < n; i++) {
    const idx = wr.add({ xyz: handXyz(i), K, verts: handXyz(i).slice(0, 5), meta: { seed: 100 + i } });
    await jpeg(wr.imagePath(idx), w, h);
    await jpeg(wr.maskPath(idx), w, h);
    await jpeg(path.join(root, 'training', 'rgb', `${String(imageId(idx, n, 'hom')).padStart(8, '0')}.jpg`), w, h);
  }
  wr.finish();
  return root;
}

test('writer → reader round trip: labels, scale, meta, masks, dataset meta, verts on request', async () => {
  const root = await buildSet(3, 320, 240);
  const set = readFreihand(root);
  assert.equal(set.split, 'training');
  assert.equal(set.count, 3);
  assert.equal(set.samples.length, 3);
  assert.deepEqual(set.samples[2].xyz, handXyz(2));
  assert.deepEqual(set.samples[1].K, K);
  assert.equal(set.samples[1].meta!.seed, 101);
  assert.equal(set.samples[1].meta!.scale, freihandScale(handXyz(1)));
  assert.ok(set.samples[0].maskPath?.endsWith(path.join('training', 'mask', '00000000.jpg')));
  assert.equal(set.samples[0].verts, undefined, 'verts only on request');
  assert.equal(set.meta!.seed, 1);
  const withVerts = readFreihand(root, { verts: true });
  assert.deepEqual(withVerts.samples[1].verts, handXyz(1).slice(0, 5));
  // other image sizes are fine
  const img = await readImage(set.samples[0].imagePath);
  assert.equal(img.width, 320);
});

test('image versions: id = index + N·version; "all" yields the versions present', async () => {
  const root = await buildSet(3);
  assert.equal(imageId(2, 32560, 'auto'), 2 + 3 * 32560);
  const hom = readFreihand(root, { version: 'hom' });
  assert.ok(hom.samples[1].imagePath.endsWith('00000004.jpg'));
  const all = readFreihand(root, { version: 'all' });
  assert.deepEqual(all.samples.map((s) => s.meta!.version), ['gs', 'gs', 'gs', 'hom', 'hom', 'hom']);
  assert.throws(() => readFreihand(root, { version: 'sample' }), (e: Error) => e instanceof InputError && /00000006\.jpg/.test(e.message) && /sample 0/.test(e.message));
});

test('subset of files: K + images only (no xyz), evaluation split', async () => {
  const root = tmpDir();
  fs.writeFileSync(path.join(root, 'evaluation_K.json'), JSON.stringify([K, K]));
  await jpeg(path.join(root, 'evaluation', 'rgb', '00000000.jpg'), 100, 80);
  await jpeg(path.join(root, 'evaluation', 'rgb', '00000001.jpg'), 100, 80);
  const set = readFreihand(root);
  assert.equal(set.split, 'evaluation');
  assert.equal(set.samples.length, 2);
  assert.equal(set.samples[0].xyz, undefined);
  assert.equal(set.files.xyz, null);
});

test('bad input: truncated JSON names the file', async () => {
  const root = await buildSet(2);
  const f = labelFile(root, 'training', 'xyz');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 100));
  assert.throws(() => readFreihand(root), (e: Error) => e instanceof InputError && e.message.includes(f) && /truncated/.test(e.message));
});

test('bad input: wrong shape names file and sample index', async () => {
  const root = await buildSet(3);
  const f = labelFile(root, 'training', 'xyz');
  const xyz = JSON.parse(fs.readFileSync(f, 'utf8'));
  xyz[2] = xyz[2].slice(0, 20);
  fs.writeFileSync(f, JSON.stringify(xyz));
  assert.throws(() => readFreihand(root), (e: Error) => e instanceof InputError && e.message.includes(`${f}[2]`) && /21 rows/.test(e.message));
  xyz[2] = handXyz(2); xyz[1][4] = [1, 2];
  fs.writeFileSync(f, JSON.stringify(xyz));
  assert.throws(() => readFreihand(root), (e: Error) => e instanceof InputError && e.message.includes(`${f}[1][4]`));
});

test('bad input: NaN coordinates (as Python writes them) name file, sample, joint and coordinate', async () => {
  const root = await buildSet(3);
  const f = labelFile(root, 'training', 'xyz');
  const xyz = handXyz(0).map((r) => r.map(String));
  xyz[7][1] = 'NaN';
  const text = '[' + [0, 1, 2].map((i) => i === 1 ? `[${xyz.map((r) => `[${r.join(', ')}]`).join(', ')}]` : JSON.stringify(handXyz(i))).join(', ') + ']';
  fs.writeFileSync(f, text);
  assert.throws(() => readFreihand(root), (e: Error) => e instanceof InputError && e.message.includes(`${f}[1][7][1]`) && /NaN/.test(e.message));
});

test('bad input: missing image names the path and sample', async () => {
  const root = await buildSet(3);
  fs.rmSync(path.join(root, 'training', 'rgb', '00000001.jpg'));
  assert.throws(() => readFreihand(root), (e: Error) => e instanceof InputError && /00000001\.jpg/.test(e.message) && /sample 1/.test(e.message));
  assert.equal(readFreihand(root, { checkImages: false }).samples.length, 3);
});

test('bad input: mismatched counts name the file and both counts', async () => {
  const root = await buildSet(3);
  const f = labelFile(root, 'training', 'scale');
  fs.writeFileSync(f, JSON.stringify([0.03, 0.03]));
  assert.throws(() => readFreihand(root), (e: Error) => e instanceof InputError && e.message.includes(f) && /2 entries/.test(e.message) && /has 3/.test(e.message));
});

test('writer refuses partial verts and bad records', () => {
  const w = new FreihandWriter(tmpDir());
  w.add({ xyz: handXyz(0), K, verts: [[0, 0, 0]] });
  w.add({ xyz: handXyz(1), K });
  assert.throws(() => w.finish(), /only 1 of 2 records have verts/);
  assert.throws(() => w.add({ xyz: handXyz(0).slice(1), K }), /record 2\.xyz/);
});

test('writeFreihand copies a read set (round trip through two folders)', async () => {
  const a = readFreihand(await buildSet(2));
  const dst = tmpDir();
  writeFreihand(dst, a.samples);
  const b = readFreihand(dst);
  assert.deepEqual(b.samples.map((s) => s.xyz), a.samples.map((s) => s.xyz));
  assert.ok(fs.existsSync(b.samples[1].maskPath!));
});

test('predictions: submission format round trip and errors', () => {
  const dir = tmpDir();
  const f = path.join(dir, 'pred.json');
  writePredictions(f, { xyz: [handXyz(0), handXyz(1)], verts: null });
  const p = readPredictions(f, { expectedCount: 2 });
  assert.deepEqual(p.xyz[1], handXyz(1));
  assert.equal(p.verts, null);
  assert.throws(() => readPredictions(f, { expectedCount: 3 }), (e: Error) => e.message.includes(f) && /2 predictions/.test(e.message));
  fs.writeFileSync(f, JSON.stringify([[handXyz(0), handXyz(1).slice(3)], [[], []]]));
  assert.throws(() => readPredictions(f), (e: Error) => e.message.includes('xyz_list[1]'));
  fs.writeFileSync(f, JSON.stringify({ xyz: [] }));
  assert.throws(() => readPredictions(f), /submission format/);
});

/** YCbCr skin rule (Chai & Ngan): 77 <= Cb <= 127 and 133 <= Cr <= 173. */
function isSkin(r: number, g: number, b: number): boolean {
  const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  return cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173;
}

const hgc = findKnownSet('hgc-dev');
test('hgc-dev: 300 samples; projected joints lie inside the image and on skin (vs. shuffled poses)', { skip: !hgc }, async (t) => {
  const set = readFreihand(hgc!);
  assert.equal(set.split, 'evaluation');
  assert.equal(set.samples.length, 300);
  let inside = 0, total = 0, onSkin = 0, onSkinShuffled = 0;
  const images: { s: (typeof set.samples)[number]; img: Awaited<ReturnType<typeof readImage>> }[] = [];
  for (let i = 0; i < 300; i += 10) images.push({ s: set.samples[i], img: await readImage(set.samples[i].imagePath) });
  const skinNear = (img: { data: Uint8Array; width: number; height: number }, u: number, v: number) => {
    const x0 = Math.floor(u), y0 = Math.floor(v);
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const x = x0 + dx, y = y0 + dy;
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
      const o = 3 * (y * img.width + x);
      if (isSkin(img.data[o], img.data[o + 1], img.data[o + 2])) return true;
    }
    return false;
  };
  images.forEach(({ s, img }, k) => {
    const uv = project(s.xyz!, s.K);
    const other = images[(k + 7) % images.length].s;
    const uvShuffled = project(other.xyz!, other.K);
    uv.forEach(([u, v], j) => {
      total++;
      if (u >= 0 && v >= 0 && u < img.width && v < img.height) inside++;
      if (skinNear(img, u, v)) onSkin++;
      if (skinNear(img, uvShuffled[j][0], uvShuffled[j][1])) onSkinShuffled++;
    });
  });
  t.diagnostic(`inside ${inside}/${total}, on skin ${(onSkin / total).toFixed(3)}, shuffled poses on skin ${(onSkinShuffled / total).toFixed(3)}`);
  assert.equal(inside, total, 'every projected joint inside the 256×256 image');
  assert.ok(onSkin / total > 0.95, `on skin: ${(onSkin / total).toFixed(3)}`);
  assert.ok(onSkinShuffled / total < onSkin / total - 0.2, `shuffled poses on skin: ${(onSkinShuffled / total).toFixed(3)} vs ${(onSkin / total).toFixed(3)}`);
});
