/**
 * handgap's own WebAssembly kernels (lib/train/kernels/wasm/*.as), run directly on the tfjs wasm backend's heap.
 *
 * The module imports the backend's memory, so a kernel reads its input tensors and writes its output tensor where
 * the backend keeps them: no copy in or out, and none of the operand packing XNNPACK does on every call. With the
 * threaded backend build the memory is shared and the work is split over worker threads (as many as the backend's
 * XNNPACK pool, which idles meanwhile): each runs its own instance of the same module on the same memory. A job's
 * work units are grabbed in chunks (`grain`) from a shared counter by every thread, the caller included, until none
 * are left: a thread the OS delays (a busy or noisy machine) just takes fewer chunks instead of holding up the rest.
 *
 * Reductions must not depend on that timing: a reducing job (`reduce`) splits its units into a fixed number of
 * contiguous slots, which the threads grab whole; each slot's partial result is written at a place of its own and the
 * slots are added up in slot order. The sum is then the same on every run and for any number of threads (a partial
 * per thread would give float sums whose grouping follows the OS scheduler, and training curves that differ in the
 * fifth digit from run to run).
 *
 * Protocol over a small SharedArrayBuffer (Int32): [0] job generation, [1] unused, [2] first error (0 none),
 * [3] kernel index, [4] unit count, [5] grain, [6] next unit (or next slot), [7] argument count, [8] slot count (0:
 * not a reduction), [9..40] arguments (i32; pointers are byte offsets), [41 + w] the last generation worker w
 * finished. A kernel is called as fn(...args, t, u0, u1) with t the thread's index (0 = caller), or for a
 * reduction the slot's index. The caller waits until every worker has marked this job's generation done: a
 * per-worker mark cannot be miscounted the way one shared "still running" counter was (it was seen at −1 under
 * heavy load, and the caller then waited 120 s and failed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { trainKernelsWasm } from './wasm/build.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER_FILE = path.join(here, 'heap-kernel-worker.cjs');
/** Exported kernels, in the index order the workers use. Each takes its arguments, then (t, u0, u1). */
export const HEAP_KERNELS = ['conv2dFilterGrad', 'sumRows', 'conv2dForward', 'reluGrad', 'bnSumSqDev', 'bnAffine', 'bnGradSums', 'bnGradX'] as const;
export type HeapKernelName = typeof HEAP_KERNELS[number];
const MAX_ARGS = 32;
const MAX_WORKERS = 256;
/** A job is milliseconds; a worker silent this long is gone (the process would otherwise hang). */
const JOB_TIMEOUT_MS = 120_000;
const GEN = 0, ERROR = 2, KERNEL = 3, UNITS = 4, GRAIN = 5, NEXT = 6, NARGS = 7, SLOTS = 8, ARGS = 9, DONE = ARGS + MAX_ARGS;
/** Slots of a reducing job: its partial results, whatever the thread count (enough to balance a few threads). */
export const REDUCE_SLOTS = 8;

type KernelFn = (...args: number[]) => void;

type DataId = object;
export interface TensorInfo { dataId: DataId; shape: number[]; dtype: string }
/** The parts of BackendWasm the handgap kernels use (the package exports it without these types). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: DataId, force?: boolean): boolean;
  incRef(dataId: DataId): void;
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } };
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(t: TensorInfo, backend: WasmBackendLike): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** out[i] = Σ_s parts[s·size + i], s in order: the per-slot partial results of a reducing kernel, added up. */
export function sumParts(parts: Float32Array, slots: number, size: number, out: Float32Array): void {
  out.set(parts.subarray(0, size));
  for (let t = 1; t < slots; t++) for (let i = 0, q = t * size; i < size; i++, q++) out[i] += parts[q];
}

/** Units [u0, u1) of slot s when `units` are split into `slots` contiguous slots. */
export function slotRange(units: number, slots: number, s: number): [number, number] {
  return [Math.floor((s * units) / slots), Math.floor(((s + 1) * units) / slots)];
}

let active: HeapKernels | null = null;

/** The pool on the active wasm backend's heap, or null (then the kernels take their XNNPACK fallbacks). */
export function heapKernels(): HeapKernels | null { return active; }

/**
 * Start the heap kernels on the active wasm backend (after tf.setBackend('wasm')) with `threads` threads (its XNNPACK
 * pool's size). Idempotent for the same backend memory. Returns a description for the backend line.
 */
export async function attachHeapKernels(backend: unknown, threads: number): Promise<string> {
  const module = (backend as { wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } } }).wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!memory) throw new Error('the wasm backend exposes no WebAssembly.Memory');
  if (!active || active.memory !== memory) active = await HeapKernels.create(memory, threads);
  return `convolutions, bias sums, ReLU gradients and batch norm by handgap ${active.fma ? 'relaxed-SIMD (fused multiply-add)' : 'SIMD'} kernels on ${active.threads} thread${active.threads > 1 ? 's' : ''}`;
}

/**
 * The kernel module's bytes: the relaxed-SIMD build (f32x4.relaxed_madd: one fused multiply-add on FMA hardware, twice
 * the arithmetic rate of a multiply and an add) where it validates, else plain SIMD. Node 22+ validates it as is;
 * Node 20's V8 (11.3) has it behind --experimental-wasm-relaxed-simd, which is switched on here, before any module is
 * compiled (it only widens what validates). HANDGAP_WASM_FMA=0 keeps plain SIMD: results then do not depend on whether
 * the CPU fuses.
 */
