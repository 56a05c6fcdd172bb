/**
 * Skin subsurface scattering (texture.subsurface, lib/synth/blender/materials.py): the light scattered under the
 * skin is the skin's own colour over millimetres, so turning it on softens the shading and keeps the hand's
 * colour. Before this was set per Blender version, 3.x scattered white light over a metre (its defaults): the
 * hand came out pale and glassy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBlenderWorker } from '../helpers/blender.ts';
import { validateConfig } from '../../lib/synth/config.ts';
import { expandSample, type RenderSpec } from '../../lib/synth/spec.ts';
import { MASK_BYTES } from '../../lib/data/mask-labels.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { handMeshContext } from '../../lib/synth/driver.ts';
import { readImage } from '../../lib/image/io.ts';

const S = 96;
const bx = useBlenderWorker('scattering');

/** Mean R, G, B (0–255) and mean chroma (max − min channel) over the hand's pixels. */
async function handColour(name: string, spec: RenderSpec): Promise<{ rgb: number[]; chroma: number; count: number }> {
  const outputs = { rgb: path.join(bx.tmp, `${name}.png`), mask: path.join(bx.tmp, `${name}_mask.png`) };
  await bx.worker.render({ ...spec, outputs });
  const img = await readImage(outputs.rgb), mask = await readImage(outputs.mask, { gray: true });
  const sum = [0, 0, 0];
  let chroma = 0, count = 0;
  for (let p = 0; p < S * S; p++) {
    if (mask.data[p] !== MASK_BYTES.hand) continue;
    const px = [0, 1, 2].map((k) => img.data[p * 3 + k]);
    px.forEach((v, k) => (sum[k] += v));
    chroma += Math.max(...px) - Math.min(...px);
    count++;
  }
  return { rgb: sum.map((v) => v / count), chroma: chroma / count, count };
}

test('skin scattering keeps the hand its colour (no pale, glassy hand)', async () => {
  const cfg = validateConfig({ seed: 3, image: { width: S, height: S, format: 'png' }, render: { samples: 16 }, objects: { enabled: false }, forearm: { enabled: false } });
  const ctx = { shape: genericHandRestShape(), hdris: bx.hdris, handMesh: handMeshContext() };
  const spec = expandSample(cfg, 0, ctx).spec;
  const skin = (subsurface: number) => ({ ...spec, hand: { ...spec.hand, skin: { ...spec.hand.skin, subsurface } } }) as RenderSpec;
  const off = await handColour('off', skin(0)), on = await handColour('on', skin(0.5));
  process.stderr.write(`hand RGB without scattering ${off.rgb.map((v) => v.toFixed(1))}, chroma ${off.chroma.toFixed(1)}; with 0.5: ${on.rgb.map((v) => v.toFixed(1))}, chroma ${on.chroma.toFixed(1)} (${on.count} px)\n`);
  assert.ok(off.count > 200, `the hand is in view (${off.count} px)`);
  // the colour stays (white light over a metre whitened it by tens of levels and took most of its chroma)
  off.rgb.forEach((v, k) => assert.ok(Math.abs(on.rgb[k] - v) < 12, `channel ${k}: ${v.toFixed(1)} → ${on.rgb[k].toFixed(1)}`));
  assert.ok(on.chroma > 0.8 * off.chroma, `chroma ${off.chroma.toFixed(1)} → ${on.chroma.toFixed(1)}`);
});
