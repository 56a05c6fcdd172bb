import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genericHandMesh, genericHandRestShape } from '../../lib/hand/asset.ts';
import { skinFeatureMaps } from '../../lib/synth/skin-features.ts';
import { proceduralTextureModel, synthesizeTexture } from '../../lib/synth/texture-model.ts';

test('skin detail lands where anatomy puts it, and each texture factor moves only its own texels', () => {
  const mesh = genericHandMesh('right'), rest = genericHandRestShape('right');
  assert.ok(mesh.uvs && mesh.uvs.length === (mesh.positions.length / 3) * 2, 'the asset has one UV per vertex');
  const size = 96, F = skinFeatureMaps({ positions: mesh.positions, faces: mesh.faces, uvs: mesh.uvs! }, { positions: rest.rest, dorsal: rest.dorsal }, size);
  const count = (m: Float32Array, t = 0.5) => m.reduce((n, v) => n + (v > t ? 1 : 0), 0);
  const covered = count(F.covered);
  assert.ok(covered > 0.2 * size * size, `UV islands cover ${covered} texels`);
  // nails: a small part of the surface, always on the back of the fingers; palm lines and creases on the palm side
  const nails = count(F.nail);
  assert.ok(nails > 0.005 * covered && nails < 0.08 * covered, `nail texels ${nails} of ${covered}`);
  for (let p = 0; p < size * size; p++) {
    if (F.nail[p] > 0.5) assert.ok(F.palmar[p] < 0.5, `nail texel ${p} on the palmar side`);
    if (F.palmLines[p] > 0.5 || F.crease[p] > 0.5) assert.ok(F.palmar[p] > 0.3, `palm line or crease texel ${p} on the dorsal side`);
  }
  assert.ok(count(F.palmLines) > 0 && count(F.crease) > 0 && count(F.wrinkle, 0.3) > 0 && count(F.palmar) > 0.2 * covered);
  const model = proceduralTextureModel(size, 7, F);
  assert.equal(model.basis.length, 6);
  assert.ok(model.toneWeight && count(model.toneWeight) > 0);
  const zero = synthesizeTexture(model, []);
  const moved = (k: number) => { const a = new Array(6).fill(0); a[k] = 1; const m = synthesizeTexture(model, a); return Array.from({ length: size * size }, (_, p) => Math.abs(m[3 * p] - zero[3 * p]) + Math.abs(m[3 * p + 1] - zero[3 * p + 1]) > 1e-4); };
  // melanin moves every texel; nail tint only nails; crease depth only creases, wrinkles and palm lines
  assert.ok(moved(0).every(Boolean));
  moved(5).forEach((m, p) => { if (m) assert.ok(F.nail[p] > 0, `nail tint moved texel ${p} off the nails`); });
  moved(4).forEach((m, p) => { if (m) assert.ok(F.crease[p] + F.palmLines[p] + F.wrinkle[p] > 0, `crease depth moved texel ${p}`); });
  // palms are lighter than the back of the hand in the mean map
  const meanWhere = (w: (p: number) => boolean) => { let s = 0, n = 0; for (let p = 0; p < size * size; p++) if (F.covered[p] && w(p)) { s += zero[3 * p]; n++; } return s / n; };
  assert.ok(meanWhere((p) => F.palmar[p] > 0.9 && F.palmLines[p] < 0.1 && F.crease[p] < 0.1) > meanWhere((p) => F.palmar[p] < 0.1 && F.nail[p] < 0.1 && F.wrinkle[p] < 0.1));
});
