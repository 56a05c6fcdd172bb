import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { writeImage } from '../../lib/image/io.ts';
import { Rng } from '../../lib/util/rng.ts';
import { commonSpectrumSize, contrastNormalize, channelSpectra, amplitude, CONTRAST_STD } from '../../lib/spectral/spectrum.ts';
import { spectralGap } from '../../lib/spectral/gap.ts';
import { InputError } from '../../lib/util/errors.ts';

test('common spectrum size: the largest power of two below both native sizes; above a native size refused', () => {
  assert.equal(commonSpectrumSize(224, 256).size, 128);
  assert.equal(commonSpectrumSize(256, 256).size, 128);
  assert.equal(commonSpectrumSize(128, 256).size, 64);
  assert.equal(commonSpectrumSize(224, 256, 200).size, 200);
  assert.equal(commonSpectrumSize(224, 256, 200).note, null);
  assert.match(commonSpectrumSize(224, 256, 224).note!, /not like for like/);
  assert.throws(() => commonSpectrumSize(224, 256, 240), /above a set's native size/);
});

test('contrast normalisation: an image and a lower-contrast, brighter copy get the same spectrum', () => {
  const rng = new Rng(3), W = 16, H = 16;
  const a = new Float32Array(W * H * 3);
  for (let i = 0; i < a.length; i++) a[i] = 40 + rng.uniform(0, 180);
  const b = a.map((v) => 0.4 * v + 90);
  const na = contrastNormalize({ data: a, width: W, height: H, channels: 3 }), nb = contrastNormalize({ data: b, width: W, height: H, channels: 3 });
  const [aa, ab] = [amplitude(channelSpectra(na)[1]), amplitude(channelSpectra(nb)[1])];
  for (let i = 0; i < aa.length; i++) assert.ok(Math.abs(aa[i] - ab[i]) <= 1e-3 * (1 + aa[i]), `frequency ${i}: ${aa[i]} vs ${ab[i]}`);
  // luminance std is CONTRAST_STD after normalisation
  let s2 = 0; for (let p = 0; p < W * H; p++) { const y = 0.299 * na.data[3 * p] + 0.587 * na.data[3 * p + 1] + 0.114 * na.data[3 * p + 2]; s2 += y * y; }
  assert.ok(Math.abs(Math.sqrt(s2 / (W * H)) - CONTRAST_STD) < 1e-2);
});

/** Smooth random blobs plus fine texture, 0..255. */
function scene(rng: Rng, size: number, contrast: number): Uint8Array {
  const data = new Uint8Array(size * size * 3);
  const blobs = Array.from({ length: 6 }, () => ({ x: rng.uniform(0, size), y: rng.uniform(0, size), r: rng.uniform(4, 16), v: rng.uniform(-90, 90) }));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let v = 0;
    for (const b of blobs) v += b.v * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
    v += rng.uniform(-25, 25);
    for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(128 + contrast * v * (1 - 0.1 * c))));
  }
  return data;
}

test('spectralGap: like for like across native sizes (same scenes at 64 and 48 px → ratios near 1); contrast normalisation removes a contrast difference', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-spectral-gap-'));
  try {
    const real = path.join(tmp, 'real'), syn = path.join(tmp, 'syn'), dim = path.join(tmp, 'dim');
    for (const d of [real, syn, dim]) fs.mkdirSync(d);
    const rng = new Rng(11);
    for (let i = 0; i < 24; i++) {
      const name = `${String(i).padStart(4, '0')}.png`;
      const img = scene(rng, 64, 1);
      await writeImage(path.join(real, name), { data: img, width: 64, height: 64, channels: 3 });
      // the same scene at a lower native resolution
      await sharp(Buffer.from(img), { raw: { width: 64, height: 64, channels: 3 } }).resize(48, 48, { kernel: 'cubic' }).png().toFile(path.join(syn, name));
      // the same scene at half the contrast
      const low = img.map((v) => Math.round(128 + 0.5 * (v - 128)));
      await writeImage(path.join(dim, name), { data: low, width: 64, height: 64, channels: 3 });
    }
    const g = await spectralGap({ real, synthetic: syn }, { workers: 1, replicates: 50, seed: 2 });
    assert.equal(g.size, 32);
    assert.equal(g.synthetic.nativeSize, 48); assert.equal(g.real.nativeSize, 64);
    assert.equal(g.direction, 'synthetic ÷ real');
    for (const band of ['low', 'mid']) {
      const b = g.before.bands[band];
      assert.ok(b.scalar > 0.75 && b.scalar < 1.33, `${band} ratio ${b.scalar}`);
      assert.ok(b.interval![0] <= b.scalar && b.scalar <= b.interval![1]);
    }
    // the scalar averages the bins up to Nyquist only; the corner beyond it is its own band
    const upTo = g.before.varianceRatio.filter((r, i) => i > 0 && g.before.radialCenters[i] < 0.5);
    assert.ok(Math.abs(g.before.scalar - Math.exp(upTo.reduce((s, r) => s + Math.log(r), 0) / upTo.length)) < 1e-9);
    assert.deepEqual(g.before.bands.corner.range, [0.5, 1]);
    const d = await spectralGap({ real, synthetic: dim }, { workers: 1, replicates: 50, seed: 2 });
    assert.ok(d.before.scalar < 0.35, `half contrast: raw ratio ${d.before.scalar} (expected about 0.25)`);
    assert.ok(d.contrastNormalized.scalar > 0.85 && d.contrastNormalized.scalar < 1.15, `contrast-normalised ratio ${d.contrastNormalized.scalar}`);
    await assert.rejects(spectralGap({ real, synthetic: syn }, { size: 56, workers: 1 }), (e: unknown) => e instanceof InputError && /above a set's native size/.test((e as Error).message));
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
