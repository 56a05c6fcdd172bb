/**
 * Worker thread body for lib/spectral/dataset.ts: processes chunks of work in arrival order (the main thread keeps
 * one chunk queued ahead, so the worker never waits), says 'ready' after each, and on 'end' returns its partial
 * statistics (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StatsAccumulator, type WorkerJob } from './accumulate.ts';

const port = parentPort!;
const { size, channels } = workerData as { size: number; channels: 1 | 3 };
const acc = new StatsAccumulator(size, channels);
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: { type: 'work'; job: WorkerJob; base: number } | { type: 'end' }) => {
  chain = chain.then(async () => {
    if (m.type === 'end') {
      const result = acc.result();
      const transfer = [...result.state.acc.flat().map((a) => a.buffer), ...result.samples.map((s) => s.amp.buffer)] as ArrayBuffer[];
      port.postMessage({ type: 'done', result }, transfer);
      port.close();
      return;
    }
    await acc.addJob(m.job, () => port.postMessage({ type: 'image' }), m.base);
    port.postMessage({ type: 'ready' });
  }).catch((e: Error) => port.postMessage({ type: 'error', message: e.message }));
});
port.postMessage({ type: 'ready', initial: true });
