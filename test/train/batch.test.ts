import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { makeBatch, type BatchItem } from '../../lib/train/pipeline/batch.ts';
import { drawAugment, NO_AUGMENT } from '../../lib/train/pipeline/transform.ts';
import { parseTrainConfig, setAugment, setSpectral, STUDY_SPECTRAL_AUGMENT } from '../../lib/train/pose/config.ts';
import { Rng } from '../../lib/util/rng.ts';
import type { Mat3 } from '../../lib/data/types.ts';

const K: Mat3 = [[120, 0, 32], [0, 120, 32], [0, 0, 1]];
const xyz = Array.from({ length: 21 }, (_, j) => [0.01 * Math.cos(j), 0.012 * Math.sin(j * 0.7), 0.5 + 0.002 * j]);

test('per-set augmentation: a set\'s own fields over the run\'s, its own spectral augmentation or none', () => {
  const cfg = parseTrainConfig({
    out: 'run',
    train: ['renders', { path: 'photos', augment: { colour: { brightness: 0.15, contrast: 0.2, saturation: 0.2 } }, spectral: null }],
    augment: { colour: { brightness: 0.3, contrast: 0.4, saturation: 0.6 }, background: { p: 0.8 } },
    spectral: STUDY_SPECTRAL_AUGMENT,
  }, 'mixed.json');
  const [renders, photos] = cfg.train;
  assert.deepEqual(setAugment(cfg, renders), cfg.augment);
  assert.deepEqual(setAugment(cfg, photos), { ...cfg.augment, colour: { brightness: 0.15, contrast: 0.2, saturation: 0.2 } }, 'only the given field changes; background stays the run\'s');
  assert.deepEqual(setSpectral(cfg, renders), STUDY_SPECTRAL_AUGMENT);
  assert.equal(setSpectral(cfg, photos), null);
  // a bad field of a set's override is one error naming the set and the field, checked as part of the run's augment
  assert.throws(() => parseTrainConfig({ out: 'run', train: ['a', { path: 'b', augment: { rotation: 10 } }] }, 'mixed.json'),
    /mixed\.json: invalid training config:\n {2}train\[1\]\.augment: got \{"rotation":10\}; as fields over the run's augment: rotation: unknown field \(did you mean "rotationDeg"\?\)/);
  assert.throws(() => parseTrainConfig({ out: 'run', train: [{ path: 'b', augment: { colour: { brightness: 3, contrast: 0, saturation: 0 } } }] }, 'mixed.json'),
    /train\[0\]\.augment: .*colour\.brightness: got 3; expected a finite number >= 0 and <= 1/);
});

test('batches: each item carries its own spectral augmentation (null leaves the crop as prepared)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-batch-'));
  const rng = new Rng(5);
  const pixels = Buffer.from(Array.from({ length: 64 * 64 * 3 }, () => Math.floor(rng.random() * 256)));
  const file = path.join(dir, 'img.png');
  await sharp(pixels, { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(file);
  const item = (spectral: BatchItem['spectral']): BatchItem => ({ imagePath: file, xyz, K, left: false, draw: drawAugment(NO_AUGMENT, new Rng(1)), spectral, spectralSeed: 7 });
  // spectral perturbation with p = 1 so the augmented item always differs
  const b = await makeBatch([item(null), item({ kind: 'perturb', sigma: 0.3, p: 1 }), item(null)], { size: 32, margin: 0.25, crop: 'image' });
  const img = (i: number) => b.images.subarray(i * 32 * 32 * 3, (i + 1) * 32 * 32 * 3);
  assert.deepEqual(img(2), img(0), 'items without spectral augmentation are the same prepared crop');
  let diff = 0;
  for (let k = 0; k < img(0).length; k++) diff += Math.abs(img(1)[k] - img(0)[k]);
  assert.ok(diff / img(0).length > 0.01, `the perturbed item differs from the plain crop (mean |Δ| ${diff / img(0).length})`);
  assert.deepEqual(b.xyz.subarray(63, 126), b.xyz.subarray(0, 63), 'labels are untouched by the spectral augmentation');
  fs.rmSync(dir, { recursive: true });
});