function kernelModule(shared: boolean): { bytes: Buffer; fma: boolean } {
  const memory = shared ? 'shared' : 'unshared';
  if (process.env.HANDGAP_WASM_FMA?.trim() !== '0') {
    const bytes = fs.readFileSync(trainKernelsWasm(`${memory}-relaxed`));
    if (WebAssembly.validate(bytes)) return { bytes, fma: true };
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (WebAssembly.validate(bytes)) return { bytes, fma: true };
  }
  return { bytes: fs.readFileSync(trainKernelsWasm(memory)), fma: false };
}

export class HeapKernels {
  private readonly control = new Int32Array(new SharedArrayBuffer((DONE + MAX_WORKERS) * 4));
  private readonly workers: Worker[] = [];

  private constructor(readonly memory: WebAssembly.Memory, readonly fma: boolean, private readonly exports: Record<string, KernelFn>) {}

  /**
   * memory: the backend's WebAssembly.Memory; threads: total threads including the caller (1 unless the memory is
   * shared). Resolves once every worker has instantiated the module.
   */
  static async create(memory: WebAssembly.Memory, threads: number): Promise<HeapKernels> {
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const { bytes, fma } = kernelModule(shared);
    const wasmModule = new WebAssembly.Module(bytes);
    const pool = new HeapKernels(memory, fma, new WebAssembly.Instance(wasmModule, { env: { memory } }).exports as unknown as Record<string, KernelFn>);
    const n = shared ? Math.max(1, Math.min(MAX_WORKERS + 1, Math.floor(threads))) : 1;
    const started: Promise<void>[] = [];
    for (let index = 1; index < n; index++) {
      // plain JS worker: no --import hooks (tsx) from this process' execArgv
      const w = new Worker(WORKER_FILE, { workerData: { wasmModule, memory, control: pool.control.buffer, index, done: DONE + index - 1, kernels: HEAP_KERNELS }, execArgv: [] });
      pool.workers.push(w);
      started.push(new Promise((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', (e) => reject(new Error(`heap kernel worker ${index} failed to start: ${e.message}`)));
      }));
    }
    try {
      await Promise.all(started);
    } catch (e) {
      await Promise.all(pool.workers.map((w) => w.terminate()));
      throw e;
    }
    for (const w of pool.workers) w.unref(); // idle workers wait on the control word forever; they must not keep the process alive
    return pool;
  }

  get threads(): number { return this.workers.length + 1; }

  /**
   * Run `name(...args, t, u0, u1)` over units [0, units) in chunks of `grain` units (one call each, also on a single
   * thread: kernels size their cache blocking by it), on every thread; returns when all are done. A kernel with
   * thread-indexed partial results must use reduce() instead (their sums would follow the thread timing).
   */
  run(name: HeapKernelName, args: number[], units: number, grain: number): void {
    this.dispatch(name, args, units, grain, 0);
  }

  /**
   * A reducing kernel over units [0, units): split into `slots` contiguous slots, each run in `grain`-unit calls by
   * whichever thread grabbed it, with t = the slot's index. The caller provides (zeroed) room for `slots` partial
   * results and adds them up in slot order (sumParts): the result does not depend on thread timing or count.
   */
  reduce(name: HeapKernelName, args: number[], units: number, grain: number, slots: number): void {
    this.dispatch(name, args, units, grain, Math.max(1, Math.floor(slots)));
  }

  private dispatch(name: HeapKernelName, args: number[], units: number, grain: number, slots: number): void {
    const fn = this.exports[name];
    if (!fn) throw new Error(`heap kernel ${name} is not exported by the module`);
    const step = Math.max(1, Math.floor(grain));
    const runSlot = (s: number) => {
      const [a, b] = slotRange(units, slots, s);
      for (let u0 = a; u0 < b; u0 += step) fn(...args, s, u0, Math.min(b, u0 + step));
    };
    if (this.threads === 1 || (slots === 0 ? units <= step : slots === 1)) {
      if (slots === 0) for (let u0 = 0; u0 < units; u0 += step) fn(...args, 0, u0, Math.min(units, u0 + step));
      else for (let s = 0; s < slots; s++) runSlot(s);
      return;
    }
    if (args.length > MAX_ARGS) throw new Error(`heap kernel ${name}: ${args.length} arguments (at most ${MAX_ARGS})`);
    const c = this.control;
    c[KERNEL] = HEAP_KERNELS.indexOf(name); c[UNITS] = units; c[GRAIN] = step; c[NARGS] = args.length; c[SLOTS] = slots;
    args.forEach((a, i) => { c[ARGS + i] = a | 0; });
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, ERROR, 0);
    const gen = Atomics.add(c, GEN, 1) + 1;
    Atomics.notify(c, GEN);
    if (slots === 0) for (let u0 = Atomics.add(c, NEXT, step); u0 < units; u0 = Atomics.add(c, NEXT, step)) fn(...args, 0, u0, Math.min(units, u0 + step));
    else for (let s = Atomics.add(c, NEXT, 1); s < slots; s = Atomics.add(c, NEXT, 1)) runSlot(s);
    const deadline = performance.now() + JOB_TIMEOUT_MS;
    for (let w = 0; w < this.workers.length; w++) {
      for (let done = Atomics.load(c, DONE + w); done !== gen; done = Atomics.load(c, DONE + w)) {
        if (Atomics.wait(c, DONE + w, done, JOB_TIMEOUT_MS) === 'timed-out' && performance.now() > deadline) {
          throw new Error(`heap kernel ${name}: worker thread ${w + 1} did not finish within ${JOB_TIMEOUT_MS / 1000} s`);
        }
      }
    }
    const error = Atomics.load(c, ERROR);
    if (error) throw new Error(`heap kernel ${name} failed in worker thread ${error} (see its stderr)`);
  }
}
