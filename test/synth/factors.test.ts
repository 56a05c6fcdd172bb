/**
 * Each factor is really switchable: one sample rendered with forearm on/off, objects on/off, two
 * texture coefficients α and two HDRIs; only the intended pixels (and mask labels) change.
 */
import { test } from 'node:test';
import { useBlenderWorker } from '../helpers/blender.ts';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { RenderResult } from '../../lib/synth/worker.ts';
import { validateConfig } from '../../lib/synth/config.ts';
import { expandSample, type RenderSpec } from '../../lib/synth/spec.ts';
import { MASK_BYTES } from '../../lib/data/mask-labels.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { handMeshContext } from '../../lib/synth/driver.ts';
import { synthesizeTexture } from '../../lib/synth/texture-model.ts';
import { writeTextureMap, loadTextureModel } from '../../lib/synth/texture-io.ts';
import { readImage, type Image } from '../../lib/image/io.ts';

const S = 96;
const bx = useBlenderWorker('factors');

interface Shot { r: RenderResult; img: Image; mask: Image }
async function shot(name: string, spec: RenderSpec): Promise<Shot> {
  const outputs = { rgb: path.join(bx.tmp, `${name}.png`), mask: path.join(bx.tmp, `${name}_mask.png`) };
  const r = await bx.worker.render({ ...spec, outputs });
  return { r, img: await readImage(outputs.rgb), mask: await readImage(outputs.mask, { gray: true }) };
}

/** Pixels farther than `d` from any pixel that is not background in either mask. */
function farBackground(a: Image, b: Image, d: number): boolean[] {
  const fg = Array.from({ length: S * S }, (_, i) => a.data[i] !== 0 || b.data[i] !== 0);
  return Array.from({ length: S * S }, (_, i) => {
    const x = i % S, y = Math.floor(i / S);
    for (let yy = Math.max(0, y - d); yy <= Math.min(S - 1, y + d); yy++) for (let xx = Math.max(0, x - d); xx <= Math.min(S - 1, x + d); xx++) if (fg[yy * S + xx]) return false;
    return true;
  });
}
function meanAbsDiff(a: Image, b: Image, where: (i: number) => boolean): { mean: number; max: number; count: number } {
  let s = 0, m = 0, c = 0;
  for (let p = 0; p < S * S; p++) {
    if (!where(p)) continue;
    c++;
    for (let k = 0; k < 3; k++) { const d = Math.abs(a.data[p * 3 + k] - b.data[p * 3 + k]); s += d; m = Math.max(m, d); }
  }
  return { mean: c ? s / (3 * c) : 0, max: m, count: c };
}
/** Indices where the masks differ. */
const maskDiff = (a: Image, b: Image) => Array.from({ length: S * S }, (_, i) => i).filter((i) => a.data[i] !== b.data[i]);

