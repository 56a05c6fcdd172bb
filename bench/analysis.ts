/**
 * Analysis benchmarks, each against a baseline measured in the same run (timings on a shared machine
 * are noisy; the ratios are what to compare):
 *   1. saturation fit (variable projection: 121-point grid + golden section) vs a dense 5000-point grid
 *      over the same c range — time ratio and the RSS it reaches
 *   2. composeImage (soft masks, 224×224) vs a plain Float32Array copy of the same image (memory-bound floor)
 *   3. gap pose distance (Procrustes nearest neighbours) — pairs per second, vs one Procrustes call loop
 * Run: node --import tsx bench/analysis.ts
 */
import { fitModel, evalModel } from '../lib/analysis/saturation.ts';
import { composeImage } from '../lib/image/compose.ts';
import { poseDistance } from '../lib/analysis/gap.ts';
import { alignWithScale } from '../lib/metrics/procrustes.ts';
import { Rng } from '../lib/util/rng.ts';
import { PARENTS21 } from '../lib/hand/skeleton.ts';

function time(fn: () => void, minMs = 500): number {
  let n = 0; const t0 = performance.now();
  while (performance.now() - t0 < minMs) { fn(); n++; }
  return (performance.now() - t0) / n;
}

// 1. saturation fit
const rng = new Rng(1);
const xs = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
const ys = xs.map((x) => evalModel({ model: 'exp', a: 1, b: 0.9, c: 0.12 }, x) + rng.normal(0, 0.004));
function denseGrid(): number {
  let best = Infinity;
  for (let i = 0; i <= 5000; i++) {
    const c = Math.pow(10, -2.5 + 3.5 * i / 5000);
    let sg = 0, sgg = 0, sy = 0, sgy = 0; const n = xs.length;
    for (let k = 0; k < n; k++) { const g = Math.exp(-xs[k] / c); sg += g; sgg += g * g; sy += ys[k]; sgy += g * ys[k]; }
    const b = (n * sgy - sg * sy) / (n * sgg - sg * sg), a = (sy - b * sg) / n;
    let rss = 0; for (let k = 0; k < n; k++) { const r = ys[k] - a - b * Math.exp(-xs[k] / c); rss += r * r; }
    if (rss < best) best = rss;
  }
  return best;
}
let rssFit = 0, rssGrid = 0;
const tFit = time(() => { rssFit = fitModel('exp', xs, ys).rss; });
const tGrid = time(() => { rssGrid = denseGrid(); });
console.log(`saturation fit: ${(tFit * 1000).toFixed(0)} µs/fit vs dense grid ${(tGrid * 1000).toFixed(0)} µs → ${(tGrid / tFit).toFixed(1)}× faster; RSS ${rssFit.toExponential(4)} vs grid ${rssGrid.toExponential(4)} (ratio ${(rssFit / rssGrid).toFixed(6)})`);

// 2. composition
const W = 224, H = 224;
const img = (v: number) => ({ data: new Float32Array(W * H * 3).fill(v), width: W, height: H, channels: 3 as const });
const mask = (f: (i: number) => number) => ({ data: Float32Array.from({ length: W * H }, (_, i) => f(i)), width: W, height: H });
const syn = img(10), real = img(200), arm = mask((i) => (i % W < 60 ? 1 : 0)), obj = mask((i) => ((i % W) > 150 ? 0.7 : 0));
const tComp = time(() => { composeImage(syn, real, { arm, obj }); });
const tCopy = time(() => { Float32Array.from(syn.data); });
console.log(`composeImage 224×224: ${tComp.toFixed(2)} ms vs plain copy ${tCopy.toFixed(2)} ms → ${(tComp / tCopy).toFixed(1)}× the copy (includes mask range checks)`);

// 3. pose distance
function randomPose(r: Rng): number[][] {
  const p: number[][] = [[0, 0, 0.5]];
  for (let j = 1; j < 21; j++) { const par = p[PARENTS21[j]]; p.push([par[0] + r.normal(0, 0.02), par[1] + r.normal(0, 0.02), par[2] + r.normal(0, 0.02)]); }
  return p;
}
const A = Array.from({ length: 60 }, () => randomPose(rng)), B = Array.from({ length: 60 }, () => randomPose(rng));
const tDist = time(() => { poseDistance(A, B); }, 1000);
const pairs = 2 * 60 * 60 + 2 * 60 * 59; // B→A, A→B, and the two spreads
const fa = Float64Array.from(A[0].flat()), fb = Float64Array.from(B[0].flat());
const tOne = time(() => { for (let i = 0; i < 1000; i++) alignWithScale(fa, fb, 'allow'); }) / 1000;
console.log(`pose distance 60×60: ${tDist.toFixed(0)} ms = ${(pairs / tDist * 1000).toFixed(0)} pairs/s; bare Procrustes ${(1 / tOne * 1000).toFixed(0)} calls/s → overhead ×${(tDist / pairs / tOne).toFixed(2)}`);
