import path from 'node:path';
import os from 'node:os';
import type { Command } from '../command.ts';
import { spectralGap } from '../../spectral/gap.ts';
import { varianceRatioFigure, varianceProfilesFigure } from '../../spectral/figures.ts';
import type { SpectralAugment } from '../../spectral/augment.ts';
import { optNumber, optString, optFlag, requirePositional, requireOption, type OptionSpecs } from '../args.ts';
import { HandgapError } from '../../util/errors.ts';
import { Progress } from '../../util/progress.ts';
import { writeJsonAtomic, writeFileAtomic, assertOutputFile, assertOutputDir } from '../../util/fsx.ts';
import { setSpectrum, listSetImages, nativeImageSize, StatsWorkerPool, type SetSpectrum } from '../../spectral/dataset.ts';
import { commonSpectrumSize } from '../../spectral/spectrum.ts';
import { summarize, compareSpectra, type Quantity, type SpectrumComparison } from '../../spectral/stats.ts';
import { exportFigures } from '../../plot/export.ts';

const usage = `handgap spectrum <set> [--vs <candidate-set>] --out <file.json> [options]
handgap spectrum gap <real-set> <synthetic-set> --out <file.json> [--augment mix|swap|fda|perturb ...] [--figures <dir>]

Per-frequency amplitude statistics of an image set (mean and variance across images of |FFT| and log(1+|FFT|),
per channel R, G, B and luminance Y), radial and angular profiles, and with --vs a comparison of the two sets:
<set> is the reference (e.g. real), --vs the candidate (e.g. synthetic), and the variance ratio per radial bin
and its geometric mean (with a bootstrap interval over images) is candidate ÷ reference.
Direction everywhere: the reference (real) first, the synthetic set second; ratios synthetic ÷ real.

A set is a known set name (hgc-dev, freihand-eval-samples, freihand) or a folder: FreiHAND layout
(training/rgb, else evaluation/rgb) or a plain folder of .jpg/.png/.webp images.

gap: the variance-ratio curve synthetic ÷ real (luminance amplitude) like for like (common size as above; scalar over
the bins up to Nyquist; per-band ratios low/mid/high and the corner beyond Nyquist, each with a bootstrap interval;
raw and contrast-normalised) and, with --augment, the same after augmenting every synthetic image once (seeded per
image):
  --augment mix  --eta <η> [--ratio <r>]     λ ~ U(0, η), Â = (1-λ)A + λA_ref (FACT)
  --augment swap [--ratio <r>]               λ = 1
  --augment fda  --beta <β>                  low-frequency window swap (FDA)
  --augment perturb --sigma <σ> [--mode frequency|radial]`;

/** Options shared by both forms. */
const common: OptionSpecs = {
  out: { type: 'string', value: 'file.json', description: 'result JSON (required)' },
  size: { type: 'integer', min: 2, max: 4096, description: 'common image size, images are resized (bicubic) to n×n; above a native size is refused',
    defaultText: '224 for one set; with two sets the largest power of two below both native sizes, e.g. 224 and 256 → 128' },
  workers: { type: 'integer', min: 0, max: 256, description: 'worker threads (0 = main thread)', defaultText: 'cores, max 8' },
  limit: { type: 'integer', min: 1, description: 'use a seeded random subset of n images per set' },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed for the subset and bootstrap (recorded in the output)' },
  bootstrap: { type: 'integer', min: 0, max: 100000, default: 200, description: 'bootstrap replicates for the interval (0 = none)' },
};
const options: OptionSpecs = { ...common,
  vs: { type: 'string', value: 'candidate-set', description: 'compare with this candidate set: variance ratio candidate ÷ reference (<set> is the reference)' },
  contrast: { type: 'boolean', description: 'per-image contrast normalisation (luminance mean 0, std 64) before the transform' },
  gray: { type: 'boolean', description: 'luminance only (images decoded as gray)' },
  'bootstrap-images': { type: 'integer', min: 2, default: 256, description: 'images per set kept for the bootstrap' },
  maps: { type: 'boolean', description: 'also write <out>.maps.bin: float32 fftshift-ed mean/variance maps (layout in the JSON)' },
};
const gapOptions: OptionSpecs = { ...common,
  augment: { type: 'string', choices: ['mix', 'swap', 'fda', 'perturb'], description: 'augment every synthetic image once and report the ratio after' },
  eta: { type: 'number', above: 0, max: 1, default: 1, value: 'η', description: 'mix: upper end of λ ~ U(0, η)' },
  ratio: { type: 'number', above: 0, max: 1, value: 'r', description: 'mix/swap: fraction of the spectrum mixed' },
  beta: { type: 'number', min: 0, max: 0.5, default: 0.05, value: 'β', description: 'fda: window size' },
  sigma: { type: 'number', min: 0, max: 100, default: 0.5, value: 'σ', description: 'perturb: noise strength' },
  mode: { type: 'string', choices: ['frequency', 'radial'], default: 'frequency', description: 'perturb: per frequency or per radial bin' },
  pool: { type: 'string', choices: ['real', 'synthetic'], default: 'real', description: 'reference images for mix/swap/fda' },
  figures: { type: 'string', value: 'dir', description: 'write variance-ratio and variance-profile figures (PNG, SVG)' },
};

