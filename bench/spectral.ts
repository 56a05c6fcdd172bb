/**
 * bench/spectral: dataset amplitude statistics and amplitude-mix speed, against numpy in the same run.
 *   node --import tsx bench/spectral.ts [--images 120] [--set hgc-dev]
 * Same 224×224 RGB images for both sides (decoded once here, handed to numpy as raw bytes; decoding not timed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs, optNumber, optString } from '../lib/cli/args.ts';
import { listSetImages, runStatsJob, runStatsParallel } from '../lib/spectral/dataset.ts';
import { SpectrumStats } from '../lib/spectral/stats.ts';
import { amplitudeMix, amplitudeRef } from '../lib/spectral/augment.ts';
import { readImage } from '../lib/image/io.ts';
import { projectRoot } from '../lib/util/paths.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const n = optNumber(args, 'images', 120)!, set = optString(args, 'set', 'hgc-dev')!, S = 224;
  const files = listSetImages(set).files.slice(0, n);
  const pixels = await Promise.all(files.map(async (f) => (await readImage(f, { width: S, height: S })).data));
  console.log(`bench/spectral: ${pixels.length} images of ${set} at ${S}×${S} RGB; ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`);

  // numpy baseline on the same pixels
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-bench-'));
  const bin = path.join(tmp, 'images.u8');
  fs.writeFileSync(bin, Buffer.concat(pixels.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  const py = spawnSync('/usr/bin/python3', [path.join(projectRoot, 'bench/spectral_baseline.py'), bin, String(pixels.length), String(S)], { encoding: 'utf8' });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (py.status !== 0) throw new Error(`numpy baseline failed: ${py.stderr}`);
  const np = JSON.parse(py.stdout.trim().split('\n').pop()!) as { numpy: string; stats_images_per_s: number; stats_images_per_cpu_s: number; mix_ms: number; mix_cpu_ms: number; check_var_y_mean: number; check_mean_y_dc: number };

  const keep = pixels.map(() => false);
  // one thread
  await runStatsJob({ pixels: pixels.slice(0, 3), size: S, channels: 3, keep: keep.slice(0, 3) }); // warm-up (JIT)
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  let t = performance.now(), c = cpuMs();
  const one = await runStatsJob({ pixels, size: S, channels: 3, keep });
  const oneRate = pixels.length / ((performance.now() - t) / 1000), oneCpuRate = pixels.length / ((cpuMs() - c) / 1000);
  // both cores: this thread plus one worker thread pulling chunks from one queue; includes worker start-up and merge
  t = performance.now(); c = cpuMs();
  const par = await runStatsParallel(pixels.length, S, 3, (s, e) => ({ pixels: pixels.slice(s, e), size: S, channels: 3, keep: keep.slice(s, e) }), { extraWorkers: 1 });
  const twoWall = performance.now() - t, twoRate = pixels.length / (twoWall / 1000), coresUsed = (cpuMs() - c) / twoWall;
  const merged = par.stats;

  // agreement with numpy (population variance of luminance amplitude, mean over frequencies; DC mean)
  const vy = SpectrumStats.fromState(one.state).varianceHalf('y');
  const { expandHalfReal } = await import('../lib/spectral/fft.ts');
  const full = expandHalfReal(vy, S, S); const meanVar = full.reduce((s, x) => s + x, 0) / full.length;
  const dc = merged.meanHalf('y')[0];

  // amplitude mix of one image: reference amplitude precomputed (pool) and from a raw reference image
  const img = (i: number) => ({ data: pixels[i % pixels.length], width: S, height: S, channels: 3 });
  const ref = amplitudeRef(img(1), true);
  for (let i = 0; i < 5; i++) amplitudeMix(img(i), ref, 0.5);
  const reps = 30;
  t = performance.now(); c = cpuMs(); for (let i = 0; i < reps; i++) amplitudeMix(img(i), ref, 0.5); const mixPool = (performance.now() - t) / reps, mixPoolCpu = (cpuMs() - c) / reps;
  t = performance.now(); for (let i = 0; i < reps; i++) amplitudeMix(img(i), img(i + 1), 0.5); const mixRaw = (performance.now() - t) / reps;

  const r = (x: number) => x.toFixed(2);
  console.log(`numpy ${np.numpy} (baseline, 1 core):  stats ${r(np.stats_images_per_s)} img/s wall, ${r(np.stats_images_per_cpu_s)} img/CPU-s; amplitude mix ${r(np.mix_ms)} ms wall, ${r(np.mix_cpu_ms)} ms CPU`);
  console.log(`handgap 1 thread:   stats ${r(oneRate)} img/s wall -> ${r(oneRate / np.stats_images_per_s)}× numpy; ${r(oneCpuRate)} img/CPU-s -> ${r(oneCpuRate / np.stats_images_per_cpu_s)}× numpy (target ≥ 1.0×)`);
  console.log(`handgap 2 threads:  stats ${r(twoRate)} img/s wall (main + 1 worker, incl. worker start-up) -> ${r(twoRate / np.stats_images_per_s)}× numpy wall (target ≥ 1.5×); cores actually obtained (process CPU / wall): ${r(coresUsed)} of 2`);
  console.log(`amplitude mix 224×224 RGB: ${r(mixPool)} ms wall, ${r(mixPoolCpu)} ms CPU with a pooled reference amplitude (${r(mixRaw)} ms wall from a raw reference image); target ≤ 2 ms; vs numpy ${r(np.mix_cpu_ms / mixPoolCpu)}× (CPU)`);
  console.log(`agreement: mean luminance-amplitude variance ${meanVar.toExponential(6)} vs numpy ${np.check_var_y_mean.toExponential(6)}; DC mean ${dc.toFixed(3)} vs ${np.check_mean_y_dc.toFixed(3)}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
