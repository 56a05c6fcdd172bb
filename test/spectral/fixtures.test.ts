/** The official FDA / FACT outputs and numpy amplitudes in shared/fixtures/spectral, matched exactly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedDir } from '../../lib/util/paths.ts';
import { fdaSwap, factSpectrumMix, amplitudeMix } from '../../lib/spectral/augment.ts';
import { fft2, complexFromReal } from '../../lib/spectral/fft.ts';
import { amplitude } from '../../lib/spectral/spectrum.ts';

const dir = path.join(sharedDir(), 'fixtures', 'spectral');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { entries: Entry[] };
interface Entry { id: string; params: Record<string, number>; lam?: number; inputs: Record<string, string>; outputs: Record<string, string> }

function load(rel: string): { data: Float32Array | Uint8Array; shape: number[] } {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, rel + '.json'), 'utf8')) as { dtype: string; shape: number[] };
  const buf = fs.readFileSync(path.join(dir, rel));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const data = meta.dtype === 'uint8' ? new Uint8Array(ab) : new Float32Array(ab);
  return { data, shape: meta.shape };
}
function image(rel: string) {
  const { data, shape } = load(rel);
  return { data, height: shape[0], width: shape[1], channels: (shape[2] ?? 1) };
}
function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m;
}

test('FDA_source_to_target_np outputs matched (unclipped, ≤ 1e-4 on 0..255)', () => {
  const cases = manifest.entries.filter((e) => e.id.includes('_fda_'));
  assert.equal(cases.length, 6);
  for (const e of cases) {
    const src = image(e.inputs.src_img), trg = image(e.inputs.trg_img);
    const out = fdaSwap(src, trg, e.params.L, { clip: null });
    const err = maxAbs(out.data, load(e.outputs.src_in_trg).data);
    assert.ok(err <= 1e-4, `${e.id}: max abs error ${err}`);
  }
});

test('FACT colorful_spectrum_mix: pre-clip values ≤ 1e-4 and uint8 outputs identical', () => {
  const cases = manifest.entries.filter((e) => e.id.includes('_fact_'));
  assert.equal(cases.length, 4);
  for (const e of cases) {
    const a = image(e.inputs.img1), b = image(e.inputs.img2);
    const r = factSpectrumMix(a, b, e.lam!, e.params.ratio);
    const pre = maxAbs(r.img21, load(e.outputs.img21_preclip).data);
    assert.ok(pre <= 1e-4, `${e.id} preclip: ${pre}`);
    assert.equal(maxAbs(r.img21u8, load(e.outputs.img21).data), 0, `${e.id} img21 uint8`);
    assert.equal(maxAbs(r.img12u8, load(e.outputs.img12).data), 0, `${e.id} img12 uint8`);
    // the general augmentation gives the same image (float32, clipped) as FACT's img21
    const aug = amplitudeMix(a, b, e.lam!, { ratio: e.params.ratio });
    let m = 0; for (let i = 0; i < aug.data.length; i++) m = Math.max(m, Math.abs(aug.data[i] - Math.min(255, Math.max(0, r.img21[i]))));
    assert.ok(m <= 1e-4, `${e.id} amplitudeMix vs FACT: ${m}`);
  }
});

test('numpy fft2 amplitudes matched to 1e-9 relative', () => {
  const cases = manifest.entries.filter((e) => e.id.includes('_amp_'));
  assert.equal(cases.length, 4);
  for (const e of cases) {
    const g = image(e.inputs.gray);
    const amp = amplitude(fft2(complexFromReal(g.data, g.height, g.width)));
    const ref = load(e.outputs.amplitude).data as Float32Array;
    // the reference is stored as float32: compare relative to each value with float32 rounding allowed
    let worst = 0;
    for (let i = 0; i < amp.length; i++) worst = Math.max(worst, Math.abs(amp[i] - ref[i]) / Math.max(ref[i], 1e-3));
    assert.ok(worst < 1e-6, `${e.id}: ${worst}`);
    assert.ok(Math.abs(amp[0] - (e as unknown as { dc: number }).dc) / amp[0] < 1e-12, `${e.id} dc`);
  }
});

test('float64 amplitudes equal numpy float64 fft2 to 1e-9 relative (224, 256 and 7×13)', { skip: !fs.existsSync('/usr/bin/python3') && 'no /usr/bin/python3' }, async () => {
  const { spawnSync } = await import('node:child_process');
  const cases: { data: Float32Array; height: number; width: number }[] = [];
  for (const rel of ['inputs/g1_gray_224.f32.bin', 'inputs/g2_gray_256.f32.bin']) { const g = image(rel); cases.push({ data: g.data as Float32Array, height: g.height, width: g.width }); }
  cases.push({ data: Float32Array.from({ length: 91 }, (_, i) => (i * 37) % 256), height: 7, width: 13 });
  for (const c of cases) {
    const py = spawnSync('/usr/bin/python3', ['-c', `import sys, numpy as np; x = np.frombuffer(sys.stdin.buffer.read(), '<f4').reshape(${c.height}, ${c.width}).astype(np.float64); sys.stdout.buffer.write(np.abs(np.fft.fft2(x)).astype('<f8').tobytes())`], { input: Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength), maxBuffer: 1 << 26 });
    if (py.status !== 0) { console.log('numpy unavailable, skipped:', py.stderr.toString().slice(0, 200)); return; }
    const ref = new Float64Array(py.stdout.buffer.slice(py.stdout.byteOffset, py.stdout.byteOffset + py.stdout.byteLength));
    const amp = amplitude(fft2(complexFromReal(c.data, c.height, c.width)));
    let worst = 0, scale = 0;
    for (let i = 0; i < amp.length; i++) scale = Math.max(scale, ref[i]);
    for (let i = 0; i < amp.length; i++) worst = Math.max(worst, Math.abs(amp[i] - ref[i]) / scale);
    assert.ok(worst < 1e-9, `${c.height}x${c.width}: ${worst}`);
  }
});
