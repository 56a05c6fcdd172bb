/**
 * The compact pose estimator: a residual CNN (ResNet basic blocks, no batch norm) on a size×size×3 crop,
 * predicting 21×3 root-relative, scale-normalised joints and 21×2 joint pixels (divided by the input size).
 * Output: one dense vector of 105 = 63 (xyz) + 42 (uv).
 *
 * Why no batch norm: its backward pass runs as a dozen element-wise kernels per layer on wasm and the
 * small batches used on CPU make its statistics noisy; residual branches instead start near zero
 * (the last conv of each block is initialised ×0.1), which keeps a plain ReLU ResNet trainable with Adam.
 */
import * as tf from '@tensorflow/tfjs';

import type { PoseNetConfig } from './model-config.ts';
export { STANDARD_POSENET, TINY_POSENET, type PoseNetConfig } from './model-config.ts';

export const OUT_XYZ = 63, OUT_UV = 42;

export function buildPoseNet(cfg: PoseNetConfig): tf.LayersModel {
  if (cfg.widths.length !== cfg.blocks.length) throw new Error('PoseNetConfig: widths and blocks must have the same length');
  let seed = cfg.seed * 1000;
  const he = () => tf.initializers.heNormal({ seed: seed++ });
  const small = () => tf.initializers.varianceScaling({ scale: 0.02, mode: 'fanIn', distribution: 'normal', seed: seed++ });
  const input = tf.input({ shape: [cfg.inputSize, cfg.inputSize, 3], name: 'image' });
  // stem: stride-2 3×3 conv
  let x = tf.layers.conv2d({ name: 'stem', filters: cfg.widths[0], kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: he() }).apply(input) as tf.SymbolicTensor;
  let channels = cfg.widths[0];
  cfg.widths.forEach((w, s) => {
    for (let b = 0; b < cfg.blocks[s]; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const name = `s${s}b${b}`;
      let h = tf.layers.conv2d({ name: `${name}_c1`, filters: w, kernelSize: 3, strides: stride, padding: 'same', activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
      h = tf.layers.conv2d({ name: `${name}_c2`, filters: w, kernelSize: 3, padding: 'same', kernelInitializer: small() }).apply(h) as tf.SymbolicTensor;
      const skip = stride !== 1 || channels !== w
        ? tf.layers.conv2d({ name: `${name}_proj`, filters: w, kernelSize: 1, strides: stride, padding: 'same', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor
        : x;
      x = tf.layers.reLU({ name: `${name}_relu` }).apply(tf.layers.add({ name: `${name}_add` }).apply([h, skip]) as tf.SymbolicTensor) as tf.SymbolicTensor;
      channels = w;
    }
  });
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ name: 'fc', units: 256, activation: 'relu', kernelInitializer: he() }).apply(pooled) as tf.SymbolicTensor;
  // small head init: the first predictions are the bias, which the trainer sets to the mean target (initHeadToMean)
  const out = tf.layers.dense({ name: 'joints', units: OUT_XYZ + OUT_UV, kernelInitializer: tf.initializers.varianceScaling({ scale: 0.01, mode: 'fanIn', distribution: 'normal', seed: seed++ }) }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'handgap_posenet' });
}

/** Input normalisation applied inside the training step and prediction: [0, 1] → [−1, 1]. */
export function normaliseInput(x: tf.Tensor4D): tf.Tensor4D { return x.mul(2).sub(1) as tf.Tensor4D; }

export interface LossWeights { xyz: number; uv: number }
export const DEFAULT_LOSS: LossWeights = { xyz: 1, uv: 1 };

/**
 * L1 on both heads: xyz in bone-scale units (≈ 3 cm per unit), uv in crop fractions (×10 so one unit is
 * a tenth of the crop, a comparable magnitude). L1 because early in training a few far-off joints would
 * dominate an L2 loss.
 */
export function poseLoss(pred: tf.Tensor2D, xyz: tf.Tensor2D, uv: tf.Tensor2D, w: LossWeights = DEFAULT_LOSS): { total: tf.Scalar; xyz: tf.Scalar; uv: tf.Scalar } {
  const B = pred.shape[0];
  const p3 = pred.slice([0, 0], [B, OUT_XYZ]), p2 = pred.slice([0, OUT_XYZ], [B, OUT_UV]);
  const l3 = tf.mean(tf.abs(p3.sub(xyz))) as tf.Scalar;
  const l2 = tf.mean(tf.abs(p2.sub(uv))).mul(10) as tf.Scalar;
  return { total: l3.mul(w.xyz).add(l2.mul(w.uv)) as tf.Scalar, xyz: l3, uv: l2 };
}

/** Set the output bias to the mean target (105 values: xyz then uv), so training starts at the mean pose. */
export function initHeadToMean(model: tf.LayersModel, meanTarget: Float32Array): void {
  const layer = model.getLayer('joints');
  const [kernel] = layer.getWeights();
  const bias = tf.tensor1d(meanTarget);
  layer.setWeights([kernel, bias]);
  bias.dispose();
}
