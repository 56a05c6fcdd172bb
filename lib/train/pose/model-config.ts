/**
 * The pose network's configuration and its named sizes, apart from the network code (model.ts) so that a
 * training config is checked without loading TensorFlow.
 */
export interface PoseNetConfig {
  inputSize: number;     // 128
  widths: number[];      // channels per stage, e.g. [16, 32, 64, 128]; stage i>0 starts with stride 2
  blocks: number[];      // residual blocks per stage, e.g. [1, 1, 1, 1]
  seed: number;
}

export const STANDARD_POSENET: PoseNetConfig = { inputSize: 128, widths: [16, 32, 64, 128], blocks: [1, 1, 1, 1], seed: 1 };
/** A tiny variant that trains in seconds (tests). */
export const TINY_POSENET: PoseNetConfig = { inputSize: 64, widths: [8, 16, 32], blocks: [1, 1, 1], seed: 1 };
