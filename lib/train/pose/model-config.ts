/**
 * The pose network's configuration and its named sizes, apart from the network code (model.ts) so that a
 * training config is checked without loading TensorFlow.
 */
export interface PoseNetConfig {
  inputSize: number;     // crop side in pixels (64–128 on CPU, 224 on GPU)
  widths: number[];      // channels per stage; stage i>0 starts with stride 2
  blocks: number[];      // residual blocks per stage
  seed: number;
  /** Input pixels per heatmap cell (default 4): 64 px → 16×16 maps. */
  heatmapStride?: number;
  /** Channels of the transposed-conv up-sampling layers (default: the first stage's width × 2). */
  upWidth?: number;
}

/** Demo scale on 2 CPU cores (wasm): 64 px crops, 16×16 maps, ≈ 0.3 M parameters. */
export const CPU_POSENET: PoseNetConfig = { inputSize: 64, widths: [24, 48, 96], blocks: [1, 1, 1], seed: 1, heatmapStride: 4, upWidth: 48 };
/**
 * The CPU model with twice the widths and a second block in the last two stages (≈ 1.8 M parameters, the size of
 * the calibration network): about 2.4× the CPU model's time per step on 2 cores, so for study-scale
 * runs, not the 30-minute demo (docs/training.md, "Named configurations", what it measured).
 */
export const CPU_LARGE_POSENET: PoseNetConfig = { inputSize: 64, widths: [48, 96, 192], blocks: [1, 2, 2], seed: 1, heatmapStride: 4, upWidth: 96 };
/** Paper scale on a GPU (tfjs-node-gpu): ResNet-18-class trunk at 224 px, 56×56 maps (≈ 14 M parameters). */
export const RESNET_POSENET: PoseNetConfig = { inputSize: 224, widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2], seed: 1, heatmapStride: 4, upWidth: 128 };
/** A tiny variant that trains in seconds (tests). */
export const TINY_POSENET: PoseNetConfig = { inputSize: 64, widths: [8, 16, 32], blocks: [1, 1, 1], seed: 1, heatmapStride: 4, upWidth: 16 };
/** The default when a config names no model: the CPU model. */
export const STANDARD_POSENET = CPU_POSENET;

/** The named configurations (config `model: "cpu"` etc.). */
export const POSENET_PRESETS: Record<string, PoseNetConfig> = { cpu: CPU_POSENET, 'cpu-large': CPU_LARGE_POSENET, resnet: RESNET_POSENET, tiny: TINY_POSENET };

/** Side of the heatmap grid in cells. */
export function heatmapSize(cfg: PoseNetConfig): number { return Math.round(cfg.inputSize / (cfg.heatmapStride ?? 4)); }

export interface LossWeights {
  /** weight of the depth term */ xyz: number;
  /** weight of the 2D (soft-argmax) term */ uv: number;
  /** weight of the heatmap cross-entropy against a Gaussian at the labelled joint (0: integral loss only) */ heatmap?: number;
}
export const DEFAULT_LOSS: LossWeights = { xyz: 3, uv: 1, heatmap: 0.1 };
