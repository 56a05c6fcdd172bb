/**
 * Multi-threaded XNNPACK for the tfjs wasm backend under Node.
 *
 * @tensorflow/tfjs-backend-wasm ships a threaded SIMD build (Emscripten pthreads) but switches it off in Node
 * (tfjs issue #3830). Three things stand in the way, and each is worked around here for the duration of
 * backend initialisation only:
 *  1. the WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false under Node: we set it;
 *  2. the pthread worker is handed to Node's Worker as a blob: URL, which Node refuses, and the worker then loads
 *     the main script from another blob: URL: URL.createObjectURL returns our worker file instead
 *     (wasm-pthread-worker.cjs), which points the worker at the package's own copy of the same script;
 *  3. the C++ side caps the pool at emscripten_num_logical_cores() / 2, assuming two hyperthreads per core
 *     (in Node that count is os.cpus().length): on a machine with one thread per core that halves the pool, so
 *     during initialisation os.cpus() reports the count that makes the cap equal the threads requested.
 * Also, the pthread workers are started without this process's execArgv (Node's default would make each of the
 * eight pool workers load the tsx loader: 1.7 s instead of 0.6 s to start the backend).
 * The caller must call `setThreadsCount` before `tf.setBackend('wasm')`; restore() undoes 2 and 3 afterwards
 * (the pool is created during initialisation and keeps its size; the flag stays set while the threaded build runs). Then `unrefWasmWorkers` lets Node exit while the
 * pool's threads idle (they wait for work forever and would otherwise keep every process alive).
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';

const WORKER_FILE = fileURLToPath(new URL('./wasm-pthread-worker.cjs', import.meta.url));

/**
 * Why the threaded build cannot be used here, or null. Checked up front because a pthread worker that fails to
 * load brings the whole process down (Emscripten rethrows worker errors), so it cannot be caught and retried.
 */
export function threadedWasmUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'no SharedArrayBuffer';
  let wasmOut: string;
  try {
    wasmOut = path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  } catch (e) {
    return `cannot locate @tensorflow/tfjs-backend-wasm (${(e as Error).message.split('\n')[0]})`;
  }
  for (const f of [WORKER_FILE, path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'), path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')]) {
    if (!fs.existsSync(f)) return `${f} is missing`;
  }
  return null;
}

/** Patch for one initialisation of the threaded build with `threads` threads; returns the undo. */
export function prepareThreadedWasm(threads: number): () => void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = ((obj: Blob) => (obj instanceof Blob && obj.type === 'application/javascript' ? WORKER_FILE : createObjectURL(obj))) as typeof URL.createObjectURL;
  const mutableOs = os as { cpus: typeof os.cpus };
  const cpus = mutableOs.cpus;
  mutableOs.cpus = () => { const one = cpus(); const list = [...one]; while (list.length < 2 * threads) list.push(one[0]); return list; };
  // pthread workers run plain JS: do not make each of them load this process's --import hooks (tsx)
  class PlainWorker extends NodeWorker { constructor(file: string | URL, opts: WorkerOptions = {}) { super(file, { ...opts, execArgv: [] }); } }
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PlainWorker, set: () => {} });
  return () => {
    URL.createObjectURL = createObjectURL;
    mutableOs.cpus = cpus;
    // leave it defined, as the stock Emscripten glue leaves Node's Worker there (for pthreads started later)
    Object.defineProperty(globalThis, 'Worker', { configurable: true, writable: true, value: PlainWorker });
  };
}

/** Threads to use on wasm: HANDGAP_WASM_THREADS, else every core Node reports. */
export function wantedWasmThreads(): number {
  const raw = process.env.HANDGAP_WASM_THREADS?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`HANDGAP_WASM_THREADS must be an integer from 1 to 8 (got "${raw}")`);
    return n;
  }
  return Math.min(8, os.availableParallelism());
}

interface EmscriptenPThread { unusedWorkers: { unref(): void }[]; runningWorkers: { unref(): void }[] }

/** Let the process exit although the backend's pthread workers are alive. Call after initialisation. */
export function unrefWasmWorkers(): void {
  const module = (tf.backend() as unknown as { wasm?: { PThread?: EmscriptenPThread } }).wasm;
  const pthread = module?.PThread;
  if (!pthread) return;
  for (const w of [...pthread.unusedWorkers, ...pthread.runningWorkers]) w.unref();
}
