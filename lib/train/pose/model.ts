/**
 * The pose estimator: a fully convolutional residual network with batch norm that predicts, for each of
 * the 21 joints, a 2D heatmap and a depth map on a grid at 1/`heatmapStride` of the input crop. The
 * joint's 2D position is the soft-argmax of its heatmap (integral regression: the expectation of the
 * pixel grid under the softmax of the heatmap), its root-relative depth (in units of FreiHAND's bone
 * scale) the same expectation of its depth map, and its confidence the heatmap's peak probability.
 * 3D camera-frame joints follow from 2D + depth with the camera K and a root depth (lift.ts).
 *
 * Layout (batch norm: batch-norm.ts): stem 3×3/2 conv → stages of ResNet basic blocks (conv-BN-ReLU-conv-BN + skip, ReLU), stage
 * i>0 starts with stride 2 → 4×4/2 transposed convs (BN, ReLU) back up to the heatmap grid → 1×1 conv
 * to 2·21 maps (heatmaps, then depth maps). The trunk's total stride is 2^stages; the up-sampling layers
 * bring it to `heatmapStride` (SimpleBaseline's design, Xiao et al. 2018).
 */
import * as tf from '@tensorflow/tfjs';
import { HandgapBatchNorm } from './batch-norm.ts';
import type { PoseNetConfig } from './model-config.ts';
import { DEFAULT_LOSS, type LossWeights } from './model-config.ts';
export { STANDARD_POSENET, CPU_POSENET, CPU_LARGE_POSENET, RESNET_POSENET, TINY_POSENET, POSENET_PRESETS, DEFAULT_LOSS, heatmapSize, type PoseNetConfig, type LossWeights } from './model-config.ts';

export const JOINTS = 21;

export function buildPoseNet(cfg: PoseNetConfig): tf.LayersModel {
  if (cfg.widths.length !== cfg.blocks.length) throw new Error('PoseNetConfig: widths and blocks must have the same length');
  const hs = cfg.heatmapStride ?? 4, trunkStride = 2 ** cfg.widths.length;
  if (!Number.isInteger(Math.log2(hs)) || hs > trunkStride) throw new Error(`PoseNetConfig: heatmapStride ${hs} must be a power of 2 ≤ the trunk stride ${trunkStride}`);
  if (cfg.inputSize % trunkStride !== 0) throw new Error(`PoseNetConfig: inputSize ${cfg.inputSize} must be a multiple of the trunk stride ${trunkStride}`);
  let seed = cfg.seed * 1000;
  const he = () => tf.initializers.heNormal({ seed: seed++ });
  const conv = (x: tf.SymbolicTensor, name: string, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ name, filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
  // momentum 0.9: few hundred steps on CPU, so the running statistics must follow the weights quickly
  const bn = (x: tf.SymbolicTensor, name: string, zero = false) =>
    new HandgapBatchNorm({ name, momentum: 0.9, epsilon: 1e-5, gammaZero: zero }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [cfg.inputSize, cfg.inputSize, 3], name: 'image' });
  let x = relu(bn(conv(input, 'stem', cfg.widths[0], 3, 2), 'stem_bn'), 'stem_relu');
  let channels = cfg.widths[0];
  cfg.widths.forEach((w, s) => {
    for (let b = 0; b < cfg.blocks[s]; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1, name = `s${s}b${b}`;
      let h = relu(bn(conv(x, `${name}_c1`, w, 3, stride), `${name}_bn1`), `${name}_relu1`);
      // the block's last BN starts at γ = 0: each residual block starts as the identity (Goyal et al. 2017)
      h = bn(conv(h, `${name}_c2`, w, 3), `${name}_bn2`, true);
      const skip = stride !== 1 || channels !== w ? bn(conv(x, `${name}_proj`, w, 1, stride), `${name}_projbn`) : x;
      x = relu(tf.layers.add({ name: `${name}_add` }).apply([h, skip]) as tf.SymbolicTensor, `${name}_relu`);
      channels = w;
    }
  });
  for (let stride = trunkStride, u = 0; stride > hs; stride /= 2, u++) {
    const up = tf.layers.conv2dTranspose({ name: `up${u}`, filters: cfg.upWidth ?? cfg.widths[0] * 2, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
    x = relu(bn(up, `up${u}_bn`), `up${u}_relu`);
  }
  const maps = tf.layers.conv2d({ name: 'maps', filters: 2 * JOINTS, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 0.001, seed: seed++ }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: maps, name: 'handgap_posenet' });
}

/**
 * The maximum over axis 1 (kept), as a constant for the gradient. Subtracting it before exp (for range) does not
 * change a softmax, so its gradient is zero in exact arithmetic; taped as a plain max, tfjs would still compute
 * it as a mask (Equal, Cast, Multiply over the whole heatmap tensor: 6% of a training step on wasm).
 */
const maxOverGrid = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return { value: x.max(1, true), gradFunc: (_dy: tf.Tensor, saved: tf.Tensor[]) => tf.zerosLike(saved[0]) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/** Input normalisation applied inside the training step and prediction: [0, 1] → [−1, 1]. */
export function normaliseInput(x: tf.Tensor4D): tf.Tensor4D { return x.mul(2).sub(1) as tf.Tensor4D; }

export interface DecodedMaps {
  /** [B, 21, 2] joint positions in crop fractions (0..1 across the crop, pixel centres at (i + 0.5)/H). */
  uv: tf.Tensor3D;
  /** [B, 21] root-relative depth in units of the bone scale. */
  z: tf.Tensor2D;
  /** [B, 21] peak probability of the joint's heatmap (1/(H·W) when flat, → 1 when sharp). */
  confidence: tf.Tensor2D;
}

/**
 * Soft-argmax of the heatmaps and expectation of the depth maps (differentiable). The softmax runs over
 * the grid axis of [B, H·W, 21] directly (exp of logits minus their maximum, normalised), so no transpose.
 * The confidence is for downstream use (not trained on).
 */
export function decodeMaps(maps: tf.Tensor4D): DecodedMaps {
  const [B, H, W] = maps.shape;
  const flat = maps.reshape([B, H * W, 2 * JOINTS]);
  const logits = flat.slice([0, 0, 0], [B, H * W, JOINTS]);
  const depth = flat.slice([0, 0, JOINTS], [B, H * W, JOINTS]);
  // minus the maximum for range (softmax does not depend on it, so neither does the gradient)
  const e = tf.exp(logits.sub(maxOverGrid(logits)));
  const p = e.div(e.sum(1, true));
  const gu = new Float32Array(H * W), gv = new Float32Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { gu[y * W + x] = (x + 0.5) / W; gv[y * W + x] = (y + 0.5) / H; }
  const u = p.mul(tf.tensor3d(gu, [1, H * W, 1])).sum(1);
  const v = p.mul(tf.tensor3d(gv, [1, H * W, 1])).sum(1);
  return { uv: tf.stack([u, v], 2) as tf.Tensor3D, z: p.mul(depth).sum(1) as tf.Tensor2D, confidence: p.max(1) as tf.Tensor2D };
}


/**
 * Target distributions for the heatmaps: a Gaussian (σ = `sigma` cells) around each labelled joint,
 * normalised to sum 1 over the grid; [B, H·W, 21] (the layout decodeMaps' softmax uses). `uv`: [B·42]
 * crop fractions. Joints outside the crop get the distribution of their nearest cell.
 */
export function heatmapTargets(uv: Float32Array, B: number, H: number, sigma = 1): Float32Array {
  const out = new Float32Array(B * H * H * JOINTS);
  const g = new Float32Array(H * H);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < JOINTS; j++) {
      const cu = Math.min(H - 0.5, Math.max(0.5, uv[(b * JOINTS + j) * 2] * H)), cv = Math.min(H - 0.5, Math.max(0.5, uv[(b * JOINTS + j) * 2 + 1] * H));
      let sum = 0;
      for (let y = 0; y < H; y++) for (let x = 0; x < H; x++) {
        const v = Math.exp(-((x + 0.5 - cu) ** 2 + (y + 0.5 - cv) ** 2) / (2 * sigma * sigma));
        g[y * H + x] = v; sum += v;
      }
      for (let k = 0; k < H * H; k++) out[(b * H * H + k) * JOINTS + j] = g[k] / sum;
    }
  }
  return out;
}

