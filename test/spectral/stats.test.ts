import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpectrumStats, radialProfile, radialEdges, compareSpectra, summarize } from '../../lib/spectral/stats.ts';
import { rfft2 } from '../../lib/spectral/fft.ts';
import { amplitude, luminanceSpectrum, channelSpectra } from '../../lib/spectral/spectrum.ts';
import { runStatsJob, runStatsWorkers, runStatsParallel, StatsWorkerPool, shards } from '../../lib/spectral/dataset.ts';
import { Rng } from '../../lib/util/rng.ts';

function randomImage(rng: Rng, H: number, W: number, C: number, spread = 255) {
  const data = new Uint8Array(H * W * C);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rng.uniform(0, spread));
  return { data, height: H, width: W, channels: C };
}

test('Welford statistics equal the two-pass mean and variance; merging shards gives the same', () => {
  const rng = new Rng(7), H = 12, W = 9, imgs = Array.from({ length: 17 }, (_, i) => randomImage(rng, H, W, 3, 50 + 12 * i));
  const all = new SpectrumStats(H, W, 3);
  for (const im of imgs) all.add(im);
  const a = new SpectrumStats(H, W, 3), b = new SpectrumStats(H, W, 3);
  imgs.slice(0, 5).forEach((im) => a.add(im)); imgs.slice(5).forEach((im) => b.add(im));
  a.merge(b);
  for (const plane of ['r', 'g', 'b', 'y']) {
    const amps = imgs.map((im) => { const s = channelSpectra(im); return amplitude(plane === 'y' ? luminanceSpectrum(s) : s['rgb'.indexOf(plane)]); });
    for (const q of ['amp', 'logamp'] as const) {
      const vals = q === 'amp' ? amps : amps.map((x) => x.map(Math.log1p));
      const n = vals.length, mean = vals[0].map((_, i) => vals.reduce((s, v) => s + v[i], 0) / n);
      const variance = mean.map((m, i) => vals.reduce((s, v) => s + (v[i] - m) ** 2, 0) / n);
      for (const st of [all, a]) {
        const wm = st.meanHalf(plane, q), wv = st.varianceHalf(plane, q);
        for (let i = 0; i < mean.length; i++) {
          assert.ok(Math.abs(wm[i] - mean[i]) <= 1e-9 * Math.max(1, Math.abs(mean[i])), `${plane} ${q} mean ${i}`);
          assert.ok(Math.abs(wv[i] - variance[i]) <= 1e-7 * Math.max(1, variance[i]), `${plane} ${q} var ${i}: ${wv[i]} vs ${variance[i]}`);
        }
      }
    }
  }
  assert.equal(a.count, 17);
});

test('radial profile of a half-grid map equals the full-grid bin mean', () => {
  const H = 10, W = 7, rng = new Rng(3), img = randomImage(rng, H, W, 1);
  const amp = amplitude(rfft2(img.data, H, W));
  const prof = radialProfile(amp, H, W);
  const edges = radialEdges(H, W), width = edges[1];
  const sums = new Map<number, [number, number]>();
  const full = (h: number, w: number): number => { const Wh = (W >> 1) + 1; return w < Wh ? amp[h * Wh + w] : amp[((H - h) % H) * Wh + (W - w)]; };
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
    const fy = (h <= (H - 1) >> 1 ? h : h - H) / H, fx = (w <= (W - 1) >> 1 ? w : w - W) / W;
    const bin = Math.floor(Math.hypot(fy, fx) / width), s = sums.get(bin) ?? [0, 0];
    sums.set(bin, [s[0] + full(h, w), s[1] + 1]);
  }
  for (const [bin, [s, c]] of sums) assert.ok(Math.abs(prof.values[bin] - s / c) < 1e-9 * (s / c), `bin ${bin}`);
  assert.equal(prof.values[0], amp[0]); // DC alone in bin 0
});

