/**
 * The per-thread part of the set statistics (kept apart from dataset.ts so worker threads load only this, the
 * statistics and, when decoding files, lib/image/io.ts).
 */
import { SpectrumStats, type SpectrumStatsState } from './stats.ts';
import { contrastNormalize } from './spectrum.ts';

/** One unit of work: image files (decoded and resized here) or raw HWC uint8 pixels already at size×size. */
export interface WorkerJob {
  files?: string[]; pixels?: Uint8Array[]; size: number; channels: 1 | 3; keep: boolean[];
  /** per-image contrast normalisation before the transform (see contrastNormalize) */ contrast?: boolean;
}
export interface WorkerResult { state: SpectrumStatsState; samples: { index: number; amp: Float32Array }[] }

/** Adds jobs' images to one accumulator; `index` of kept samples is the position inside each job plus `base`. */
export class StatsAccumulator {
  readonly stats: SpectrumStats;
  readonly samples: WorkerResult['samples'] = [];
  constructor(readonly size: number, readonly channels: 1 | 3) { this.stats = new SpectrumStats(size, size, channels); }
  async addJob(job: WorkerJob, onImage?: () => void, base = 0): Promise<void> {
    const n = job.files ? job.files.length : job.pixels!.length;
    // sharp is loaded only when files must be decoded: it takes seconds to load (measured 2.5–6.7 s on the
    // shared 2-core machine, node:fs 0.05–0.1 s), which workers given in-memory pixels never need
    const io = job.files ? await import('../image/io.ts') : null;
    for (let i = 0; i < n; i++) {
      const img = io
        ? await io.readImage(job.files![i], { width: job.size, height: job.size, gray: job.channels === 1 })
        : { data: job.pixels![i], width: job.size, height: job.size, channels: job.channels };
      const lum = this.stats.add(job.contrast ? contrastNormalize(img) : img, job.keep[i]);
      if (lum) this.samples.push({ index: base + i, amp: Float32Array.from(lum) });
      onImage?.();
    }
  }
  result(): WorkerResult { return { state: this.stats.state(), samples: this.samples }; }
}