/**
 * L1 on the soft-argmax positions (crop fractions ×10, so one unit is a tenth of the crop) and on the
 * root-relative depths (bone-scale units, ≈ 3 cm each), plus (weight `heatmap`) the cross-entropy of the
 * heatmap softmax against Gaussian targets (heatmapTargets), which gives every cell a gradient early on,
 * when the soft-argmax alone learns slowly. Targets: uv [B, 42] crop fractions, xyz [B, 63] root-relative
 * normalised joints (only z is used: x and y follow from uv and the camera), heat [B, H·W, 21] or null.
 */
export function poseLoss(maps: tf.Tensor4D, xyz: tf.Tensor2D, uv: tf.Tensor2D, w: LossWeights = DEFAULT_LOSS, heat: tf.Tensor3D | null = null): { total: tf.Scalar; xyz: tf.Scalar; uv: tf.Scalar } {
  const [B, H, W] = maps.shape;
  const d = decodeMaps(maps);
  const zTarget = xyz.reshape([B, JOINTS, 3]).slice([0, 0, 2], [B, JOINTS, 1]).reshape([B, JOINTS]);
  const lz = tf.mean(tf.abs(d.z.sub(zTarget))) as tf.Scalar;
  const luv = tf.mean(tf.abs(d.uv.reshape([B, 2 * JOINTS]).sub(uv))).mul(10) as tf.Scalar;
  let total = lz.mul(w.xyz).add(luv.mul(w.uv)) as tf.Scalar;
  if (heat && (w.heatmap ?? 0) > 0) {
    const logits = maps.reshape([B, H * W, 2 * JOINTS]).slice([0, 0, 0], [B, H * W, JOINTS]);
    const m = maxOverGrid(logits);
    const logp = logits.sub(m).sub(tf.log(tf.exp(logits.sub(m)).sum(1, true)));
    total = total.add(tf.neg(heat.mul(logp).sum()).div(B * JOINTS).mul(w.heatmap!)) as tf.Scalar;
  }
  return { total, xyz: lz, uv: luv };
}

/**
 * Start the depth maps at the mean training depth of each joint (the 1×1 head's depth biases), so step 0
 * predicts the mean depths at the crop centre. `meanZ`: 21 root-relative depths in bone-scale units.
 */
export function initHeadToMean(model: tf.LayersModel, meanZ: ArrayLike<number>): void {
  const layer = model.getLayer('maps');
  const [kernel, bias] = layer.getWeights();
  const b = bias.arraySync() as number[];
  for (let j = 0; j < JOINTS; j++) b[JOINTS + j] = meanZ[j];
  const nb = tf.tensor1d(b);
  layer.setWeights([kernel, nb]);
  nb.dispose();
}
