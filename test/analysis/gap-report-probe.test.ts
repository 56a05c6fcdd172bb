import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gapReport, realismSummary, spectrumSummary } from '../../lib/analysis/gap-report.ts';

const real = path.join(process.env.HANDGAP_SHARED ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared'), 'data', 'real', 'hgc-dev');

test('gap report: like-for-like spectrum with band intervals and the realism probe on both sets, in gap.json and report.md', { skip: fs.existsSync(real) ? false : `no real set at ${real}` }, async () => {
  const { readFreihand } = await import('../../lib/data/freihand.ts');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-gap-probe-'));
  try {
    const samples = readFreihand(real).samples;
    const r = await gapReport({ name: 'real', dir: real, samples }, { name: 'same', dir: real, samples }, { out: tmp, maxImages: 8, maxPoses: 8, probe: 2, png: false });
    assert.equal(r.spectrum.size, 128); // 256 and 256 → the power of two below
    assert.ok(r.spectrum.raw.bands.high.interval && r.spectrum.contrastNormalized.interval);
    assert.ok(Math.abs(Math.log(r.spectrum.raw.scalar)) < 1e-9, 'a set against itself has ratio 1');
    assert.ok(r.realism && r.realism.reference.images === 2 && r.realism.candidate.images === 2);
    const md = fs.readFileSync(path.join(tmp, 'report.md'), 'utf8');
    assert.match(md, /## 5\. Realism probe/);
    assert.match(md, /hand detected \(%\)/);
    assert.match(md, /low \(0–0\.125 cycles\/px\)/);
    assert.match(spectrumSummary(r), /raw 1\.000/);
    assert.match(realismSummary(r)!, /realism probe: real detected/);
    assert.ok(JSON.parse(fs.readFileSync(path.join(tmp, 'gap.json'), 'utf8')).realism.candidate.detectionRate >= 0);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
