/**
 * Convolutions for the tfjs wasm backend, registered by wasm-kernels.ts: Conv2D and FusedConv2D (forward, with bias
 * and ReLU), Conv2DBackpropFilter (absent in the stock backend) and Conv2DBackpropInput (present but a naive loop).
 *   forward: the heap kernel conv2dForward (direct convolution, register tiles, bias and ReLU on the way out),
 *       threaded; fallback the stock XNNPACK kernels.
 *   dW: handgap's SIMD kernel reading x and dy on the backend's heap (heap-kernels.ts, wasm/train-kernels.as), threaded;
 *       fallback im2col + the backend's matMul, arranged as a plain [M,K]·[K,N] product (XNNPACK's fast path is
 *       taken only when neither operand is transposed: A^T·B with transposeA is ~12× slower);
 *   dx: a direct convolution of dy with the flipped filter, one stride-1 convolution per stride phase, on the heap
 *       kernel (threaded); fallbacks XNNPACK's Conv2D per phase, a zero-dilated dy, then matMul + col2im.
 * Only NHWC, groups = 1, dilation 1 (what tfjs' conv2d gradient produces for our models).
 */
import * as tf from '@tensorflow/tfjs';
import { heapKernels, heapOffset, REDUCE_SLOTS, sumParts, type TensorInfo, type WasmBackendLike } from './heap-kernels.ts';

const CHUNK_FLOATS = 24 * 1024 * 1024; // 96 MB im2col buffer at most
/** Output rows per grab of conv2dForward: a few, for filter reuse across them, and enough grabs to balance threads. */
export const convRowsPerGrab = (rows: number, threads: number): number => Math.max(1, Math.min(8, Math.ceil(rows / (4 * threads))));
const HEAP_CHUNK_BYTES = 64 * 1024; // x and dy rows per dW chunk (measured: 256 KiB no better, and coarser grabs balance worse)