test('forearm, objects, texture α and HDRI each change only their own pixels', async () => {
  const cfg = validateConfig({ seed: 5, image: { width: S, height: S, format: 'png' }, render: { samples: 4 }, objects: { enabled: true, probability: 1, maxCount: 1 }, pose: { spread: 0.5 } });
  const ctx = { shape: genericHandRestShape(), hdris: bx.hdris, handMesh: handMeshContext() };
  // the default texture model (anatomical detail through the asset's UVs), small maps
  const model = await loadTextureModel(validateConfig({ texture: { size: 64 } }).texture);
  assert.equal(model.basis.length, 6);
  const tex = async (name: string, alpha: number[]) => { const f = path.join(bx.tmp, name); await writeTextureMap(f, synthesizeTexture(model, alpha), 64, 64); return f; };
  const texA = await tex('texA.png', [-1.5, 0, 0, 0, -1, -1]), texB = await tex('texB.png', [1.5, 1, 1, 1, 1.5, 1]);
  // A sample where the object covers part of the hand and the forearm is in view (rendered to know).
  let found: [RenderSpec, Shot] | null = null;
  for (let i = 0; i < 40 && !found; i++) {
    const s = expandSample(cfg, i, ctx).spec;
    if (s.objects.length !== 1 || !s.hdri) continue;
    const candidate = { ...s, hand: { ...s.hand, skin: { ...s.hand.skin, albedoMap: texA } } } as RenderSpec;
    const c = await shot('base', candidate);
    if (c.r.maskCounts.forearm > 0 && c.r.maskCounts.object > 0 && c.r.maskCounts.hand > 0) found = [candidate, c];
  }
  assert.ok(found, 'a sample with the hand, the forearm and an object in view');
  const [spec, a] = found;

  // Forearm off: the forearm label disappears; only former forearm pixels change label.
  const noArm = await shot('noarm', { ...spec, forearm: null });
  assert.equal(noArm.r.maskCounts.forearm, 0);
  const armChanged = maskDiff(a.mask, noArm.mask);
  assert.ok(armChanged.length > 0 && armChanged.every((i) => a.mask.data[i] === MASK_BYTES.forearm), 'only forearm pixels change label');
  const bgArm = farBackground(a.mask, noArm.mask, 3);
  assert.ok(meanAbsDiff(a.img, noArm.img, (i) => bgArm[i]).max <= 2, 'background away from the forearm is unchanged');

  // Objects off: the object label disappears; only former object pixels change label.
  const noObj = await shot('noobj', { ...spec, objects: [], computeOcclusion: false });
  assert.equal(noObj.r.maskCounts.object, 0);
  const objChanged = maskDiff(a.mask, noObj.mask);
  assert.ok(objChanged.length > 0 && objChanged.every((i) => a.mask.data[i] === MASK_BYTES.object), 'only object pixels change label');
  assert.ok(a.r.occlusion && a.r.occlusion.handPixelsUnoccluded === noObj.r.maskCounts.hand, 'occlusion ratio is measured against the object-free hand');

  // Another α: same labels, the hand changes, the background does not.
  const texOther = await shot('alpha', { ...spec, hand: { ...spec.hand, skin: { ...spec.hand.skin, albedoMap: texB } } });
  assert.equal(maskDiff(a.mask, texOther.mask).length, 0);
  const bgTex = farBackground(a.mask, texOther.mask, 3);
  assert.ok(meanAbsDiff(a.img, texOther.img, (i) => bgTex[i]).max <= 2, 'background unchanged by α');
  const handTex = meanAbsDiff(a.img, texOther.img, (i) => a.mask.data[i] === MASK_BYTES.hand);
  assert.ok(handTex.mean > 8, `hand pixels change with α (mean ${handTex.mean.toFixed(1)} levels)`);
  // texture factors switch only skin pixels: the background stays as it was (above); object pixels change only
  // through light bounced off the re-coloured skin, far less than the skin itself
  const skin = { ...a.mask, data: a.mask.data.map((v) => (v === MASK_BYTES.hand || v === MASK_BYTES.forearm ? 255 : 0)) };
  const notSkin = farBackground(skin, skin, 3);
  const objTex = meanAbsDiff(a.img, texOther.img, (i) => notSkin[i] && a.mask.data[i] === MASK_BYTES.object);
  process.stderr.write(`texture α: skin ${handTex.mean.toFixed(2)} levels, object pixels ${objTex.mean.toFixed(2)} (max ${objTex.max}) over ${objTex.count} px\n`);
  assert.ok(objTex.count > 0 && objTex.mean < 0.25 * handTex.mean, `object pixels change by ${objTex.mean.toFixed(2)} levels on average, the skin by ${handTex.mean.toFixed(2)}`);

  // Another HDRI: same labels, the background changes.
  const otherHdri = bx.hdris.find((h) => h !== spec.hdri!.path)!;
  const hd = await shot('hdri', { ...spec, hdri: { ...spec.hdri!, path: otherHdri } });
  assert.equal(maskDiff(a.mask, hd.mask).length, 0);
  const bgH = meanAbsDiff(a.img, hd.img, (i) => a.mask.data[i] === 0);
  assert.ok(bgH.mean > 8, `background changes with the HDRI (mean ${bgH.mean.toFixed(1)} levels)`);
});
