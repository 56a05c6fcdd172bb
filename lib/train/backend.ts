/**
 * Which TensorFlow.js backend runs training, and why. Preference: tfjs-node-gpu > tfjs-node > wasm with
 * handgap's training kernels > cpu. HANDGAP_TF_BACKEND (or opts.force) forces one.
 *
 * The native backends are detected by what the module really provides (a registered 'tensorflow'
 * backend), not by require succeeding: this project's package.json aliases @tensorflow/tfjs-node to
 * @tensorflow/tfjs (an npm override danfojs needs), so the import succeeds but brings no native code.
 */
import * as tf from '@tensorflow/tfjs';
import { HandgapError } from '../util/errors.ts';
import { attachHeapKernels } from './kernels/heap-kernels.ts';
import { registerWasmTrainingKernels } from './kernels/wasm-kernels.ts';
import { prepareThreadedWasm, threadedWasmUnavailable, unrefWasmWorkers, wantedWasmThreads } from './kernels/wasm-threads.ts';

import { BACKEND_NAMES, type BackendName } from './backend-names.ts';
export { BACKEND_NAMES, type BackendName } from './backend-names.ts';
export interface BackendChoice { name: BackendName; reason: string }

let current: BackendChoice | null = null;

/** tfjs' own backend id for one of our names. */
export function tfBackendId(name: BackendName): string {
  return name === 'tensorflow-gpu' || name === 'tensorflow' ? 'tensorflow' : name;
}

async function tryNative(pkg: string): Promise<string | null> {
  try {
    await import(pkg); // optional native package (tfjs-node[-gpu]): usually not installed, so tried only when chosen
  } catch (e) {
    return `${pkg} not installed (${(e as Error).message.split('\n')[0]})`;
  }
  if (!tf.findBackend('tensorflow')) {
    return `${pkg} resolves to a module without the native 'tensorflow' backend (an alias of @tensorflow/tfjs, or libtensorflow missing)`;
  }
  return null;
}

let wasmThreadNote = '';
let heapKernelNote = '';

/** Start handgap's heap kernels on the new backend; if they cannot start, the XNNPACK fallbacks run (and the log says why). */
async function noteHeapKernels(): Promise<void> {
  try {
    heapKernelNote = await attachHeapKernels(tf.backend(), wasmThreads());
  } catch (e) {
    heapKernelNote = `handgap SIMD kernels unavailable (${(e as Error).message.split('\n')[0]}), so convolutions by XNNPACK`;
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm'); // loaded only when the wasm backend is the one chosen
    registerWasmTrainingKernels();
    const threads = wantedWasmThreads();
    wasmThreadNote = '';
    const noThreads = threads > 1 ? threadedWasmUnavailable() : null;
    if (noThreads) wasmThreadNote = `; threads unavailable: ${noThreads}`;
    if (threads > 1 && !noThreads) {
      wasm.setThreadsCount(threads);
      const restore = prepareThreadedWasm(threads);
      let ok = false;
      try { ok = await tf.setBackend('wasm'); } catch { ok = false; } finally { restore(); }
      if (ok) { await tf.ready(); unrefWasmWorkers(); await noteHeapKernels(); return null; }
      wasmThreadNote = `; the threaded build failed to start, so 1 thread`;
    }
    // the single-threaded SIMD build (after a failed threaded start, tfjs re-runs the factory on the next setBackend)
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) return 'wasm backend failed to initialise';
    await tf.ready();
    await noteHeapKernels();
    return null;
  } catch (e) {
    return `wasm backend unavailable: ${(e as Error).message.split('\n')[0]}`;
  }
}

function wasmThreads(): number {
  const count = (tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }).wasm?.tfjs?.getThreadsCount?.();
  return typeof count === 'number' && count > 0 ? count : 1;
}

function wasmDetails(): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = wasmThreads();
  const why = threads > 1 ? 'threaded build' : process.env.HANDGAP_WASM_THREADS?.trim() === '1' ? 'HANDGAP_WASM_THREADS=1' : 'single-threaded build';
  return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} XNNPACK thread${threads > 1 ? 's' : ''}: ${why}${wasmThreadNote}) with handgap training kernels (${heapKernelNote})`;
}

/**
 * Choose and activate the backend. Idempotent per process unless a different backend is forced.
 * Throws HandgapError when a forced backend is unavailable (with the reason).
 */
export async function initBackend(opts: { force?: string } = {}): Promise<BackendChoice> {
  const forcedRaw = opts.force ?? process.env.HANDGAP_TF_BACKEND ?? '';
  const forced = forcedRaw.trim() === '' ? null : forcedRaw.trim();
  if (forced !== null && !BACKEND_NAMES.includes(forced as BackendName)) {
    throw new HandgapError(`HANDGAP_TF_BACKEND / --backend: unknown backend "${forced}" (expected one of ${BACKEND_NAMES.join(', ')})`);
  }
  if (current && (forced === null || forced === current.name) && tf.getBackend() === tfBackendId(current.name)) return current;

  const notes: string[] = [];
  const order: BackendName[] = forced ? [forced as BackendName] : [...BACKEND_NAMES];
  for (const name of order) {
    let why: string | null;
    if (name === 'tensorflow-gpu') why = await tryNative('@tensorflow/tfjs-node-gpu');
    else if (name === 'tensorflow') why = await tryNative('@tensorflow/tfjs-node');
    else if (name === 'wasm') why = await tryWasm();
    else why = (await tf.setBackend('cpu')) ? null : 'cpu backend failed to initialise';
    if (why === null && (name === 'tensorflow' || name === 'tensorflow-gpu')) {
      why = (await tf.setBackend('tensorflow')) ? null : `${name}: setBackend('tensorflow') failed`;
    }
    if (why === null) {
      const what = name === 'wasm' ? wasmDetails() : name === 'cpu' ? 'cpu (pure JS kernels, slowest)' : `${name} (native libtensorflow)`;
      const reason = forced ? `forced by ${opts.force !== undefined ? 'option' : 'HANDGAP_TF_BACKEND'}: ${what}` : `${what}${notes.length ? '; ' + notes.join('; ') : ''}`;
      current = { name, reason };
      return current;
    }
    notes.push(why);
  }
  throw new HandgapError(`no TensorFlow.js backend available: ${notes.join('; ')}`);
}

/** One line for logs and the environment notebook. Call after initBackend. */
export function describeBackend(): string {
  const c = current;
  const active = tf.getBackend();
  if (!c) return `tfjs ${tf.version.tfjs}, backend ${active ?? 'none'} (not chosen through initBackend)`;
  return `tfjs ${tf.version.tfjs}, backend ${c.name} — ${c.reason}`;
}
