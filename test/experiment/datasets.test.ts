/** Dataset entries of step configs: fractions, the blocked split of a recording, first N. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetEntry, entryIndices, datasetSpec } from '../../lib/experiment/datasets.ts';
import { STUDY_SPECTRAL_AUGMENT } from '../../lib/train/pose/config.ts';

const entry = (v: unknown) => { const e = datasetEntry.parse(v); if (typeof e === 'string') throw new Error('object expected'); return e; };

test('blocked split: hgc-dev frames 0–239 train, 250–299 test, 240–249 left out; max takes the first N', () => {
  const blocks = { test: [[250, 299]], gap: 10 };
  const train = entryIndices(entry({ set: 'hgc-dev', blocks: { ...blocks, part: 'train' } }), 300, 'e')!;
  const testIdx = entryIndices(entry({ set: 'hgc-dev', blocks: { ...blocks, part: 'test' } }), 300, 'e')!;
  assert.deepEqual(train, Array.from({ length: 240 }, (_, i) => i));
  assert.deepEqual(testIdx, Array.from({ length: 50 }, (_, i) => 250 + i));
  // never neighbouring frames across the split
  assert.ok(train.every((a) => testIdx.every((b) => Math.abs(a - b) > 10)));
  assert.deepEqual(entryIndices(entry({ set: 'x', blocks: { ...blocks, part: 'test' }, max: 16 }), 300, 'e'), Array.from({ length: 16 }, (_, i) => 250 + i));
  assert.deepEqual(entryIndices(entry({ set: 'x', part: [0.5, 1] }), 10, 'e'), [5, 6, 7, 8, 9]);
  assert.equal(entryIndices(entry({ set: 'x' }), 10, 'e'), undefined);
});

test('bad entries: both part and blocks, a block outside the set, an unknown part', () => {
  assert.throws(() => entry({ set: 'x', part: [0, 0.5], blocks: { test: [[5, 9]], gap: 1, part: 'train' } }), /not both/);
  assert.throws(() => entryIndices(entry({ set: 'x', blocks: { test: [[250, 299]], gap: 10, part: 'train' } }), 100, 'train.data[0]'), /train\.data\[0\]\.blocks\.test\[0\]/);
  assert.throws(() => entry({ set: 'x', blocks: { test: [[1, 2]], gap: 0, part: 'val' } }));
});

test('train entries carry their own augmentation: augment fields and amplitudeAug become the spec\'s augment and spectral', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-entry-'));
  const colour = { brightness: 0.15, contrast: 0.2, saturation: 0.2 };
  const own = datasetSpec(entry({ set: dir, augment: { colour }, amplitudeAug: false }), {}, 'train.data[1]');
  assert.deepEqual(own, { path: dir, weight: 1, augment: { colour }, spectral: null });
  assert.deepEqual(datasetSpec(entry({ set: dir, amplitudeAug: true }), {}, 'e').spectral, STUDY_SPECTRAL_AUGMENT);
  // without them the spec has neither field, so the step's augmentation applies (and cache keys of older configs stay as they were)
  assert.deepEqual(datasetSpec(entry({ set: dir }), {}, 'e'), { path: dir, weight: 1 });
  fs.rmSync(dir, { recursive: true });
});