test('comparison: a lower-variance set has variance ratio < 1 with a bootstrap interval around it', () => {
  const rng = new Rng(11), H = 16, W = 16;
  const A = new SpectrumStats(H, W, 3), B = new SpectrumStats(H, W, 3), sa: Float64Array[] = [], sb: Float64Array[] = [];
  for (let i = 0; i < 30; i++) { sa.push(A.add(randomImage(rng, H, W, 3, 60), true)!); sb.push(B.add(randomImage(rng, H, W, 3, 255), true)!); }
  const c = compareSpectra({ reference: { stats: B, samples: sb }, candidate: { stats: A, samples: sa } }, { replicates: 50, seed: 1 });
  assert.equal(c.ratio, 'candidate ÷ reference');
  assert.ok(c.scalar < 0.2 && c.scalar > 0.01, `scalar ${c.scalar}`);
  assert.ok(c.interval![0] <= c.scalar && c.scalar <= c.interval![1], `interval ${c.interval}`);
  assert.equal(c.varianceRatio.length, c.radialCenters.length);
  const s = summarize(A);
  assert.equal(s.radialEdges.length, s.radialCenters.length + 1);
});

test('worker threads (tsx-loaded) give the same statistics as one thread', async () => {
  const rng = new Rng(5), size = 32;
  const pixels = Array.from({ length: 6 }, () => randomImage(rng, size, size, 3).data);
  const keep = pixels.map((_, i) => i % 2 === 0);
  const one = await runStatsJob({ pixels, size, channels: 3, keep });
  const parts = shards(pixels.map((p, i) => ({ p, k: keep[i] })), 2);
  const many = await runStatsWorkers(parts.map((s) => ({ pixels: s.map((x) => x.p), size, channels: 3, keep: s.map((x) => x.k) })));
  const merged = SpectrumStats.fromState(many[0].state); merged.merge(many[1].state);
  const ref = SpectrumStats.fromState(one.state);
  assert.equal(merged.count, 6);
  const v1 = ref.varianceHalf('y'), v2 = merged.varianceHalf('y');
  for (let i = 0; i < v1.length; i++) assert.ok(Math.abs(v1[i] - v2[i]) <= 1e-9 * Math.max(1, v1[i]));
  assert.equal(many[0].samples.length + many[1].samples.length, 3);
});

test('a worker pool is reused across runs (two sizes) and gives the one-thread statistics', async () => {
  const rng = new Rng(9), pool = new StatsWorkerPool(1);
  try {
    await pool.ready();
    for (const size of [16, 24]) {
      const pixels = Array.from({ length: 10 }, () => randomImage(rng, size, size, 3).data), keep = pixels.map(() => false);
      const job = (s: number, e: number) => ({ pixels: pixels.slice(s, e), size, channels: 3 as const, keep: keep.slice(s, e) });
      const one = SpectrumStats.fromState((await runStatsJob(job(0, 10))).state);
      const par = await runStatsParallel(10, size, 3, job, { pool, chunk: 1 });
      assert.equal(par.stats.count, 10);
      const v1 = one.varianceHalf('y'), v2 = par.stats.varianceHalf('y');
      for (let i = 0; i < v1.length; i++) assert.ok(Math.abs(v1[i] - v2[i]) <= 1e-9 * Math.max(1, v1[i]), `size ${size}, frequency ${i}`);
    }
  } finally { await pool.close(); }
});

test('band scalars and the variance-ratio figure object', async () => {
  const { varianceRatioFigure } = await import('../../lib/spectral/figures.ts');
  const rng = new Rng(12), H = 16, W = 16;
  const A = new SpectrumStats(H, W, 3), B = new SpectrumStats(H, W, 3);
  for (let i = 0; i < 10; i++) { A.add(randomImage(rng, H, W, 3, 80)); B.add(randomImage(rng, H, W, 3, 255)); }
  const c = compareSpectra({ reference: { stats: B }, candidate: { stats: A } });
  for (const b of Object.values(c.bands)) if (Number.isFinite(b.scalar)) assert.ok(b.scalar < 0.5, `band ${b.range}: ${b.scalar}`);
  const fig = varianceRatioFigure({ seed: 0, size: 16, direction: 'synthetic ÷ real', synthetic: { root: 'a', images: 10, nativeSize: 16 }, real: { root: 'b', images: 10, nativeSize: 16 },
    resampling: { method: 'none', note: null }, before: c, contrastNormalized: c, after: null,
    profiles: { frequency: c.radialCenters, synthetic: [], real: [], augmented: null, meanSynthetic: [], meanReal: [], meanAugmented: null } });
  assert.equal(fig.data.length, 2);
  assert.equal((fig.data[0].x as number[]).length, c.radialCenters.length - 1); // DC omitted
});
