/**
 * Amplitude statistics of an image set on disk (IO side of lib/spectral): lists the images, spreads them over
 * worker threads (each decodes with sharp and runs the streaming statistics), merges the partial results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { SpectrumStats } from './stats.ts';
import { StatsAccumulator, type WorkerJob, type WorkerResult } from './accumulate.ts';
import { InputError } from '../util/errors.ts';
import { resolveDatasetArg } from '../util/paths.ts';
import { Rng } from '../util/rng.ts';
import { startTsWorker } from '../util/worker.ts';
import { readFreihand, freihandSplits, FREIHAND_LAYOUT } from '../data/freihand.ts';
import { ReferencePool } from './augment.ts';
import { imageSize, readImage } from '../image/io.ts';

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

/**
 * Image files of a set: a known set name or a folder. FreiHAND-layout folders (a <split>_K.json) go through
 * lib/data/freihand.ts (training split if present, else evaluation; the 'gs' image of each labelled sample);
 * other folders: training/rgb, evaluation/rgb or rgb/ if present, else the folder's image files, sorted by name.
 */
export function listSetImages(setArg: string): { root: string; files: string[] } {
  const root = resolveDatasetArg(setArg);
  if (!fs.existsSync(root)) throw new InputError(setArg, 'no such data set or folder');
  if (freihandSplits(root).length > 0) {
    const set = readFreihand(root);
    if (set.samples.length === 0) throw new InputError(root, 'FreiHAND-layout folder with no samples');
    return { root, files: set.samples.map((x) => x.imagePath) };
  }
  let dir = root;
  for (const sub of [...FREIHAND_LAYOUT.splits.map((split) => FREIHAND_LAYOUT.imageDir(split, 'rgb')), 'rgb']) if (fs.existsSync(path.join(root, sub))) { dir = path.join(root, sub); break; }
  const files = fs.readdirSync(dir).filter((f) => IMAGE_EXT.test(f)).sort().map((f) => path.join(dir, f));
  if (files.length === 0) throw new InputError(dir, 'no .jpg/.png/.webp images in this folder');
  return { root, files };
}

export interface SetSpectrumOptions {
  /** Common size all images are resized to (bicubic). Default 224. */
  size?: number;
  gray?: boolean;
  /** Threads including this one (default: number of cores, at most 8; 1 = this thread only). */
  workers?: number;
  /** Use at most this many images (a seeded random subset). */
  limit?: number;
  /** Images whose luminance amplitude is kept for the bootstrap (seeded subset). Default 256. */
  bootstrapImages?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called once with the number of images before work starts. */
  onStart?: (total: number) => void;
  /** Reuse these worker threads (see StatsWorkerPool; then `workers` is ignored). Not closed here. */
  pool?: StatsWorkerPool;
  /** Per-image contrast normalisation before the transform (lib/spectral/spectrum.ts contrastNormalize). */
  contrast?: boolean;
}

/**
 * Native size of a set's images: the shorter side, checked on up to `check` files spread over the set (a set of
 * mixed sizes has no single native resolution: the error names the first file that differs).
 */
export async function nativeImageSize(files: string[], check = 8): Promise<number> {
  let size = 0, first = '';
  const step = Math.max(1, Math.floor(files.length / check));
  for (let i = 0; i < files.length; i += step) {
    const { width, height } = await imageSize(files[i]);
    const s = Math.min(width, height);
    if (!size) { size = s; first = files[i]; } else if (s !== size) throw new InputError(files[i], `is ${width}×${height}; ${first} has shorter side ${size} (a set needs one native size for a like-for-like spectrum)`);
  }
  return size;
}

export interface SetSpectrum { root: string; files: string[]; stats: SpectrumStats; samples: Float32Array[]; size: number; seed: number }

/** Seeded subset of n indices out of total, in increasing order. */
function subset(total: number, n: number, rng: Rng): number[] {
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  return rng.permutation(total).slice(0, n).sort((a, b) => a - b);
}

export { StatsAccumulator, type WorkerJob, type WorkerResult } from './accumulate.ts';

/** The same work as a worker, in this thread. */
export async function runStatsJob(job: WorkerJob, onImage?: () => void): Promise<WorkerResult> {
  const acc = new StatsAccumulator(job.size, job.channels);
  await acc.addJob(job, onImage);
  return acc.result();
}

type FromWorker = { type: 'up' } | { type: 'ready'; initial?: boolean } | { type: 'image' } | { type: 'done'; result: WorkerResult } | { type: 'error'; message: string };

interface StatsWorker { worker: Worker; up: Promise<void> }

