import type { Command } from '../command.ts';
import { optNumber, optString, optFlag, requirePositional } from '../args.ts';
import { HandgapError } from '../../util/errors.ts';
import { Progress } from '../../util/progress.ts';
import { writeJsonAtomic, writeFileAtomic } from '../../util/fsx.ts';
import { setSpectrum, type SetSpectrum } from '../../spectral/dataset.ts';
import { summarize, compareSpectra, type Quantity } from '../../spectral/stats.ts';

const usage = `handgap spectrum <setA> [--vs <setB>] --out <file.json> [options]

Per-frequency amplitude statistics of an image set (mean and variance across images of |FFT| and log(1+|FFT|),
per channel R, G, B and luminance Y), radial and angular profiles, and with --vs a comparison of the two sets
(variance ratio A/B per radial bin and its geometric mean with a bootstrap interval over images).

A set is a known set name (hgc-dev, freihand-eval-samples, freihand) or a folder: FreiHAND layout
(training/rgb, else evaluation/rgb) or a plain folder of .jpg/.png/.webp images.

Options:
  --out <file>             result JSON (required)
  --size <n>               common image size, images are resized (bicubic) to n×n (default 224)
  --gray                   luminance only (images decoded as gray)
  --workers <n>            worker threads (default: cores, max 8; 0 = main thread)
  --limit <n>              use a seeded random subset of n images per set
  --seed <n>               seed for the subset and bootstrap (default 0; recorded in the output)
  --bootstrap <n>          bootstrap replicates for the interval (default 200; 0 = none)
  --bootstrap-images <n>   images per set kept for the bootstrap (default 256)
  --maps                   also write <out>.maps.bin: float32 fftshift-ed mean/variance maps (layout in the JSON)`;

const command: Command = {
  name: 'spectrum',
  summary: 'amplitude-spectrum statistics of an image set, and the variance ratio against another set',
  usage,
  async run(args) {
    const setA = requirePositional(args, 0, 'setA (data set name or folder)');
    const out = optString(args, 'out');
    if (!out) throw new HandgapError('--out <file.json> is required');
    const setB = optString(args, 'vs');
    const seed = optNumber(args, 'seed', 0)!, size = optNumber(args, 'size', 224)!;
    const workers = optNumber(args, 'workers'), limit = optNumber(args, 'limit');
    const B = optNumber(args, 'bootstrap', 200)!, keep = optNumber(args, 'bootstrap-images', 256)!;
    if (!Number.isInteger(size) || size < 2) throw new HandgapError(`--size must be an integer >= 2, got ${size}`);
    const run = async (set: string): Promise<SetSpectrum> => {
      let p: Progress | null = null;
      const r = await setSpectrum(set, { size, gray: optFlag(args, 'gray'), workers, limit, seed, bootstrapImages: keep,
        onStart: (total) => { p = new Progress({ label: `spectrum ${set}`, total, unit: 'img' }); },
        onProgress: () => { p?.tick(1); } });
      (p as Progress | null)?.finish();
      return r;
    };
    const a = await run(setA);
    const b = setB ? await run(setB) : null;
    const describe = (s: SetSpectrum) => ({ root: s.root, images: s.files.length, summary: summarize(s.stats) });
    const result: Record<string, unknown> = {
      tool: 'handgap spectrum', version: 1, seed, size, options: { gray: optFlag(args, 'gray'), limit: limit ?? null, bootstrap: B, bootstrapImages: keep },
      notes: 'amp = |FFT| of 0..255 pixels, logamp = log(1+|FFT|); variance across images, ddof 0; radial bins in cycles/pixel; bin 0 holds only DC',
      a: describe(a),
    };
    if (b) {
      result.b = describe(b);
      const comparisons: Record<string, unknown> = {};
      for (const plane of a.stats.planes) for (const q of ['amp', 'logamp'] as Quantity[]) {
        const boot = plane === 'y' && q === 'amp';
        comparisons[`${plane}.${q}`] = compareSpectra(a.stats, b.stats, { plane, quantity: q, samplesA: boot ? a.samples : undefined, samplesB: boot ? b.samples : undefined, replicates: B, seed });
      }
      result.comparison = comparisons;
      const y = comparisons['y.amp'] as { scalar: number; interval: [number, number] | null };
      console.log(`variance ratio (A/B, luminance amplitude, geometric mean over radial bins): ${y.scalar.toFixed(4)}${y.interval ? ` [95% bootstrap ${y.interval[0].toFixed(4)}, ${y.interval[1].toFixed(4)}]` : ''}`);
    }
    if (optFlag(args, 'maps')) {
      const layout: { set: string; plane: string; quantity: string; stat: string; offset: number }[] = [];
      const chunks: Float32Array[] = []; let offset = 0;
      for (const [name, s] of [['a', a], ['b', b]] as const) {
        if (!s) continue;
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
