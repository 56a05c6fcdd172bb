/**
 * handgap's kernel overrides for the tfjs wasm backend, registered together (registerWasmTrainingKernels):
 *  - Conv2D, FusedConv2D, Conv2DBackpropFilter, Conv2DBackpropInput: wasm-conv.ts;
 *  - BatchMatMul: transposed operands made explicit, so dense layers' gradients stay on XNNPACK;
 *  - Identity: shares the input's memory (as Reshape already does) instead of copying it. The engine clones every
 *    tensor it saves for the backward pass, so the stock copy cost ~1.3 ms per 64×64×16 activation, ~30 ms a step;
 *  - Sum over leading axes (bias gradients): column sums on the heap kernel, instead of the stock transpose-then-sum;
 *  - ReLU's gradient: one heap-kernel pass (HandgapReluGrad) instead of step, cast and multiply;
 *  - batch norm's passes (HandgapBn*, used by lib/train/pose/batch-norm.ts): statistics, the affine map, the two
 *    gradient sums in one pass and the input gradient in one pass, instead of a chain of broadcasting element-wise
 *    kernels and transposing reductions.
 * Each falls back to the stock kernel outside the case it handles.
 */
import * as tf from '@tensorflow/tfjs';
import { heapKernels, heapOffset, REDUCE_SLOTS, sumParts, type TensorInfo, type WasmBackendLike } from './heap-kernels.ts';
import { conv2DBackpropFilterWasm, conv2DBackpropInputWasm, conv2DForwardHeap, transpose } from './wasm-conv.ts';

type KernelArgs<I> = { inputs: I; backend: WasmBackendLike; attrs: Record<string, unknown> };
const stock = new Map<string, tf.KernelConfig>();
const callStock = (name: string, args: unknown): TensorInfo => (stock.get(name)!.kernelFunc as unknown as (a: unknown) => TensorInfo)(args);

/**
 * BatchMatMul with transposeA / transposeB: the stock wasm kernel then leaves XNNPACK for a naive loop
 * (~12× slower at [65536,288]ᵀ·[65536,32]). Dense layers hit exactly that in the backward pass
 * (dW = xᵀ·dy, dx = dy·Wᵀ), so transpose explicitly (O(n²), the backend's Transpose kernel) and take the
 * fast path.
 */
