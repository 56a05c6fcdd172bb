/** Worker thread body for lib/spectral/dataset.ts: runs one shard of the streaming amplitude statistics. */
import { parentPort, workerData } from 'node:worker_threads';
import { runStatsJob, type WorkerJob } from './dataset.ts';

const port = parentPort!;
runStatsJob(workerData as WorkerJob, () => port.postMessage({ type: 'image' }))
  .then((result) => {
    const transfer = [...result.state.acc.flat().map((a) => a.buffer), ...result.samples.map((s) => s.amp.buffer)] as ArrayBuffer[];
    port.postMessage({ type: 'done', result }, transfer);
  })
  .catch((e: Error) => port.postMessage({ type: 'error', message: e.message }));
