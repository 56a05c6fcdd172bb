/*
 * Worker thread of HeapKernels (heap-kernels.ts): one instance of the kernel module on the tfjs backend's shared
 * memory, waiting on the control word for jobs. Plain JS (CommonJS), so it starts without the tsx loader.
 */
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { wasmModule, memory, control, index, done, kernels } = workerData;
const GEN = 0, ERROR = 2, KERNEL = 3, UNITS = 4, GRAIN = 5, NEXT = 6, NARGS = 7, SLOTS = 8, ARGS = 9;
const c = new Int32Array(control);
const exportsOf = new WebAssembly.Instance(wasmModule, { env: { memory } }).exports;
const fns = kernels.map((name) => exportsOf[name]);
// the pool's creator waits for this (a worker needs its parent's event loop to start, so it cannot be waited for
// with Atomics); from here on it runs jobs without any messages
parentPort.postMessage('ready');
let seen = 0; // the generation when the pool was made: a job posted before this thread got here is not missed
for (;;) {
  Atomics.wait(c, GEN, seen);
  seen = Atomics.load(c, GEN);
  try {
    const units = c[UNITS], step = c[GRAIN], slots = c[SLOTS], fn = fns[c[KERNEL]];
    const args = Array.from(c.subarray(ARGS, ARGS + c[NARGS]));
    if (slots === 0) {
      for (let u0 = Atomics.add(c, NEXT, step); u0 < units; u0 = Atomics.add(c, NEXT, step)) fn(...args, index, u0, Math.min(units, u0 + step));
    } else {
      // a reduction: whole slots, partial result at the slot's index (same split as slotRange in heap-kernels.ts)
      for (let s = Atomics.add(c, NEXT, 1); s < slots; s = Atomics.add(c, NEXT, 1)) {
        const a = Math.floor((s * units) / slots), b = Math.floor(((s + 1) * units) / slots);
        for (let u0 = a; u0 < b; u0 += step) fn(...args, s, u0, Math.min(b, u0 + step));
      }
    }
  } catch (e) {
    process.stderr.write(`handgap heap kernel worker ${index}: ${e && e.stack ? e.stack : e}\n`);
    Atomics.compareExchange(c, ERROR, 0, index);
  }
  // this job's generation is done (c[done] is this worker's own mark; see heap-kernels.ts)
  Atomics.store(c, done, seen);
  Atomics.notify(c, done);
}