function batchMatMulFast(args: KernelArgs<{ a: TensorInfo; b: TensorInfo }>): TensorInfo {
  const { inputs: { a, b }, backend, attrs } = args;
  if (!attrs.transposeA && !attrs.transposeB) return callStock('BatchMatMul', args);
  const perm = (t: TensorInfo) => { const r = t.shape.length; const p = t.shape.map((_, i) => i); [p[r - 2], p[r - 1]] = [p[r - 1], p[r - 2]]; return p; };
  const at = attrs.transposeA ? transpose(a, perm(a), backend) : a;
  const bt = attrs.transposeB ? transpose(b, perm(b), backend) : b;
  const out = callStock('BatchMatMul', { inputs: { a: at, b: bt }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
  if (at !== a) backend.disposeData(at.dataId);
  if (bt !== b) backend.disposeData(bt.dataId);
  return out;
}

/** Identity without a copy: the output shares the input's heap memory (reference-counted, never written in place). */
function identityShared(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { inputs: { x }, backend } = args;
  if (x.dtype === 'string') return callStock('Identity', args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Element-wise and reduction jobs smaller than this run on the calling thread alone (waking workers costs more). */
const SMALL_JOB = 1 << 16;

/**
 * Sum of a float32 tensor over a prefix of its axes (what bias gradients ask for: [B,H,W,C] over [0,1,2]), as the
 * column sums of a [rows, C] matrix: per-slot partial sums on the heap kernel, then added up.
 */
function sumLeadingAxes(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  const heap = heapKernels();
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
  const isPrefix = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  if (!heap || x.dtype !== 'float32' || !isPrefix) return callStock('Sum', args);
  const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
  const outShape = x.shape.slice(axes.length);
  const C = outShape.reduce((a, b) => a * b, 1);
  const T = rows * C >= SMALL_JOB ? REDUCE_SLOTS : 1; // partial sums by slot, added in slot order (deterministic)
  const parts = backend.makeOutput([T, C], 'float32');
  backend.typedArrayFromHeap(parts).fill(0);
  heap.reduce('sumRows', [heapOffset(x, backend), heapOffset(parts, backend), C], rows, rows, T);
  let out = parts;
  if (T > 1) {
    out = backend.makeOutput([C], 'float32');
    sumParts(backend.typedArrayFromHeap(parts), T, C, backend.typedArrayFromHeap(out));
    backend.disposeData(parts.dataId);
  }
  out.shape = attrs.keepDims ? [...axes.map(() => 1), ...outShape] : outShape;
  return out;
}

/**
 * Per-channel reduction of a [rows, C] view on the heap kernel `name` (units: rows): per-slot partials of `width`
 * floats, zeroed, filled by the kernel (whose argument list `args` builds around the partials' offset), then added up.
 */
function columnReduce(backend: WasmBackendLike, name: 'sumRows' | 'bnSumSqDev' | 'bnGradSums', args: (parts: number) => number[], rows: number, C: number, width: number): Float32Array {
  const heap = heapKernels()!;
  const T = rows * C >= SMALL_JOB ? REDUCE_SLOTS : 1; // partial sums by slot, added in slot order (deterministic)
  const parts = backend.makeOutput([T, width], 'float32');
  backend.typedArrayFromHeap(parts).fill(0);
  heap.reduce(name, args(heapOffset(parts, backend)), rows, rows, T);
  const out = new Float32Array(width);
  sumParts(backend.typedArrayFromHeap(parts), T, width, out);
  backend.disposeData(parts.dataId);
  return out;
}

const channels = (x: TensorInfo) => { const C = x.shape[x.shape.length - 1]; return { C, rows: x.shape.reduce((a, b) => a * b, 1) / C }; };
function vectorOutput(backend: WasmBackendLike, values: Float32Array): TensorInfo {
  const t = backend.makeOutput([values.length], 'float32');
  backend.typedArrayFromHeap(t).set(values);
  return t;
}

/** Batch statistics over every axis but the last: [mean, biased variance] (two passes: sums, then squared deviations). */
function bnStatsHeap(args: KernelArgs<{ x: TensorInfo }>): TensorInfo[] {
  const { inputs: { x }, backend } = args;
  const { C, rows } = channels(x);
  const mean = columnReduce(backend, 'sumRows', (p) => [heapOffset(x, backend), p, C], rows, C, C).map((v) => v / rows);
  const meanT = vectorOutput(backend, mean);
  const variance = columnReduce(backend, 'bnSumSqDev', (p) => [heapOffset(x, backend), heapOffset(meanT, backend), p, C], rows, C, C).map((v) => v / rows);
  return [meanT, vectorOutput(backend, variance)];
}

/** y = x·a[c] + b[c]. */
function bnAffineHeap(args: KernelArgs<{ x: TensorInfo; a: TensorInfo; b: TensorInfo }>): TensorInfo {
  const { inputs: { x, a, b }, backend } = args;
  const { C, rows } = channels(x);
  const out = backend.makeOutput(x.shape, 'float32');
  heapKernels()!.run('bnAffine', [heapOffset(x, backend), heapOffset(a, backend), heapOffset(b, backend), heapOffset(out, backend), C], rows, Math.max(1, Math.floor(SMALL_JOB / C)));
  return out;
}

/** [Σ dy, Σ dy·(x − mean)] per channel, 2C values, in one pass. */
function bnGradSumsHeap(args: KernelArgs<{ dy: TensorInfo; x: TensorInfo; mean: TensorInfo }>): TensorInfo {
  const { inputs: { dy, x, mean }, backend } = args;
  const { C, rows } = channels(x);
  return vectorOutput(backend, columnReduce(backend, 'bnGradSums', (p) => [heapOffset(dy, backend), heapOffset(x, backend), heapOffset(mean, backend), p, C], rows, C, 2 * C));
}

/** dx = dy·p[c] + x·q[c] + r[c]. */
function bnGradXHeap(args: KernelArgs<{ dy: TensorInfo; x: TensorInfo; p: TensorInfo; q: TensorInfo; r: TensorInfo }>): TensorInfo {
  const { inputs: { dy, x, p, q, r }, backend } = args;
  const { C, rows } = channels(x);
  const out = backend.makeOutput(x.shape, 'float32');
  heapKernels()!.run('bnGradX', [heapOffset(dy, backend), heapOffset(x, backend), heapOffset(p, backend), heapOffset(q, backend), heapOffset(r, backend), heapOffset(out, backend), C], rows, Math.max(1, Math.floor(SMALL_JOB / C)));
  return out;
}

/**
 * Whether batch norm can take the HandgapBn* kernels here (wasm backend, kernels started, float32).
 * HANDGAP_HEAP_BN=0 keeps the tf-op formulation (benchmarks compare the two).
 */
export function heapBatchNormAvailable(x: { dtype: string }): boolean {
  return process.env.HANDGAP_HEAP_BN !== '0' && registered && tf.getBackend() === 'wasm' && heapKernels() !== null && x.dtype === 'float32';
}

/** Conv2D and FusedConv2D: the heap kernel where it applies, else the stock (XNNPACK) kernel. */
const convForward = (name: string) => (args: Parameters<typeof conv2DForwardHeap>[0]): TensorInfo => conv2DForwardHeap(args) ?? callStock(name, args);

/** dy where x > 0, else 0, in one pass (the kernel behind Relu's gradient on wasm). */
function reluGradHeap(args: KernelArgs<{ dy: TensorInfo; x: TensorInfo }>): TensorInfo {
  const { inputs: { dy, x }, backend } = args;
  const out = backend.makeOutput(x.shape, 'float32');
  const n = x.shape.reduce((a, b) => a * b, 1);
  heapKernels()!.run('reluGrad', [heapOffset(dy, backend), heapOffset(x, backend), heapOffset(out, backend)], n, SMALL_JOB);
  return out;
}

/**
 * Relu's gradient: HandgapReluGrad where the heap kernels run (wasm, float32), else tfjs' own formula. Registered
 * globally (gradients are not per backend), so the fallback must stay exactly the stock one.
 */
const reluGradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    const onHeap = tf.getBackend() === 'wasm' && heapKernels() !== null && x.dtype === 'float32' && g.dtype === 'float32' && registered;
    return { x: () => (onHeap ? tf.engine().runKernel('HandgapReluGrad', { dy: g, x }, {}) as tf.Tensor : tf.mul(g, tf.cast(tf.step(x), 'float32'))) };
  },
};
let reluGradRegistered = false;

const OVERRIDES: Record<string, tf.KernelFunc> = {
  Conv2D: convForward('Conv2D') as never,
  FusedConv2D: convForward('FusedConv2D') as never,
  Conv2DBackpropFilter: conv2DBackpropFilterWasm as never,
  Conv2DBackpropInput: conv2DBackpropInputWasm as never,
  BatchMatMul: batchMatMulFast as never,
  Identity: identityShared as never,
  Sum: sumLeadingAxes as never,
};

let registered = false;
/** Register handgap's kernels for backendName 'wasm' (replacing the stock ones, which stay available inside). Idempotent. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const [name, kernelFunc] of Object.entries(OVERRIDES)) {
    const original = tf.getKernel(name, 'wasm');
    if (original && !stock.has(name)) stock.set(name, original);
    if (original) tf.unregisterKernel(name, 'wasm');
    // the stock setup (cwrap of the C++ entry points) still runs at backend initialisation, for the fallbacks
    tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: stock.get(name)?.setupFunc, kernelFunc });
  }
  if (!reluGradRegistered) {
    tf.registerKernel({ kernelName: 'HandgapReluGrad', backendName: 'wasm', kernelFunc: reluGradHeap as never });
    tf.registerKernel({ kernelName: 'HandgapBnStats', backendName: 'wasm', kernelFunc: bnStatsHeap as never });
    tf.registerKernel({ kernelName: 'HandgapBnAffine', backendName: 'wasm', kernelFunc: bnAffineHeap as never });
    tf.registerKernel({ kernelName: 'HandgapBnGradSums', backendName: 'wasm', kernelFunc: bnGradSumsHeap as never });
    tf.registerKernel({ kernelName: 'HandgapBnGradX', backendName: 'wasm', kernelFunc: bnGradXHeap as never });
    tf.registerGradient(reluGradConfig);
    reluGradRegistered = true;
  }
  registered = true;
}

/** Put the stock kernels back (benchmarks compare against the stock state). Conv2DBackpropFilter has none. */
export function unregisterWasmTrainingKernels(): void {
  if (!registered) return;
  for (const name of Object.keys(OVERRIDES)) {
    tf.unregisterKernel(name, 'wasm');
    const original = stock.get(name);
    if (original) tf.registerKernel(original);
  }
  registered = false;
}
