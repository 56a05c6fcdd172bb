/**
 * Render speed and quality. Renders N (32) samples at 224×224 with the default config through the
 * real driver (1 persistent worker) and prints seconds per image; renders the first R of the same
 * scenes at 512 samples (the reference, and the baseline for the speed ratio) and prints the PSNR of
 * the default renders against them; also sweeps the sample count on those R scenes.
 *
 *   node --import tsx bench/render.ts [--n 32] [--refs 4] [--ref-samples 512] [--sweep 4,8,16,32] [--keep <dir>]
 *
 * References are cached in .handgap/bench/render-refs/<config hash>/ (they take minutes on a CPU).
 * Target on a 2-core CPU: <= 1.0 s per image at >= 30 dB PSNR.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, optNumber, optString } from '../lib/cli/args.ts';
import { validateConfig } from '../lib/synth/config.ts';
import { runRender, prepareSample, hdriLibrary, configHash, imagePathOf, type SampleContext } from '../lib/synth/driver.ts';
import { BlenderWorker } from '../lib/synth/worker.ts';
import { loadTextureModel } from '../lib/synth/texture-io.ts';
import { readImage, type Image } from '../lib/image/io.ts';
import { cacheDir } from '../lib/util/paths.ts';

function psnr(a: Image, b: Image): number {
  let se = 0;
  for (let i = 0; i < a.data.length; i++) { const d = a.data[i] - b.data[i]; se += d * d; }
  const mse = se / a.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    n: { type: 'integer', min: 1, default: 32, description: 'samples per pipeline run' },
    refs: { type: 'integer', min: 1, default: 4, description: 'converged reference images' },
    'ref-samples': { type: 'integer', min: 1, default: 512, description: 'Cycles samples of a reference' },
    sweep: { type: 'string', default: '4,8,16,32', description: 'sample counts to compare' },
    keep: { type: 'string', description: 'keep the renders in this folder' },
  });
  const n = optNumber(args, 'n', 32)!, R = optNumber(args, 'refs', 4)!, refSamples = optNumber(args, 'ref-samples', 512)!;
  const sweep = (optString(args, 'sweep', '4,8,16,32')!).split(',').filter(Boolean).map(Number);
  const cfg = validateConfig({ n, image: { width: 224, height: 224, format: 'png' } });
  const keep = optString(args, 'keep');
  const out = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-bench-render-'));
  console.log(`bench/render: ${n} samples at 224x224, defaults (samples=${cfg.render.samples}, adaptive threshold ${cfg.render.adaptiveThreshold}, subdivision ${cfg.render.subdivision}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`);

  // 1. The default pipeline (driver, 1 worker): seconds per image excluding Blender start-up.
  const t0 = Date.now();
  const r = await runRender({ config: cfg, out, workers: 1 });
  const wall = (Date.now() - t0) / 1000;
  console.log(`defaults: ${r.rendered} images, ${r.secondsPerImage.toFixed(2)} s/image (render loop), ${(wall / Math.max(1, r.rendered)).toFixed(2)} s/image incl. start-up and label writing; Blender CPU ${r.cpuSecondsPerImage.toFixed(2)} s/image (≈ ${(r.cpuSecondsPerImage / os.availableParallelism()).toFixed(2)} s/image wall on an idle ${os.availableParallelism()}-core machine)`);

  // 2. References (cached) and the sample sweep on the first R scenes.
  const refDir = path.join(cacheDir(), 'bench', 'render-refs', `${configHash(cfg)}-${refSamples}`);
  fs.mkdirSync(refDir, { recursive: true });
  const worker = new BlenderWorker({ threads: os.availableParallelism() });
  const ready = await worker.start();
  const ctx: SampleContext = { cfg, out: path.join(out, 'bench-specs'), hdris: hdriLibrary(cfg, ready.datafiles), texture: await loadTextureModel(cfg.texture), blender: ready.blender };
  const refTimes: number[] = [];
  const refs: Image[] = [];
  for (let i = 0; i < Math.min(R, n); i++) {
    const file = path.join(refDir, `${String(i).padStart(8, '0')}.png`);
    const { spec } = await prepareSample(ctx, i);
    if (!fs.existsSync(file)) {
      const t = Date.now();
      await worker.render({ ...spec, render: { ...spec.render, samples: refSamples, adaptive: false }, outputs: { rgb: file } }, 3_600_000);
      refTimes.push((Date.now() - t) / 1000);
      fs.writeFileSync(file + '.seconds', String(refTimes[refTimes.length - 1]));
    } else refTimes.push(Number(fs.readFileSync(file + '.seconds', 'utf8')));
    refs.push(await readImage(file));
  }
  const defaultPsnr: number[] = [];
  for (let i = 0; i < refs.length; i++) defaultPsnr.push(psnr(await readImage(imagePathOf(out, cfg, i)), refs[i]));
  const refSec = mean(refTimes);
  console.log(`reference (baseline): ${refSamples} samples, ${refSec.toFixed(2)} s/image over ${refs.length} scenes${fs.existsSync(path.join(refDir, '00000000.png.seconds')) ? ' (cached timings are from the run that made them)' : ''}`);
  console.log(`defaults vs reference: PSNR ${mean(defaultPsnr).toFixed(2)} dB (min ${Math.min(...defaultPsnr).toFixed(2)}), speed ratio ${(refSec / r.secondsPerImage).toFixed(1)}x faster than the baseline`);

  console.log('sweep (same scenes, same worker): samples  s/image  CPU s/image  PSNR dB  ratio-to-baseline');
  for (const s of sweep) {
    const times: number[] = [], ps: number[] = [], cpu: number[] = [];
    for (let i = 0; i < refs.length; i++) {
      const { spec } = await prepareSample(ctx, i);
      const file = path.join(out, 'sweep', `${s}_${i}.png`);
      const t = Date.now(), c = worker.cpuSeconds() ?? 0;
      await worker.render({ ...spec, render: { ...spec.render, samples: s }, outputs: { rgb: file } });
      times.push((Date.now() - t) / 1000);
      cpu.push((worker.cpuSeconds() ?? 0) - c);
      ps.push(psnr(await readImage(file), refs[i]));
    }
    console.log(`  ${String(s).padStart(6)}  ${mean(times).toFixed(2).padStart(7)}  ${mean(cpu).toFixed(2).padStart(11)}  ${mean(ps).toFixed(2).padStart(7)}  ${(refSec / mean(times)).toFixed(1).padStart(6)}x`);
  }
  await worker.stop();
  const target = r.secondsPerImage <= 1.0 && mean(defaultPsnr) >= 30;
  console.log(`target (<= 1.0 s/image at >= 30 dB): ${target ? 'met' : 'not met'} on this machine now (wall time; with a busy machine compare CPU s/image / ${os.availableParallelism()} cores)`);
  if (!keep) fs.rmSync(out, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
