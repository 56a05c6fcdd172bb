/**
 * Conv-net training throughput per tfjs backend, on the 3-conv 64×64 toy the backend issue measured
 * (input 64×64×3, conv3×3 16 s1 → 32 s2 → 64 s2, ReLU, global mean, dense 63, MSE, SGD, batch 16).
 * Baseline, measured in the same run: wasm with the stock Conv2DBackpropInput and a naive
 * Conv2DBackpropFilter built from forward conv2d (conv of transposed x and dy with dilation = stride), the
 * "before" state of the issue. With --cpu also the cpu backend (one step; minutes under load).
 *   node --import tsx bench/train-backends.ts [--seconds 6] [--batch 16] [--cpu]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/train/backend.ts';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../lib/train/kernels/wasm-kernels.ts';

const argv = process.argv.slice(2);
const opt = (k: string, d: number) => { const i = argv.indexOf(`--${k}`); return i >= 0 ? Number(argv[i + 1]) : d; };
const SECONDS = opt('seconds', 6), BATCH = opt('batch', 16);

function makeToy() {
  const init = (shape: number[]) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / shape.slice(0, -1).reduce((a, b) => a * b)), 'float32', 1));
  const p = { w1: init([3, 3, 3, 16]), w2: init([3, 3, 16, 32]), w3: init([3, 3, 32, 64]), wd: init([64, 63]) };
  const forward = (x: tf.Tensor4D) => {
    let h = tf.relu(tf.conv2d(x, p.w1 as tf.Variable<tf.Rank.R4>, 1, 'same'));
    h = tf.relu(tf.conv2d(h, p.w2 as tf.Variable<tf.Rank.R4>, 2, 'same'));
    h = tf.relu(tf.conv2d(h, p.w3 as tf.Variable<tf.Rank.R4>, 2, 'same'));
    return tf.matMul(tf.mean(h, [1, 2]), p.wd);
  };
  return { p, forward };
}

/** Steps/s of the toy on the active backend, within a time budget (at least 2 timed steps). */
async function stepsPerSecond(seconds: number, minSteps = 2, warmUp = true): Promise<{ sps: number; steps: number }> {
  const { p, forward } = makeToy();
  const opt = tf.train.sgd(1e-3);
  const x = tf.randomUniform([BATCH, 64, 64, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  const y = tf.randomNormal([BATCH, 63], 0, 1, 'float32', 3);
  const step = () => { const l = opt.minimize(() => tf.losses.meanSquaredError(y, forward(x)), true); l!.dataSync(); l!.dispose(); };
  if (warmUp) step(); // warm-up: kernel set-up, XNNPACK operator creation
  let steps = 0;
  const t0 = performance.now();
  while (steps < minSteps || performance.now() - t0 < seconds * 1000) { step(); steps++; }
  const sps = steps / ((performance.now() - t0) / 1000);
  x.dispose(); y.dispose(); opt.dispose(); Object.values(p).forEach((v) => v.dispose());
  return { sps, steps };
}

/** The "before" kernels: dW as a forward conv of transposed x and dy (dilation = stride). */
function registerNaiveFilterGrad(): void {
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const a = attrs as unknown as { strides: number | [number, number]; pad: 'same' | 'valid'; filterShape: number[] };
      const s = Array.isArray(a.strides) ? a.strides[0] : a.strides;
      const [kh, kw] = a.filterShape;
      return tf.tidy(() => {
        const info = tf.backend_util.computeConv2DInfo(x.shape, a.filterShape as [number, number, number, number], s, 1, a.pad);
        const xp = tf.pad(x, [[0, 0], [info.padInfo.top, info.padInfo.bottom + s], [info.padInfo.left, info.padInfo.right + s], [0, 0]]);
        const xT = tf.transpose(xp, [3, 1, 2, 0]); // [CI, H, W, B]
        const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, CO] as a filter
        const r = tf.conv2d(xT as tf.Tensor4D, dyT as tf.Tensor4D, 1, 'valid', 'NHWC', s); // [CI, ≥KH, ≥KW, CO]
        const out = tf.transpose(tf.slice(r, [0, 0, 0, 0], [-1, kh, kw, -1]), [1, 2, 0, 3]);
        return out;
      }) as unknown as tf.TensorInfo;
    },
  });
}

async function main(): Promise<void> {
  const rows: Array<{ name: string; sps: number; steps: number }> = [];
  if (argv.includes('--cpu')) {
    await initBackend({ force: 'cpu' });
    const cpu = await stepsPerSecond(0, 1, false); // one step: the cpu backend needs tens of seconds per step
    rows.push({ name: 'cpu', ...cpu });
    console.log(`cpu: ${cpu.sps.toFixed(4)} steps/s (${cpu.steps} steps)`);
  }

  await initBackend({ force: 'wasm' });
  unregisterWasmTrainingKernels();
  registerNaiveFilterGrad();
  const before = await stepsPerSecond(SECONDS);
  rows.push({ name: 'wasm, stock dx + naive dW (baseline)', ...before });
  console.log(`wasm before: ${before.sps.toFixed(2)} steps/s`);
  tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  registerWasmTrainingKernels();
  const after = await stepsPerSecond(SECONDS);
  rows.push({ name: 'wasm, handgap kernels', ...after });

  console.log(`\n3-conv 64×64 toy, batch ${BATCH}, ${tf.version.tfjs}`);
  console.log('backend                                  steps/s   images/s   ×baseline');
  for (const r of rows) console.log(`${r.name.padEnd(40)} ${r.sps.toFixed(4).padStart(8)} ${(r.sps * BATCH).toFixed(2).padStart(10)} ${(r.sps / before.sps).toFixed(2).padStart(10)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
