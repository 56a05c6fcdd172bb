/**
 * Fitted real sets (pose source "fitted"): the renderer shows a real frame's pose from its view with its K.
 * Blender renders at 64 px with 2 samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateConfig } from '../../lib/synth/config.ts';
import { runRender } from '../../lib/synth/driver.ts';
import { fittedK, project } from '../../lib/synth/spec.ts';
import { fitRealSet, fittedSetFile } from '../../lib/synth/fitted-set.ts';
import { InputError } from '../../lib/util/errors.ts';
import { writePoseFile } from '../../lib/data/pose-sets.ts';
import { readFreihand } from '../../lib/data/freihand.ts';
import { readImage } from '../../lib/image/io.ts';
import { MASK_BYTES } from '../../lib/data/mask-labels.ts';

test('fittedK: scales K to the render size (pixel centres) and mirrors cx for left hands', () => {
  const K = [[480, 0, 135], [0, 480, 103], [0, 0, 1]];
  const k = fittedK(K, [256, 256], 128, 128, false);
  assert.deepEqual(k, [[240, 0, 67.25], [0, 240, 51.25], [0, 0, 1]]);
  const m = fittedK(K, [256, 256], 128, 128, true);
  assert.equal(m[0][2], 127 - 67.25);
  assert.throws(() => fittedK(K, [256, 256], 128, 96, false), /aspect/);
});

test('pose.file of a fitted source: a JSON that is not a pose file, or a folder without labels, is one InputError naming it', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-fitted-bad-'));
  try {
    const f = path.join(tmp, 'other.json');
    fs.writeFileSync(f, JSON.stringify({ hello: 1 }));
    await assert.rejects(fittedSetFile(f), (e: unknown) => e instanceof InputError && /other\.json/.test(e.message) && /pose file/.test(e.message));
    await assert.rejects(fittedSetFile(tmp), (e: unknown) => e instanceof InputError && e.message.includes(tmp));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a fitted real set renders the real frames: labels within millimetres of the real ones, the real K, left hands flipped back onto the mask and the (denoised) image', { timeout: 600_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-fitted-'));
  try {
    const fit = await fitRealSet('hgc-dev', { limit: 2, seed: 3, quiet: true });
    assert.ok(fit.residualMedianMm < 2, `fit residual ${fit.residualMedianMm} mm`);
    const file = path.join(tmp, 'fitted.json');
    writePoseFile(file, fit.set);
    const cfg = validateConfig({ image: { width: 64, height: 64, format: 'png' }, pose: { source: 'fitted', file, repeat: 2 }, render: { samples: 2, denoise: true }, hdri: { enabled: false } });
    const out = path.join(tmp, 'set');
    const s = await runRender({ config: cfg, out, n: 4, quiet: true, workers: 1 });
    assert.equal(s.rendered, 4);
    const set = readFreihand(out);
    set.samples.forEach((smp, i) => {
      const k = Math.floor(i / 2);
      assert.equal(smp.meta?.pose && (smp.meta.pose as { sourceIndex: number }).sourceIndex, fit.indices[k]);
      const real = Array.from({ length: 21 }, (_, j) => Array.from(fit.set.joints.subarray(k * 63 + j * 3, k * 63 + j * 3 + 3)));
      const err = real.reduce((a, p, j) => a + Math.hypot(p[0] - smp.xyz![j][0], p[1] - smp.xyz![j][1], p[2] - smp.xyz![j][2]), 0) / 21;
      assert.ok(err < 0.0025, `sample ${i}: labels ${(err * 1000).toFixed(2)} mm from the real frame's`);
      const want = fittedK(fit.set.K![k], fit.imageSize, 64, 64, false);
      assert.ok(Math.abs(smp.K[0][2] - want[0][2]) < 1e-3 && Math.abs(smp.K[1][2] - want[1][2]) < 1e-3 && Math.abs(smp.K[0][0] - want[0][0]) < 1e-3, `sample ${i}: K ${JSON.stringify(smp.K)} vs ${JSON.stringify(want)}`);
    });
    // hgc-dev frames are left hands, rendered mirrored and flipped back: the labels must land on the hand pixels
    for (const smp of set.samples) {
      const mask = await readImage(smp.maskPath!, { gray: true });
      let on = 0;
      for (const [u, v] of project(smp.K, smp.xyz!)) {
        let hit = false;
        for (let y = Math.round(v) - 1; y <= Math.round(v) + 1; y++) for (let x = Math.round(u) - 1; x <= Math.round(u) + 1; x++) {
          if (x >= 0 && y >= 0 && x < 64 && y < 64 && mask.data[y * 64 + x] === MASK_BYTES.hand) hit = true;
        }
        if (hit) on++;
      }
      assert.ok(on >= 19, `sample ${smp.index}: only ${on} of 21 labels on hand pixels`);
      // the image is flipped back too (the denoiser writes it after Blender returns): the mask's hand and background
      // pixels separate better in the picture as it is than mirrored (per feature, difference of the class means over
      // their pooled spread, combined over luminance and redness R − B: a dark hand can match the grey world colour
      // in luminance, never in redness)
      const rgb = await readImage(smp.imagePath);
      const c = rgb.channels;
      const separation = (flip: boolean) => Math.hypot(...[[0.299, 0.587, 0.114], [1, 0, -1]].map((w) => {
        const cls: [number[], number[]] = [[], []];
        for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) {
          const m = mask.data[y * 64 + x], p = (y * 64 + (flip ? 63 - x : x)) * c;
          if (m !== MASK_BYTES.hand && m !== MASK_BYTES.background) continue;
          cls[m === MASK_BYTES.hand ? 0 : 1].push(w[0] * rgb.data[p] + w[1] * rgb.data[p + 1] + w[2] * rgb.data[p + 2]);
        }
        const [mh, vh, mb, vb] = cls.flatMap((a) => { const mu = a.reduce((t, v) => t + v, 0) / a.length; return [mu, a.reduce((t, v) => t + (v - mu) ** 2, 0) / a.length]; });
        return Math.abs(mh - mb) / Math.sqrt((vh + vb) / 2);
      }));
      const asIs = separation(false), mirrored = separation(true);
      assert.ok(asIs > 1.3 * mirrored, `sample ${smp.index}: hand/background separation ${asIs.toFixed(2)} as it is, ${mirrored.toFixed(2)} with the picture mirrored`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