/** Run the kernel registered for `name` on wasm (handgap's where it overrides, else the stock one). */
function runKernel(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>, backend: WasmBackendLike): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm ${name} kernel not registered`);
  return k.kernelFunc({ inputs: inputs as never, backend: backend as never, attrs: attrs as never }) as TensorInfo;
}

const matMul = (a: TensorInfo, b: TensorInfo, backend: WasmBackendLike): TensorInfo =>
  runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: false }, backend);

export const transpose = (x: TensorInfo, perm: number[], backend: WasmBackendLike): TensorInfo => runKernel('Transpose', { x }, { perm }, backend);

interface Geometry {
  batch: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  kH: number; kW: number; strideH: number; strideW: number; padTop: number; padLeft: number;
}

function geometry(xShape: number[], filterShape: number[], attrs: Record<string, unknown>): Geometry {
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') throw new Error(`handgap wasm conv: only NHWC is supported (got ${dataFormat})`);
  const dil = attrs.dilations as number | [number, number] | undefined;
  if (dil !== undefined && !(dil === 1 || (Array.isArray(dil) && dil[0] === 1 && dil[1] === 1))) {
    throw new Error('handgap wasm conv: dilations other than 1 are not supported');
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides as [number, number] | number, 1, attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined, false, 'channelsLast');
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    kH: info.filterHeight, kW: info.filterWidth, strideH: info.strideHeight, strideW: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/** dx[b, ih, iw, ci] += dcols[(b,oh,ow), (kh,kw,ci)] for batches [b0, b1) (dx pre-zeroed). */
function col2imAdd(dcols: Float32Array, g: Geometry, b0: number, b1: number, dx: Float32Array): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  const K = kH * kW * inC;
  let row = 0;
  for (let b = b0; b < b1; b++) {
    const xb = b * inH * inW * inC;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++, row++) {
        const iw0 = ow * strideW - padLeft;
        let o = row * K;
        for (let kh = 0; kh < kH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inH) { o += kW * inC; continue; }
          const xr = xb + ih * inW * inC;
          for (let kw = 0; kw < kW; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= inW) { o += inC; continue; }
            let s = xr + iw * inC;
            for (let c = 0; c < inC; c++) dx[s++] += dcols[o++];
          }
        }
      }
    }
  }
}

function batchesPerChunk(g: Geometry): number {
  const perBatch = g.outH * g.outW * g.kH * g.kW * g.inC;
  return Math.max(1, Math.min(g.batch, Math.floor(CHUNK_FLOATS / perBatch)));
}

/**
 * colsT[(kh,kw,ci), (b,oh,ow) - b0·OH·OW] for batches [b0, b1), read from xT = x transposed to [CI,B,H,W]
 * so that the inner loop walks rows of the image.
 */
function im2colT(xT: Float32Array, g: Geometry, b0: number, b1: number, colsT: Float32Array): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  const n = (b1 - b0) * outH * outW;
  let row = 0;
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      // valid ow range for this kw: 0 <= ow*sW + kw - padLeft < inW
      const owLo = Math.max(0, Math.ceil((padLeft - kw) / strideW));
      const owHi = Math.min(outW, Math.floor((inW - 1 + padLeft - kw) / strideW) + 1);
      for (let c = 0; c < inC; c++, row++) {
        let o = row * n;
        for (let b = b0; b < b1; b++) {
          const plane = (c * batch + b) * inH * inW;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * strideH + kh - padTop;
            if (ih < 0 || ih >= inH) { colsT.fill(0, o, o + outW); o += outW; continue; }
            const rowBase = plane + ih * inW + kw - padLeft;
            if (owLo > 0) colsT.fill(0, o, o + owLo);
            if (strideW === 1) {
              // contiguous run: a memcpy instead of an element loop
              if (owHi > owLo) colsT.set(xT.subarray(rowBase + owLo, rowBase + owHi), o + owLo);
            } else {
              for (let ow = owLo, q = o + owLo; ow < owHi; ow++) colsT[q++] = xT[rowBase + ow * strideW];
            }
            if (owHi < outW) colsT.fill(0, o + Math.max(owHi, owLo), o + outW);
            o += outW;
          }
        }
      }
    }
  }
}

type ConvForwardArgs = { inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo }; backend: WasmBackendLike; attrs: Record<string, unknown> };

/**
 * Conv2D / FusedConv2D on the heap kernel: out = conv(x, filter) [+ bias] [then ReLU], NHWC, output channels a
 * multiple of 8, bias per channel, activation linear or relu; null where it does not apply (the caller then runs the
 * stock kernel). On FMA hardware this beats XNNPACK's forward here (its build has no fused multiply-add).
 */
export function conv2DForwardHeap(args: ConvForwardArgs): TensorInfo | null {
  const { inputs: { x, filter, bias, preluActivationWeights }, backend, attrs } = args;
  const heap = heapKernels();
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (!heap || x.dtype !== 'float32' || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3])) return null; // only a per-channel bias
  let g: Geometry;
  try { g = geometry(x.shape, filter.shape, attrs); } catch { return null; }
  if (g.outC % 8 !== 0) return null;
  const out = backend.makeOutput([g.batch, g.outH, g.outW, g.outC], 'float32');
  const rows = g.batch * g.outH;
  heap.run('conv2dForward', [heapOffset(x, backend), heapOffset(filter, backend), heapOffset(out, backend),
    g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft,
    g.outH * g.outW * g.outC, g.outW * g.outC, g.outC, bias ? heapOffset(bias, backend) : 0, activation === 'relu' ? 1 : 0],
  rows, convRowsPerGrab(rows, heap.threads));
  return out;
}

/**
 * Conv2DBackpropFilter: inputs x [B,H,W,CI], dy [B,OH,OW,CO]; attrs.filterShape [KH,KW,CI,CO].
 *   dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sH + kh − pT, ow·sW + kw − pL, ci] · dy[b,oh,ow,co]
 * By conv2dFilterGrad (wasm/train-kernels.as) reading x and dy where they lie: register tiles of 4×8 dW entries, the
 * reduction over fixed slots of rows (each into a partial dW of its own, added up in slot order: the same sum on every
 * run), a slot's rows in cache-sized calls. XNNPACK's products (im2col + matMul, the
 * fallback) pack their second operand afresh on every call, and here that operand is an activation as large as x,
 * which cost as much as the product itself. The kernel wants CO a multiple of 8 (every layer of our models).
 */
export function conv2DBackpropFilterWasm(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackendLike; attrs: Record<string, unknown> }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const filterShape = attrs.filterShape as number[];
  const g = geometry(x.shape, filterShape, attrs);
  const heap = heapKernels();
  if (!heap || g.outC % 8 !== 0) return conv2DBackpropFilterIm2col(args);
  // one partial dW per slot of rows, zeroed, then added up here in slot order (dW is small next to x and dy)
  const size = filterShape.reduce((p, d) => p * d, 1), T = REDUCE_SLOTS;
  const parts = backend.makeOutput([T, ...filterShape], 'float32');
  backend.typedArrayFromHeap(parts).fill(0);
  // rows (b,oh) per grab: x and dy rows within ~64 KiB, which every tile of dW then reads from cache
  const rowBytes = (g.inW * g.inC * g.strideH + g.outW * g.outC) * 4;
  const rowsPerChunk = Math.max(1, Math.floor(HEAP_CHUNK_BYTES / rowBytes));
  heap.reduce('conv2dFilterGrad', [heapOffset(x, backend), heapOffset(dy, backend), heapOffset(parts, backend),
    g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft], g.batch * g.outH, rowsPerChunk, T);
  const out = backend.makeOutput(filterShape, 'float32');
  sumParts(backend.typedArrayFromHeap(parts), T, size, backend.typedArrayFromHeap(out));
  backend.disposeData(parts.dataId);
  return out;
}

/** Conv2DBackpropFilter by im2col + matMul (XNNPACK): where the heap kernel cannot run. */
export function conv2DBackpropFilterIm2col(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackendLike; attrs: Record<string, unknown> }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const filterShape = attrs.filterShape as number[];
  const g = geometry(x.shape, filterShape, attrs);
  const K = g.kH * g.kW * g.inC, CO = g.outC, rowsPerBatch = g.outH * g.outW;
  const chunk = batchesPerChunk(g);
  const xT = transpose(x, [3, 0, 1, 2], backend); // [CI,B,H,W]
  let out: TensorInfo | null = null;
  let acc: Float32Array | null = null; // dW [K, CO] summed over chunks
  for (let b0 = 0; b0 < g.batch; b0 += chunk) {
    const b1 = Math.min(g.batch, b0 + chunk), n = (b1 - b0) * rowsPerBatch;
    const colsT = backend.makeOutput([1, K, n], 'float32');
    im2colT(backend.typedArrayFromHeap(xT), g, b0, b1, backend.typedArrayFromHeap(colsT));
    const whole = b0 === 0 && b1 === g.batch;
    const dyChunk = whole ? { dataId: dy.dataId, shape: [1, n, CO], dtype: 'float32' } : backend.makeOutput([1, n, CO], 'float32');
    if (!whole) backend.typedArrayFromHeap(dyChunk).set(backend.typedArrayFromHeap(dy).subarray(b0 * rowsPerBatch * CO, b1 * rowsPerBatch * CO));
    const prod = matMul(colsT, dyChunk, backend); // [1, K, CO]
    backend.disposeData(colsT.dataId);
    if (!whole) backend.disposeData(dyChunk.dataId);
    if (whole) { out = prod; break; }
    const pv = backend.typedArrayFromHeap(prod);
    if (!acc) acc = new Float32Array(K * CO);
    for (let i = 0; i < K * CO; i++) acc[i] += pv[i];
    backend.disposeData(prod.dataId);
  }
  backend.disposeData(xT.dataId);
  if (!out) {
    out = backend.makeOutput(filterShape, 'float32');
    backend.typedArrayFromHeap(out).set(acc!);
  }
  out.shape = filterShape;
  return out;
}

/** The registered Conv2D, stride 1, explicit padding. */
const conv2DExplicit = (x: TensorInfo, filter: TensorInfo, pad: number[][], backend: WasmBackendLike): TensorInfo =>
  runKernel('Conv2D', { x, filter }, { strides: 1, pad, dataFormat: 'NHWC', dilations: [1, 1] }, backend);

/**
 * The filter taps rows × cols of filter [KH,KW,CI,CO], as a correlation filter for dx: [rows, cols, CO, CI]
 * (in and out channels swapped), entry (u, v) = tap (rows[u], cols[v]). Callers list the taps in reverse to flip.
 */
function tapsFilter(filter: TensorInfo, rows: number[], cols: number[], g: Geometry, backend: WasmBackendLike): TensorInfo {
  const { kW, inC: CI, outC: CO } = g;
  const sub = backend.makeOutput([rows.length, cols.length, CO, CI], 'float32');
  const wv = backend.typedArrayFromHeap(filter), sv = backend.typedArrayFromHeap(sub);
  rows.forEach((kh, u) => cols.forEach((kw, v) => {
    const src = (kh * kW + kw) * CI * CO, dst = (u * cols.length + v) * CO * CI;
    for (let ci = 0; ci < CI; ci++) for (let co = 0; co < CO; co++) sv[dst + co * CI + ci] = wv[src + ci * CO + co];
  }));
  return sub;
}

/**
 * Conv2DBackpropInput: inputs dy [B,OH,OW,CO], filter [KH,KW,CI,CO]; attrs.inputShape [B,H,W,CI].
 * dx is the correlation of dy with the flipped filter (channels swapped); strided, one such convolution per output
 * phase (conv2DBackpropInputPhases; stride 1 is the single-phase case). Each runs on the heap kernel conv2dForward,
 * which writes the phase straight into its strided places in dx (CI a multiple of 8), else on XNNPACK's Conv2D
 * and a scatter here (XNNPACK also packs the fresh flipped filter on every call).
 * Fallbacks for paddings the phases cannot express: the zero-dilated dy with the whole flipped filter, else
 * matMul + col2im.
 */
export function conv2DBackpropInputWasm(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackendLike; attrs: Record<string, unknown> }): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const inputShape = attrs.inputShape as number[];
  const g = geometry(inputShape, filter.shape, attrs);
  const dilH = (g.outH - 1) * g.strideH + 1, dilW = (g.outW - 1) * g.strideW + 1;
  const top = g.kH - 1 - g.padTop, left = g.kW - 1 - g.padLeft;
  const bottom = g.inH + g.padTop - dilH, right = g.inW + g.padLeft - dilW;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return conv2DBackpropInputCol2im(args);
  const phases = conv2DBackpropInputPhases(dy, filter, g, inputShape, backend);
  if (phases) return phases;
  // zero-dilated dy (s² more work than the phases), whole flipped filter
  const reversed = (k: number) => Array.from({ length: k }, (_, i) => k - 1 - i);
  const wFlipT = tapsFilter(filter, reversed(g.kH), reversed(g.kW), g, backend);
  const CO = g.outC;
  const d = backend.makeOutput([g.batch, dilH, dilW, CO], 'float32');
  const dv = backend.typedArrayFromHeap(d), yv = backend.typedArrayFromHeap(dy);
  dv.fill(0);
  let s = 0;
  for (let b = 0; b < g.batch; b++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    let o = ((b * dilH + oh * g.strideH) * dilW + ow * g.strideW) * CO;
    for (let c = 0; c < CO; c++) dv[o++] = yv[s++];
  }
  const out = conv2DExplicit(d, wFlipT, [[0, 0], [top, bottom], [left, right], [0, 0]], backend);
  backend.disposeData(wFlipT.dataId);
  backend.disposeData(d.dataId);
  return out;
}

/** One stride phase of a strided conv's input gradient: the taps and paddings along one axis. */
interface PhaseAxis { first: number; taps: number; count: number; padLo: number; padHi: number }

/**
 * Input rows ih = phase + s·i (i < count) receive dy rows oh = (ih + pad − k)/s for the taps k ≡ phase + pad (mod s):
 * k = first + s·t. As a stride-1 correlation of dy with the flipped taps, output i starts at dy row
 * i + (phase + pad − first)/s − (taps − 1), hence the paddings. Null when a padding would be negative.
 */
function phaseAxis(phase: number, stride: number, pad: number, kernel: number, inSize: number, outSize: number): PhaseAxis | null {
  const first = (phase + pad) % stride;
  const taps = first < kernel ? Math.ceil((kernel - first) / stride) : 0;
  const count = Math.ceil((inSize - phase) / stride);
  if (taps === 0 || count <= 0) return { first, taps: 0, count: Math.max(0, count), padLo: 0, padHi: 0 };
  const start = (phase + pad - first) / stride - (taps - 1);
  const padLo = -start, padHi = count - 1 + start + taps - 1 - (outSize - 1);
  if (padLo < 0 || padHi < 0) return null;
  return { first, taps, count, padLo, padHi };
}

/**
 * Conv2DBackpropInput as s² stride-1 convolutions, one per output phase (sub-pixel decomposition; stride 1: one): each
 * uses only the filter taps that reach that phase, so the work equals the forward convolution's instead of the
 * s²-fold waste of convolving a zero-dilated dy. Null when some phase's padding would be negative.
 */
function conv2DBackpropInputPhases(dy: TensorInfo, filter: TensorInfo, g: Geometry, inputShape: number[], backend: WasmBackendLike): TensorInfo | null {
  const { strideH: sH, strideW: sW, kH, kW, inC: CI, inH, inW, batch } = g;
  const rows: PhaseAxis[] = [], cols: PhaseAxis[] = [];
  for (let a = 0; a < sH; a++) { const r = phaseAxis(a, sH, g.padTop, kH, inH, g.outH); if (!r) return null; rows.push(r); }
  for (let c = 0; c < sW; c++) { const r = phaseAxis(c, sW, g.padLeft, kW, inW, g.outW); if (!r) return null; cols.push(r); }
  // one phase's dx [B, R.count, C.count, CI]: dy correlated with the taps reaching it, flipped (tap first + s·(taps−1−u))
  const flipped = (P: PhaseAxis, st: number) => Array.from({ length: P.taps }, (_, u) => P.first + st * (P.taps - 1 - u));
  const heap = heapKernels();
  if (heap && CI % 8 === 0) {
    // the heap kernel writes each phase straight into its strided places in dx
    const out = backend.makeOutput(inputShape, 'float32');
    const empty = rows.some((R) => R.taps === 0 || R.count === 0) || cols.some((C) => C.taps === 0 || C.count === 0);
    if (empty) backend.typedArrayFromHeap(out).fill(0); // phases no tap reaches stay zero
    const CO = g.outC;
    for (let a = 0; a < sH; a++) for (let c = 0; c < sW; c++) {
      const R = rows[a], C = cols[c];
      if (R.taps === 0 || C.taps === 0 || R.count === 0 || C.count === 0) continue;
      const sub = tapsFilter(filter, flipped(R, sH), flipped(C, sW), g, backend);
      const outRows = batch * R.count;
      heap.run('conv2dForward', [heapOffset(dy, backend), heapOffset(sub, backend), heapOffset(out, backend) + (a * inW + c) * CI * 4,
        batch, g.outH, g.outW, CO, R.count, C.count, CI, R.taps, C.taps, 1, 1, R.padLo, C.padLo,
        inH * inW * CI, sH * inW * CI, sW * CI, 0, 0], outRows, convRowsPerGrab(outRows, heap.threads));
      backend.disposeData(sub.dataId);
    }
    return out;
  }
  const phaseConv = (R: PhaseAxis, C: PhaseAxis): TensorInfo => {
    const sub = tapsFilter(filter, flipped(R, sH), flipped(C, sW), g, backend);
    const part = conv2DExplicit(dy, sub, [[0, 0], [R.padLo, R.padHi], [C.padLo, C.padHi], [0, 0]], backend);
    backend.disposeData(sub.dataId);
    return part;
  };
  if (sH === 1 && sW === 1) return phaseConv(rows[0], cols[0]); // the one phase is all of dx
  const out = backend.makeOutput(inputShape, 'float32');
  backend.typedArrayFromHeap(out).fill(0);
  for (let a = 0; a < sH; a++) for (let c = 0; c < sW; c++) {
    const R = rows[a], C = cols[c];
    if (R.taps === 0 || C.taps === 0 || R.count === 0 || C.count === 0) continue; // no tap reaches this phase: zero
    const part = phaseConv(R, C);
    const pv = backend.typedArrayFromHeap(part), dx = backend.typedArrayFromHeap(out);
    let q = 0;
    for (let b = 0; b < batch; b++) for (let i = 0; i < R.count; i++) {
      const rowBase = (b * inH + a + sH * i) * inW;
      for (let j = 0; j < C.count; j++) {
        dx.set(pv.subarray(q, q + CI), (rowBase + c + sW * j) * CI);
        q += CI;
      }
    }
    backend.disposeData(part.dataId);
  }
  return out;
}

/** Conv2DBackpropInput by matMul + col2im (fallback for paddings the conv form cannot express): inputs dy [B,OH,OW,CO], filter [KH,KW,CI,CO]; attrs.inputShape [B,H,W,CI]. */
function conv2DBackpropInputCol2im(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackendLike; attrs: Record<string, unknown> }): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const inputShape = attrs.inputShape as number[];
  const g = geometry(inputShape, filter.shape, attrs);
  const K = g.kH * g.kW * g.inC, CO = g.outC, rowsPerBatch = g.outH * g.outW;
  const chunk = batchesPerChunk(g);
  const out = backend.makeOutput(inputShape, 'float32');
  const wT = backend.makeOutput([1, CO, K], 'float32');
  {
    const wv = backend.typedArrayFromHeap(filter), wTv = backend.typedArrayFromHeap(wT);
    for (let k = 0; k < K; k++) for (let c = 0; c < CO; c++) wTv[c * K + k] = wv[k * CO + c];
  }
  backend.typedArrayFromHeap(out).fill(0);
  for (let b0 = 0; b0 < g.batch; b0 += chunk) {
    const b1 = Math.min(g.batch, b0 + chunk), n = (b1 - b0) * rowsPerBatch;
    const whole = b0 === 0 && b1 === g.batch;
    const dyChunk = whole ? { dataId: dy.dataId, shape: [1, n, CO], dtype: 'float32' } : backend.makeOutput([1, n, CO], 'float32');
    if (!whole) backend.typedArrayFromHeap(dyChunk).set(backend.typedArrayFromHeap(dy).subarray(b0 * rowsPerBatch * CO, b1 * rowsPerBatch * CO));
    const dcols = matMul(dyChunk, wT, backend); // [1, n, K]
    col2imAdd(backend.typedArrayFromHeap(dcols), g, b0, b1, backend.typedArrayFromHeap(out));
    backend.disposeData(dcols.dataId);
    if (!whole) backend.disposeData(dyChunk.dataId);
  }
  backend.disposeData(wT.dataId);
  return out;
}
