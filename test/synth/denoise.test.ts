import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denoiseGuided, linearToSrgb8, type AuxPasses } from '../../lib/synth/denoise.ts';
import { Rng } from '../../lib/util/rng.ts';

/**
 * A 64×64 scene: background (index 0) left, a "hand" (index 1) right with a striped albedo (texture detail) under
 * smooth shading; Monte-Carlo-like noise on the hand's irradiance.
 */
function scene(noise: number, seed: number): { passes: AuxPasses; clean: Float32Array } {
  const W = 64, H = 64, N = W * H, rng = new Rng(seed);
  const color = new Float32Array(3 * N), clean = new Float32Array(3 * N), albedo = new Float32Array(3 * N), normal = new Float32Array(3 * N), index = new Float32Array(N);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = y * W + x, hand = x >= 20;
    index[i] = hand ? 1 : 0;
    const a = hand ? (Math.floor(x / 4) % 2 ? 0.7 : 0.35) : 0.5;
    const shade = hand ? 0.4 + 0.4 * (y / H) : 0.3 + 0.2 * Math.sin(x / 3);
    normal[3 * i + 2] = 1;
    for (let c = 0; c < 3; c++) {
      albedo[3 * i + c] = a;
      clean[3 * i + c] = hand ? a * shade : shade;
      color[3 * i + c] = hand ? a * shade * Math.max(0, 1 + noise * rng.normal()) : shade;
    }
  }
  return { passes: { width: W, height: H, color, albedo, normal, index }, clean };
}

const mse = (a: Float32Array, b: Float32Array, idx: Float32Array, id: number) => {
  let s = 0, n = 0;
  for (let i = 0; i < idx.length; i++) if (idx[i] === id) for (let c = 0; c < 3; c++) { s += (a[3 * i + c] - b[3 * i + c]) ** 2; n++; }
  return s / n;
};

test('guided denoiser: removes most of the noise on the object, keeps albedo stripes and leaves the background as is', () => {
  const { passes, clean } = scene(0.5, 3);
  const out = denoiseGuided(passes);
  const before = mse(passes.color, clean, passes.index, 1), after = mse(out, clean, passes.index, 1);
  assert.ok(after < before / 8, `object MSE ${before} -> ${after}`);
  // background pixels are returned untouched
  for (let i = 0; i < passes.index.length; i++) if (passes.index[i] === 0) assert.equal(out[3 * i], passes.color[3 * i]);
  // the texture stripes (albedo 0.35 vs 0.7) survive: mean of dark and light columns stay apart as in the clean image
  const col = (x: number, img: Float32Array) => { let s = 0; for (let y = 0; y < 64; y++) s += img[3 * (y * 64 + x)]; return s / 64; };
  assert.ok(Math.abs(col(24, out) / col(28, out) - col(24, clean) / col(28, clean)) < 0.1, `stripe contrast ${col(24, out) / col(28, out)} vs ${col(24, clean) / col(28, clean)}`);
  // a noise-free input comes back almost unchanged (only the image border biases the smooth shading)
  const exact = scene(0, 3);
  assert.ok(mse(denoiseGuided(exact.passes), exact.clean, exact.passes.index, 1) < 1e-4);
});

test('view transform: Blender Standard sRGB (clip, curve, round)', () => {
  assert.deepEqual([...linearToSrgb8(Float32Array.from([0, 0.0031308, 0.2158, 1, 2, -1]))], [0, 10, 128, 255, 255, 0]);
  assert.throws(() => denoiseGuided({ width: 2, height: 2, color: new Float32Array(3), albedo: new Float32Array(12), normal: new Float32Array(12), index: new Float32Array(4) }), /sizes do not match/);
});