function parseAugment(args: Parameters<Command['run']>[0]): SpectralAugment | undefined {
  const kind = optString(args, 'augment');
  if (!kind) return undefined;
  if (kind === 'mix') return { kind, eta: optNumber(args, 'eta')!, ratio: optNumber(args, 'ratio') };
  if (kind === 'swap') return { kind, ratio: optNumber(args, 'ratio') };
  if (kind === 'fda') return { kind, beta: optNumber(args, 'beta')! };
  return { kind: 'perturb', sigma: optNumber(args, 'sigma')!, mode: optString(args, 'mode') as 'frequency' | 'radial' };
}

async function runGap(args: Parameters<Command['run']>[0]): Promise<void> {
  const real = requirePositional(args, 1, 'real set'), syn = requirePositional(args, 2, 'synthetic set');
  const out = requireOption(args, 'out', 'file.json');
  assertOutputFile(out, '--out');
  const figuresDir = optString(args, 'figures');
  if (figuresDir) assertOutputDir(figuresDir, '--figures');
  const pool = optString(args, 'pool') as 'real' | 'synthetic';
  const augment = parseAugment(args);
  const bars = new Map<string, Progress>();
  const g = await spectralGap({ real, synthetic: syn }, {
    size: optNumber(args, 'size'), limit: optNumber(args, 'limit'), seed: optNumber(args, 'seed')!, replicates: optNumber(args, 'bootstrap')!,
    workers: optNumber(args, 'workers'), augment, pool,
    onProgress: (stage, done, total) => { let p = bars.get(stage); if (!p) { p = new Progress({ label: stage, total, unit: 'img' }); bars.set(stage, p); } p.tick(1); },
  });
  for (const p of bars.values()) p.finish();
  console.log(`images: real ${g.real.images} (${g.real.root}), synthetic ${g.synthetic.images} (${g.synthetic.root})`);
  const fmt = (c: { scalar: number; interval: [number, number] | null }) => `${c.scalar.toFixed(4)}${c.interval ? ` [95% ${c.interval[0].toFixed(4)}, ${c.interval[1].toFixed(4)}]` : ''}`;
  const bandsLine = (c: SpectrumComparison) => Object.entries(c.bands).map(([k, b]) => `${k} ${fmt(b)}`).join('; ');
  const verdict = (c: SpectrumComparison) => (c.interval ? (c.interval[1] < 1 ? 'synthetic variance is BELOW real (as the study found)' : c.interval[0] > 1 ? 'synthetic variance is ABOVE real (the opposite of the study)' : 'no significant difference from real') : (c.scalar < 1 ? 'synthetic below real (no interval)' : 'synthetic above real (no interval)'));
  console.log(`like for like: synthetic ${g.synthetic.nativeSize}px and real ${g.real.nativeSize}px images both resampled to ${g.size}×${g.size}${g.resampling.note ? ` (${g.resampling.note})` : ''}`);
  for (const [name, c] of [['raw', g.before], ['contrast-normalised', g.contrastNormalized]] as const) {
    console.log(`variance ratio synthetic ÷ real, ${name} (luminance amplitude, geometric mean over radial bins up to Nyquist): ${fmt(c)} — ${verdict(c)}`);
    console.log(`  by band (cycles/pixel: low <0.125, mid <0.25, high <0.5, corner beyond Nyquist): ${bandsLine(c)}`);
  }
  if (g.after) {
    console.log(`after ${g.after.augment.kind} (pool ${g.after.pool}): ${fmt(g.after)}`);
    console.log(`  by band: ${bandsLine(g.after)}`);
  }
  writeJsonAtomic(out, { tool: 'handgap spectrum gap', version: 1, ...g }, 1);
  console.log(`wrote ${out}`);
  const figDir = optString(args, 'figures');
  if (figDir) {
    const written = await exportFigures([
      { fig: varianceRatioFigure(g) as never, base: path.join(figDir, 'spectral-variance-ratio'), formats: ['png', 'svg'] },
      { fig: varianceProfilesFigure(g) as never, base: path.join(figDir, 'spectral-variance-profiles'), formats: ['png', 'svg'] },
    ]);
    console.log(`figures: ${written.join(', ')}`);
  }
}

