/**
 * Batches prepared ahead of the training step: `workers` worker threads (0 = in this thread) each take
 * whole batches round-robin; the trainer asks for batch t+depth while it trains on batch t, so pixels are
 * ready when the model wants them. The contents depend only on the BatchItems (seeded upstream).
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../util/worker.ts';
import { makeBatch, type Batch, type BatchItem, type BatchOptions } from './batch.ts';
import { HandgapError } from '../../util/errors.ts';

export class BatchLoader {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (b: Batch) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private rr = 0;

  constructor(private readonly opts: BatchOptions, workers: number) {
    for (let i = 0; i < workers; i++) {
      const w = startTsWorker(new URL('./worker.ts', import.meta.url), opts);
      w.on('message', (m: { id: number; batch?: Batch; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new HandgapError(`batch worker: ${m.error}`)); else p.resolve(m.batch!);
      });
      w.on('error', (e) => { for (const p of this.pending.values()) p.reject(e as Error); this.pending.clear(); });
      this.workers.push(w);
    }
  }

  get threads(): number { return this.workers.length; }

  request(items: BatchItem[]): Promise<Batch> {
    if (this.workers.length === 0) return makeBatch(items, this.opts);
    const id = this.nextId++;
    const w = this.workers[this.rr++ % this.workers.length];
    return new Promise<Batch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, items });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
