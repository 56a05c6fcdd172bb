/**
 * Worker thread body for lib/spectral/dataset.ts. Protocol (main → worker): 'begin' {size, channels} starts a run with
 * a fresh accumulator; 'work' chunks are processed in arrival order (the main thread keeps one chunk queued ahead, so
 * the worker never waits), each answered by 'ready'; 'end' returns the run's partial statistics (transferred, not
 * copied) as 'done'. The worker then waits for the next 'begin', so a pool (StatsWorkerPool) reuses it across runs.
 * Worker → main: 'up' once loaded; 'ready' (initial: true right after 'begin'); 'image' per image; 'done'; 'error'.
 */
import { parentPort } from 'node:worker_threads';
import { StatsAccumulator, type WorkerJob } from './accumulate.ts';

const port = parentPort!;
let acc: StatsAccumulator | null = null;
let chain: Promise<void> = Promise.resolve();
type ToWorker = { type: 'begin'; size: number; channels: 1 | 3 } | { type: 'work'; job: WorkerJob; base: number } | { type: 'end' };
port.on('message', (m: ToWorker) => {
  chain = chain.then(async () => {
    if (m.type === 'begin') { acc = new StatsAccumulator(m.size, m.channels); port.postMessage({ type: 'ready', initial: true }); return; }
    if (!acc) throw new Error(`'${m.type}' before 'begin'`);
    if (m.type === 'end') {
      const result = acc.result();
      acc = null;
      const transfer = [...result.state.acc.flat().map((a) => a.buffer), ...result.samples.map((s) => s.amp.buffer)] as ArrayBuffer[];
      port.postMessage({ type: 'done', result }, transfer);
      return;
    }
    await acc.addJob(m.job, () => port.postMessage({ type: 'image' }), m.base);
    port.postMessage({ type: 'ready' });
  }).catch((e: Error) => port.postMessage({ type: 'error', message: e.message }));
});
port.postMessage({ type: 'up' });
