import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, initBackend } from '../../lib/train/backend.ts';
import { Rng } from '../../lib/util/rng.ts';

/** Conv gradients on wasm (handgap kernels) against the cpu backend's reference implementation. */
async function gradsOn(backend: 'cpu' | 'wasm', x: Float32Array, xShape: number[], w: Float32Array, wShape: number[], stride: number, pad: 'same' | 'valid') {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
    const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
    const out = tf.conv2d(xt, wt, stride, pad);
    const weight = tf.tensor(Array.from({ length: out.size }, (_, i) => Math.sin(i * 0.37)), out.shape); // dy ≠ 1
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), weight)));
    const [dx, dw] = g([xt, wt]);
    const bias = tf.tensor1d(Array.from({ length: wShape[3] }, (_, i) => Math.cos(i) * 0.5));
    const fused = tf.fused.conv2d({ x: xt, filter: wt, strides: stride, pad, bias, activation: 'relu' });
    return { dx: Float32Array.from(dx.dataSync()), dw: Float32Array.from(dw.dataSync()), y: Float32Array.from(out.dataSync()), fused: Float32Array.from(fused.dataSync()) };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('wasm conv2d, fused conv2d (bias, ReLU) and their gradients match cpu (stride 1/2/3, same/valid) to 1e-4', async () => {
  await initBackend({ force: 'wasm' });
  assert.match(describeBackend(), /handgap (relaxed-SIMD \(fused multiply-add\)|SIMD) kernels on \d thread/, 'the heap kernel must be the one under test');
  const rng = new Rng(7);
  const cases: Array<[number[], number[], number, 'same' | 'valid']> = [
    [[2, 9, 9, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 9, 9, 3], [3, 3, 3, 4], 1, 'valid'],
    [[2, 9, 10, 3], [3, 3, 3, 5], 2, 'same'],
    [[2, 9, 10, 3], [3, 3, 3, 5], 2, 'valid'],
    [[1, 8, 8, 4], [1, 1, 4, 6], 2, 'same'],
    [[3, 7, 7, 2], [5, 5, 2, 3], 2, 'same'],
    [[2, 11, 8, 3], [4, 4, 3, 2], 3, 'same'], // stride 3, even kernel: uneven taps per phase
    [[1, 12, 12, 2], [2, 2, 2, 3], 2, 'valid'],
    [[2, 16, 16, 4], [3, 3, 4, 8], 2, 'same'], // the pose model's strided layers (even size, pad 0/1)
    // output channels a multiple of 8: dW by the heap kernel (4-channel tiles, and 1-channel ones for the rest)
    [[2, 9, 9, 3], [3, 3, 3, 8], 1, 'same'],
    [[2, 9, 10, 6], [3, 3, 6, 16], 2, 'same'],
    [[2, 11, 8, 4], [4, 4, 4, 8], 3, 'same'],
    [[1, 12, 12, 8], [2, 2, 8, 8], 2, 'valid'],
    [[3, 7, 7, 5], [5, 5, 5, 8], 2, 'same'],
    [[1, 8, 8, 4], [1, 1, 4, 16], 2, 'same'],
    [[2, 3, 3, 4], [5, 5, 4, 8], 1, 'same'], // taps that miss the image entirely
    // input channels a multiple of 8: dx by the heap kernel (4-pixel tiles inside, single pixels at the borders)
    [[2, 9, 11, 8], [3, 3, 8, 4], 1, 'same'],
    [[2, 10, 10, 16], [3, 3, 16, 8], 2, 'same'],
    [[1, 11, 13, 8], [3, 3, 8, 3], 2, 'valid'],
    [[2, 11, 8, 8], [4, 4, 8, 2], 3, 'same'],
    [[1, 12, 12, 8], [1, 1, 8, 16], 2, 'same'],  // three of four phases get no tap: zeros
    [[2, 8, 8, 16], [5, 5, 16, 8], 1, 'same'],
    [[1, 3, 3, 8], [5, 5, 8, 8], 1, 'same'],     // no interior pixel at all
  ];
  for (const [xs, ws, stride, pad] of cases) {
    const x = Float32Array.from({ length: xs.reduce((a, b) => a * b) }, () => rng.uniform(-1, 1));
    const w = Float32Array.from({ length: ws.reduce((a, b) => a * b) }, () => rng.uniform(-1, 1));
    const ref = await gradsOn('cpu', x, xs, w, ws, stride, pad);
    const got = await gradsOn('wasm', x, xs, w, ws, stride, pad);
    const where = `x ${xs} w ${ws} stride ${stride} ${pad}`;
    assert.ok(maxAbsDiff(ref.dx, got.dx) < 1e-4, `dx ${where}: ${maxAbsDiff(ref.dx, got.dx)}`);
    assert.ok(maxAbsDiff(ref.dw, got.dw) < 1e-4, `dW ${where}: ${maxAbsDiff(ref.dw, got.dw)}`);
    assert.ok(maxAbsDiff(ref.y, got.y) < 1e-4, `conv2d ${where}: ${maxAbsDiff(ref.y, got.y)}`);
    assert.ok(maxAbsDiff(ref.fused, got.fused) < 1e-4, `fused conv2d + bias + relu ${where}: ${maxAbsDiff(ref.fused, got.fused)}`);
    assert.ok(got.fused.some((v) => v === 0) && got.fused.some((v) => v > 0.1), `fused ${where}: ReLU clips some outputs, not all`);
    assert.ok(Math.max(...ref.dw.map(Math.abs)) > 0.1, 'reference gradient is not trivially zero');
  }
});

