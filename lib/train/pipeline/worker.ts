/** Worker-thread body for BatchLoader: makes batches in arrival order and transfers the buffers back. */
import { parentPort, workerData } from 'node:worker_threads';
import { makeBatch, type BatchItem, type BatchOptions } from './batch.ts';

const port = parentPort!;
const opts = workerData as BatchOptions;
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: { id: number; items: BatchItem[] } | { end: true }) => {
  if ('end' in m) { port.close(); return; }
  chain = chain.then(async () => {
    const b = await makeBatch(m.items, opts);
    port.postMessage({ id: m.id, batch: b }, [b.images.buffer, b.xyz.buffer, b.uv.buffer] as ArrayBuffer[]);
  }).catch((e: Error) => port.postMessage({ id: m.id, error: e.message }));
});