const command: Command = {
  name: 'spectrum',
  summary: 'amplitude-spectrum statistics of an image set, and the variance ratio against another set',
  usage,
  options,
  subcommands: { gap: { options: gapOptions } },
  async run(args) {
    if (args.positionals[0] === 'gap') return runGap(args);
    // alone: statistics of <set>; with --vs: <set> is the reference, --vs the candidate (ratio candidate ÷ reference)
    const setA = requirePositional(args, 0, 'set (data set name or folder; the reference with --vs)');
    const out = requireOption(args, 'out', 'file.json');
    assertOutputFile(out, '--out');
    const setB = optString(args, 'vs');
    const seed = optNumber(args, 'seed')!;
    let size = optNumber(args, 'size', 224)!;
    if (setB) {
      const native = [await nativeImageSize(listSetImages(setA).files), await nativeImageSize(listSetImages(setB).files)];
      try { size = commonSpectrumSize(native[0], native[1], optNumber(args, 'size')).size; } catch (e) { throw new HandgapError(`--size: ${(e as Error).message}`); }
      console.log(`like for like: ${native[0]}px and ${native[1]}px images both resampled to ${size}×${size}`);
    }
    const workers = optNumber(args, 'workers'), limit = optNumber(args, 'limit');
    const B = optNumber(args, 'bootstrap')!, keep = optNumber(args, 'bootstrap-images')!;
    // with --vs, both sets share one set of worker threads (start-up paid once)
    const threads = Math.max(1, workers ?? Math.min(8, os.availableParallelism()));
    const pool = setB && threads > 1 ? new StatsWorkerPool(threads - 1) : undefined;
    const run = async (set: string): Promise<SetSpectrum> => {
      let p: Progress | null = null;
      const r = await setSpectrum(set, { size, gray: optFlag(args, 'gray'), contrast: optFlag(args, 'contrast'), workers, limit, seed, bootstrapImages: keep, pool,
        onStart: (total) => { p = new Progress({ label: `spectrum ${set}`, total, unit: 'img' }); },
        onProgress: () => { p?.tick(1); } });
      (p as Progress | null)?.finish();
      return r;
    };
    let a: SetSpectrum, b: SetSpectrum | null;
    try {
      a = await run(setA);
      b = setB ? await run(setB) : null;
    } finally { await pool?.close(); }
    console.log(`images: ${[a, b].filter((s): s is SetSpectrum => s !== null).map((s) => `${s.files.length} in ${s.root}`).join(', ')}`);
    const describe = (s: SetSpectrum) => ({ root: s.root, images: s.files.length, summary: summarize(s.stats) });
    const result: Record<string, unknown> = {
      tool: 'handgap spectrum', version: 1, seed, size, options: { gray: optFlag(args, 'gray'), contrast: optFlag(args, 'contrast'), limit: limit ?? null, bootstrap: B, bootstrapImages: keep },
      notes: 'amp = |FFT| of 0..255 pixels, logamp = log(1+|FFT|); variance across images, ddof 0; radial bins in cycles/pixel; bin 0 holds only DC',
    };
    if (!b) result.set = describe(a);
    else {
      result.reference = describe(a);
      result.candidate = describe(b);
      const comparisons: Record<string, unknown> = {};
      for (const plane of a.stats.planes) for (const q of ['amp', 'logamp'] as Quantity[]) {
        const boot = plane === 'y' && q === 'amp';
        comparisons[`${plane}.${q}`] = compareSpectra({ reference: { stats: a.stats, samples: boot ? a.samples : undefined }, candidate: { stats: b.stats, samples: boot ? b.samples : undefined } }, { plane, quantity: q, replicates: B, seed });
      }
      result.comparison = comparisons;
      const y = comparisons['y.amp'] as { scalar: number; interval: [number, number] | null };
      console.log(`variance ratio candidate ÷ reference (${setB} ÷ ${setA}; luminance amplitude, geometric mean over radial bins): ${y.scalar.toFixed(4)}${y.interval ? ` [95% bootstrap ${y.interval[0].toFixed(4)}, ${y.interval[1].toFixed(4)}]` : ''}`);
    }
    if (optFlag(args, 'maps')) {
      const layout: { set: string; plane: string; quantity: string; stat: string; offset: number }[] = [];
      const chunks: Float32Array[] = []; let offset = 0;
      for (const [name, s] of (b ? [['reference', a], ['candidate', b]] : [['set', a]]) as [string, SetSpectrum][]) {
        for (const plane of s.stats.planes) for (const q of ['amp', 'logamp'] as Quantity[]) for (const stat of ['mean', 'variance'] as const) {
          chunks.push(Float32Array.from(s.stats.map(stat, plane, q))); layout.push({ set: name, plane, quantity: q, stat, offset }); offset += size * size;
        }
      }
      const all = new Float32Array(offset); let o = 0; for (const c of chunks) { all.set(c, o); o += c.length; }
      writeFileAtomic(out + '.maps.bin', new Uint8Array(all.buffer));
      result.maps = { file: out + '.maps.bin', dtype: 'float32', endianness: 'little', shape: [size, size], order: 'fftshift-ed, DC at (floor(H/2), floor(W/2))', entries: layout };
    }
    writeJsonAtomic(out, result, 1);
    console.log(`wrote ${out}`);
  },
};
export default command;