test('HANDGAP_TF_BACKEND forcing: unknown name is rejected, cpu can be forced', async () => {
  await assert.rejects(initBackend({ force: 'tpu' }), /unknown backend "tpu"/);
  const c = await initBackend({ force: 'cpu' });
  assert.equal(c.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  await assert.rejects(initBackend({ force: 'tensorflow' }), /native 'tensorflow' backend|not installed/);
  const w = await initBackend({ force: 'wasm' });
  assert.equal(w.name, 'wasm');
});

test('threaded wasm: HANDGAP_WASM_THREADS=2 gives 2-thread pools, the same gradients as 1 thread with plain SIMD, bit for bit the same reductions as 1 thread with the same build, and the process exits', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const backendUrl = new URL('../../lib/train/backend.ts', import.meta.url).href;
  const script = `
    import * as tf from '@tensorflow/tfjs';
    const { initBackend, describeBackend } = await import(${JSON.stringify(backendUrl)});
    await initBackend({ force: 'wasm' });
    const x = tf.tensor4d(Array.from({ length: 2 * 24 * 24 * 8 }, (_, i) => Math.sin(i)), [2, 24, 24, 8]);
    const w = tf.tensor4d(Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i)), [3, 3, 8, 16]);
    const [dx, dw] = tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a, b, 1, 'same'))))([x, w]);
    const big = tf.tensor2d(Array.from({ length: 4096 * 32 }, (_, i) => Math.sin(i * 0.37)), [4096, 32]);
    const colSums = tf.sum(big, 0); // a heap-kernel reduction over slots
    console.log(JSON.stringify({ backend: describeBackend(), dx: Array.from(dx.dataSync().slice(0, 50)), dw: Array.from(dw.dataSync()), colSums: Array.from(colSums.dataSync()) }));`;
  const run = (threads: string, fma = '1') => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8', timeout: 120_000, cwd: fileURLToPath(new URL('../..', import.meta.url)), env: { ...process.env, HANDGAP_WASM_THREADS: threads, HANDGAP_WASM_FMA: fma },
    });
    assert.equal(r.status, 0, `child with ${threads} threads exited with ${r.status} (signal ${r.signal}): ${r.stderr.slice(-500)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { backend: string; dx: number[]; dw: number[]; colSums: number[] };
  };
  const two = run('2'), one = run('1', '0'); // also: the relaxed-SIMD build (where available) against plain SIMD
  assert.match(two.backend, /2 XNNPACK threads/);
  assert.match(two.backend, /kernels on 2 threads/);
  assert.match(one.backend, /handgap SIMD kernels on 1 thread/, 'HANDGAP_WASM_FMA=0: the plain SIMD build');
  assert.match(one.backend, /1 XNNPACK thread\b/);
  // the reductions add per-slot partials in slot order: the thread count and timing do not change a single bit
  const oneSameBuild = run('1');
  assert.deepEqual(two.dw, oneSameBuild.dw, 'filter gradient: 2 threads vs 1 thread, same build');
  assert.deepEqual(two.colSums, oneSameBuild.colSums, 'column sums: 2 threads vs 1 thread, same build');
  for (let i = 0; i < 50; i++) {
    assert.ok(Math.abs(two.dx[i] - one.dx[i]) <= 1e-3 * (1 + Math.abs(one.dx[i])), `dx[${i}]: ${two.dx[i]} vs ${one.dx[i]}`);
    assert.ok(Math.abs(two.dw[i] - one.dw[i]) <= 1e-3 * (1 + Math.abs(one.dw[i])), `dW[${i}]: ${two.dw[i]} vs ${one.dw[i]}`);
  }
});

test('wasm Sum over leading axes and ReLU gradient (heap kernels), and shared-memory Identity agree with cpu', async () => {
  const rng = new Rng(11);
  const cases: Array<[number[], number[], boolean]> = [
    [[16, 32, 32, 16], [0, 1, 2], false], // a bias gradient, split over threads
    [[3, 5, 7, 6], [0, 1, 2], true],      // C not a multiple of 4, keepDims
    [[4, 10], [0], false],
    [[2, 3, 4], [1], false],              // not a prefix: the stock kernel
    [[6, 5, 4], [0, 1, 2], false],        // every axis: the stock kernel
  ];
  for (const [shape, axis, keepDims] of cases) {
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.uniform(-1, 1));
    const on = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => { const s = tf.sum(tf.tensor(x, shape), axis, keepDims); return { shape: s.shape, v: Float32Array.from(s.dataSync()) }; });
    };
    const ref = await on('cpu'), got = await on('wasm');
    assert.deepEqual(got.shape, ref.shape, `shape of sum ${shape} over ${axis}`);
    assert.ok(maxAbsDiff(ref.v, got.v) < 1e-3, `sum ${shape} over ${axis}: ${maxAbsDiff(ref.v, got.v)}`);
  }
  // ReLU's gradient (one heap-kernel pass on wasm): dy where x > 0, else 0, for sizes with and without a SIMD tail
  for (const n of [7, 70_001]) {
    const xv = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : rng.uniform(-1, 1)));
    const dyv = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
    const on = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => Float32Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.tensor(dyv))))(tf.tensor(xv)).dataSync()));
    };
    const ref = await on('cpu'), got = await on('wasm');
    assert.equal(maxAbsDiff(ref, got), 0, `relu gradient, ${n} elements`);
    assert.ok(got.some((v) => v === 0) && got.some((v) => v !== 0), 'relu gradient: some pass, some are cut');
  }
  await tf.setBackend('wasm');
  const a = tf.tensor([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose(); // the clone shares a's memory: it must survive a's disposal
  assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
  b.dispose();
});

test('the committed training kernel .wasm files equal a rebuild of train-kernels.as', async () => {
  const { TRAIN_KERNEL_TARGETS } = await import('../../lib/train/kernels/wasm/build.ts');
  const { wasmMatchesSource } = await import('../../lib/util/asc.ts');
  for (const t of Object.values(TRAIN_KERNEL_TARGETS)) assert.ok(wasmMatchesSource(t), `${t.wasm} differs: run node --import tsx lib/train/kernels/wasm/build.ts`);
});