function startStatsWorker(): StatsWorker {
  // the sibling module with this module's own extension: .ts from the sources, .js from the build
  const worker = startTsWorker(new URL(`./stats-worker${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url), {});
  const up = new Promise<void>((resolve, reject) => {
    const onMsg = (m: FromWorker) => { if (m.type === 'up') { worker.off('message', onMsg); worker.off('error', reject); resolve(); } };
    worker.on('message', onMsg); worker.on('error', reject);
  });
  return { worker, up };
}

/**
 * Worker threads for the set statistics, started once and reused by runStatsParallel (`pool` option), so repeated
 * runs (notebooks, benches, the gap report's two sets) pay the tsx worker start-up (~0.3–1.5 s) once.
 */
export class StatsWorkerPool {
  readonly workers: StatsWorker[];
  constructor(size: number) { this.workers = Array.from({ length: size }, () => startStatsWorker()); }
  get size(): number { return this.workers.length; }
  /** Resolves when every worker has loaded its code. */
  async ready(): Promise<void> { await Promise.all(this.workers.map((w) => w.up)); }
  async close(): Promise<void> { await Promise.all(this.workers.map((w) => w.worker.terminate())); }
}

/**
 * One run on one worker: 'begin', then chunks from `take` (one queued ahead), then 'end' → its partial result.
 * The worker's listeners are removed afterwards so a pooled worker can serve the next run.
 */
function runOnWorker(w: StatsWorker, size: number, channels: 1 | 3, take: () => [number, number] | null,
  makeJob: (start: number, end: number) => WorkerJob, onImage?: () => void): Promise<WorkerResult> {
  return w.up.then(() => new Promise<WorkerResult>((resolve, reject) => {
    let ended = false;
    const cleanup = () => { w.worker.off('message', onMsg); w.worker.off('error', onErr); };
    const onErr = (e: Error) => { cleanup(); reject(e); };
    const onMsg = (m: FromWorker) => {
      if (m.type === 'ready') {
        // keep one chunk queued ahead in the worker so it does not wait while this thread is busy
        for (let k = m.initial ? 2 : 1; k > 0; k--) {
          const r = take();
          if (r) w.worker.postMessage({ type: 'work', job: makeJob(r[0], r[1]), base: r[0] });
          else if (!ended) { ended = true; w.worker.postMessage({ type: 'end' }); }
        }
      } else if (m.type === 'image') onImage?.();
      else if (m.type === 'done') { cleanup(); resolve(m.result); }
      else if (m.type === 'error') { cleanup(); reject(new InputError('spectrum worker', m.message)); }
    };
    w.worker.on('message', onMsg); w.worker.on('error', onErr);
    w.worker.postMessage({ type: 'begin', size, channels });
  }));
}

/** Run fixed jobs, one fresh worker thread each (used by tests; `runStatsParallel` balances load). */
export function runStatsWorkers(jobs: WorkerJob[], onImage?: () => void): Promise<WorkerResult[]> {
  return Promise.all(jobs.map(async (job) => {
    const w = startStatsWorker();
    let given = false;
    const take = (): [number, number] | null => { if (given) return null; given = true; return [0, 1]; };
    try { return await runOnWorker(w, job.size, job.channels, take, () => job, onImage); } finally { void w.worker.terminate(); }
  }));
}

/**
 * Statistics over `count` images with worker threads plus this thread, pulling chunks of `chunk` images from one
 * queue (so slow worker start-up or a busy core does not leave work stranded). Workers: `pool` (reused, left
 * running) or `extraWorkers` fresh ones (terminated at the end). `makeJob(start, end)` builds the job for [start, end).
 */
export async function runStatsParallel(count: number, size: number, channels: 1 | 3, makeJob: (start: number, end: number) => WorkerJob,
  opts: { extraWorkers?: number; pool?: StatsWorkerPool; chunk?: number; onImage?: () => void }): Promise<{ stats: SpectrumStats; samples: WorkerResult['samples'] }> {
  const chunk = opts.chunk ?? 4;
  let next = 0;
  const take = (): [number, number] | null => { if (next >= count) return null; const s = next; next = Math.min(count, next + chunk); return [s, next]; };
  const own = opts.pool ? null : new StatsWorkerPool(opts.extraWorkers ?? 0);
  const pool = opts.pool ?? own!;
  try {
    const workerResults = pool.workers.map((w) => runOnWorker(w, size, channels, take, makeJob, opts.onImage));
    workerResults.forEach((p) => p.catch(() => undefined)); // rejections are awaited below
    const main = new StatsAccumulator(size, channels);
    for (let r = take(); r; r = take()) {
      await main.addJob(makeJob(r[0], r[1]), opts.onImage, r[0]);
      await new Promise<void>((res) => setImmediate(res)); // let workers' requests through
    }
    const stats = main.stats, samples = main.samples;
    for (const res of await Promise.all(workerResults)) { stats.merge(res.state); samples.push(...res.samples); }
    samples.sort((a, b) => a.index - b.index);
    return { stats, samples };
  } finally {
    if (own) void own.close();
  }
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
  const threads = Math.max(1, Math.min(opts.workers ?? Math.min(8, os.availableParallelism()), files.length));
  let done = 0;
  const tick = () => { done++; opts.onProgress?.(done, files.length); };
  opts.onStart?.(files.length);
  const r = await runStatsParallel(files.length, size, channels,
    (s, e) => ({ files: files.slice(s, e), size, channels, keep: files.slice(s, e).map((_, i) => keepIdx.has(s + i)), contrast: opts.contrast }),
    opts.pool ? { pool: opts.pool, onImage: tick } : { extraWorkers: threads - 1, onImage: tick });
  const stats = r.stats, samples = r.samples.map((x) => x.amp);
  return { root: listed.root, files, stats, samples, size, seed };
}

/**
 * A reference pool for the amplitude augmentations from a set on disk (e.g. real images): at most `limit` images
 * (seeded subset), decoded and resized to size×size once, amplitudes computed on first use.
 */
export async function loadReferencePool(setArg: string, opts: { size?: number; limit?: number; seed?: number } = {}): Promise<{ pool: ReferencePool; files: string[] }> {
  const size = opts.size ?? 224, listed = listSetImages(setArg);
  const idx = subset(listed.files.length, opts.limit ?? 256, Rng.derive(opts.seed ?? 0, 'spectral', 'reference-pool'));
  const files = idx.map((i) => listed.files[i]);
  const images = [];
  for (const f of files) images.push(await readImage(f, { width: size, height: size }));
  return { pool: ReferencePool.fromImages(images), files };
}
