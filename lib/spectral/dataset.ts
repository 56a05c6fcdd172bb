/**
 * Amplitude statistics of an image set on disk (IO side of lib/spectral): lists the images, spreads them over
 * worker threads (each decodes with sharp and runs the streaming statistics), merges the partial results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { SpectrumStats, type SpectrumStatsState } from './stats.ts';
import { InputError } from '../util/errors.ts';
import { resolveDatasetArg } from '../util/paths.ts';
import { Rng } from '../util/rng.ts';
import { readImage } from '../image/io.ts';

const require = createRequire(import.meta.url);
const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

/**
 * Image files of a set: a known set name or a folder. FreiHAND layout folders use training/rgb (else evaluation/rgb);
 * any other folder: its image files, sorted by name.
 */
export function listSetImages(setArg: string): { root: string; files: string[] } {
  const root = resolveDatasetArg(setArg);
  if (!fs.existsSync(root)) throw new InputError(setArg, 'no such data set or folder');
  let dir = root;
  for (const sub of ['training/rgb', 'evaluation/rgb', 'rgb']) if (fs.existsSync(path.join(root, sub))) { dir = path.join(root, sub); break; }
  const files = fs.readdirSync(dir).filter((f) => IMAGE_EXT.test(f)).sort().map((f) => path.join(dir, f));
  if (files.length === 0) throw new InputError(dir, 'no .jpg/.png/.webp images in this folder');
  return { root, files };
}

export interface SetSpectrumOptions {
  /** Common size all images are resized to (bicubic). Default 224. */
  size?: number;
  gray?: boolean;
  /** Worker threads (default: number of cores, at most 8; 0 = in this thread). */
  workers?: number;
  /** Use at most this many images (a seeded random subset). */
  limit?: number;
  /** Images whose luminance amplitude is kept for the bootstrap (seeded subset). Default 256. */
  bootstrapImages?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SetSpectrum { root: string; files: string[]; stats: SpectrumStats; samples: Float32Array[]; size: number; seed: number }

/** Seeded subset of n indices out of total, in increasing order. */
function subset(total: number, n: number, rng: Rng): number[] {
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  return rng.permutation(total).slice(0, n).sort((a, b) => a - b);
}

export interface WorkerJob { files?: string[]; pixels?: Uint8Array[]; size: number; channels: 1 | 3; keep: boolean[] }
export interface WorkerResult { state: SpectrumStatsState; samples: { index: number; amp: Float32Array }[] }

/** The same work as a worker, in this thread. */
export async function runStatsJob(job: WorkerJob, onImage?: () => void): Promise<WorkerResult> {
  const stats = new SpectrumStats(job.size, job.size, job.channels);
  const samples: WorkerResult['samples'] = [];
  const n = job.files ? job.files.length : job.pixels!.length;
  for (let i = 0; i < n; i++) {
    const img = job.files
      ? await readImage(job.files[i], { width: job.size, height: job.size, gray: job.channels === 1 })
      : { data: job.pixels![i], width: job.size, height: job.size, channels: job.channels };
    const lum = stats.add(img, job.keep[i]);
    if (lum) samples.push({ index: i, amp: Float32Array.from(lum) });
    onImage?.();
  }
  return { state: stats.state(), samples };
}

/**
 * A worker running a .ts file. Node 20 resolves a worker's entry before `--import tsx` hooks apply
 * (ERR_UNKNOWN_FILE_EXTENSION), so a small eval'd bootstrap registers tsx's loader first, then imports the file.
 */
export function startTsWorker(file: URL, workerData: unknown): Worker {
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(file.href)}); }).catch((e) => { throw e; });`;
  return new Worker(code, { eval: true, workerData });
}

/** Run jobs on worker threads (tsx-loaded worker file), reporting each finished image. */
export function runStatsWorkers(jobs: WorkerJob[], onImage?: () => void): Promise<WorkerResult[]> {
  return Promise.all(jobs.map((job) => new Promise<WorkerResult>((resolve, reject) => {
    const w = startTsWorker(new URL('./stats-worker.ts', import.meta.url), job);
    w.on('message', (m: { type: 'image' } | { type: 'done'; result: WorkerResult } | { type: 'error'; message: string }) => {
      if (m.type === 'image') onImage?.();
      else if (m.type === 'done') { resolve(m.result); void w.terminate(); }
      else reject(new InputError('spectrum worker', m.message));
    });
    w.on('error', reject);
    w.on('exit', (code) => { if (code !== 0) reject(new Error(`spectrum worker exited with code ${code}`)); });
  })));
}

/** Split n items into k contiguous shards. */
export function shards<T>(items: T[], k: number): T[][] {
  const out: T[][] = [], per = Math.ceil(items.length / k);
  for (let i = 0; i < items.length; i += per) out.push(items.slice(i, i + per));
  return out;
}

/** Streaming amplitude statistics of a set on disk. */
export async function setSpectrum(setArg: string, opts: SetSpectrumOptions = {}): Promise<SetSpectrum> {
  const size = opts.size ?? 224, seed = opts.seed ?? 0, channels: 1 | 3 = opts.gray ? 1 : 3;
  const listed = listSetImages(setArg);
  const rng = Rng.derive(seed, 'spectrum', 'subset');
  const files = opts.limit && opts.limit < listed.files.length ? subset(listed.files.length, opts.limit, rng).map((i) => listed.files[i]) : listed.files;
  const keepIdx = new Set(subset(files.length, opts.bootstrapImages ?? 256, Rng.derive(seed, 'spectrum', 'bootstrap-images')));
  const nWorkers = Math.min(opts.workers ?? Math.min(8, os.availableParallelism()), files.length);
  let done = 0;
  const tick = () => { done++; opts.onProgress?.(done, files.length); };
  const indexed = files.map((f, i) => ({ f, i }));
  const parts = nWorkers <= 0 ? [indexed] : shards(indexed, nWorkers);
  const jobs: WorkerJob[] = parts.map((p) => ({ files: p.map((x) => x.f), size, channels, keep: p.map((x) => keepIdx.has(x.i)) }));
  const results = nWorkers <= 0 ? [await runStatsJob(jobs[0], tick)] : await runStatsWorkers(jobs, tick);
  const stats = new SpectrumStats(size, size, channels);
  const samples: Float32Array[] = [];
  results.forEach((r) => { stats.merge(r.state); for (const s of r.samples) samples.push(s.amp); });
  return { root: listed.root, files, stats, samples, size, seed };
}
