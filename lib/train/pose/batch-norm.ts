/**
 * Batch normalisation over N·H·W per channel (NHWC), as a layer with its own gradient.
 *
 * Why not tf.layers.batchNormalization: in training it runs tf.moments then tf.batchNorm, whose generic
 * gradient tiles the per-channel statistics to the full activation shape several times and also
 * differentiates through the moments (mean, square, mean); profiled on wasm that was the largest cost of
 * a training step (Tile alone more than all the convolutions' backward passes). Here the forward pass is
 * y = x·a + b with a = γ/σ and b = β − μ·a, and the backward pass is the closed form
 *   x̂ = (x − μ)/σ,  dβ = Σ dy,  dγ = Σ dy·x̂,  dx = (γ/σ)·(dy − dβ/M − x̂·dγ/M)
 * with per-channel vectors broadcast (never tiled) and the sums over the leading axis of an [M, C] view
 * (the wasm Sum kernel's column sums). On wasm with handgap's heap kernels, each of these is one pass over the
 * activation (HandgapBn*: statistics, affine map, both gradient sums together, input gradient). Inference uses
 * the moving averages, as Keras does.
 */
import * as tf from '@tensorflow/tfjs';
import { heapBatchNormAvailable } from '../kernels/wasm-kernels.ts';

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export interface HandgapBatchNormArgs { name?: string; momentum?: number; epsilon?: number; gammaZero?: boolean; trainable?: boolean }

/** Per-channel statistics of x viewed as [M, C]: mean and biased variance. */
function moments2d(x2: tf.Tensor2D): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const M = x2.shape[0];
  const mean = x2.sum(0).div(M) as tf.Tensor1D;
  const variance = tf.square(x2.sub(mean)).sum(0).div(M) as tf.Tensor1D;
  return { mean, variance };
}

/**
 * Training-mode batch norm with the closed-form gradient. Returns y and (through `stats`) the batch mean
 * and variance for the moving averages.
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, stats?: { mean?: tf.Tensor1D; variance?: tf.Tensor1D }): tf.Tensor {
  const shape = x.shape, C = shape[shape.length - 1], M = x.size / C;
  if (heapBatchNormAvailable(x)) return batchNormTrainHeap(x, gamma, beta, epsilon, stats);
  const f = tf.customGrad(((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const x2 = xi.reshape([M, C]) as tf.Tensor2D;
    const { mean, variance } = moments2d(x2);
    const rstd = tf.rsqrt(variance.add(epsilon));
    const a = (g as tf.Tensor1D).mul(rstd);
    const y = x2.mul(a).add((b as tf.Tensor1D).sub(mean.mul(a))).reshape(shape);
    if (stats) { stats.mean = tf.keep(mean.clone()); stats.variance = tf.keep(variance.clone()); }
    save([x2, mean, rstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, rs, gs] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const dy2 = dy.reshape([M, C]) as tf.Tensor2D;
        const xhat = xs.sub(mu).mul(rs);
        const dBeta = dy2.sum(0) as tf.Tensor1D;
        const dGamma = dy2.mul(xhat).sum(0) as tf.Tensor1D;
        const dx = dy2.sub(xhat.mul(dGamma.div(M))).sub(dBeta.div(M)).mul(gs.mul(rs)).reshape(shape);
        return [dx, dGamma, dBeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, gamma, beta);
}

/** The same computation on the wasm heap kernels (lib/train/kernels/wasm-kernels.ts HandgapBn*). */
function batchNormTrainHeap(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, stats?: { mean?: tf.Tensor1D; variance?: tf.Tensor1D }): tf.Tensor {
  const shape = x.shape, C = shape[shape.length - 1], M = x.size / C;
  const run = (name: string, inputs: Record<string, tf.Tensor>) => tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, {});
  const f = tf.customGrad(((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [mean, variance] = run('HandgapBnStats', { x: xi }) as tf.Tensor1D[];
    const rstd = tf.rsqrt(variance.add(epsilon)) as tf.Tensor1D;
    const a = g.mul(rstd);
    const y = run('HandgapBnAffine', { x: xi, a, b: b.sub(mean.mul(a)) }) as tf.Tensor;
    if (stats) { stats.mean = tf.keep(mean.clone()); stats.variance = tf.keep(variance.clone()); }
    save([xi, mean, rstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, rs, gs] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const sums = run('HandgapBnGradSums', { dy, x: xs, mean: mu }) as tf.Tensor1D;
        const dBeta = sums.slice(0, C), dGamma = sums.slice(C, C).mul(rs) as tf.Tensor1D;
        // dx = k·(dy − dβ/M − x̂·dγ/M), k = γ/σ, x̂ = (x − μ)/σ, folded into dy·p + x·q + r
        const k = gs.mul(rs), q = k.mul(rs).mul(dGamma).div(-M);
        const r = k.mul(dBeta).div(-M).sub(q.mul(mu));
        const dx = run('HandgapBnGradX', { dy, x: xs, p: k, q, r }) as tf.Tensor;
        return [dx, dGamma, dBeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, gamma, beta);
}

export class HandgapBatchNorm extends tf.layers.Layer {
  static className = 'HandgapBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  readonly gammaZero: boolean;
  private gamma!: LayerVariable;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: HandgapBatchNormArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
    this.gammaZero = args.gammaZero ?? false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const C = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [C], 'float32', this.gammaZero ? tf.initializers.zeros() : tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [C], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [C], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [C], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const gamma = this.gamma.read() as tf.Tensor1D, beta = this.beta.read() as tf.Tensor1D;
    if (!kwargs.training) {
      return tf.tidy(() => {
        const a = gamma.mul(tf.rsqrt(this.movingVariance.read().add(this.epsilon)));
        return x.mul(a).add(beta.sub(this.movingMean.read().mul(a)));
      });
    }
    const stats: { mean?: tf.Tensor1D; variance?: tf.Tensor1D } = {};
    const y = batchNormTrain(x, gamma, beta, this.epsilon, stats);
    tf.tidy(() => {
      const d = 1 - this.momentum;
      this.movingMean.write(this.movingMean.read().mul(this.momentum).add(stats.mean!.mul(d)));
      this.movingVariance.write(this.movingVariance.read().mul(this.momentum).add(stats.variance!.mul(d)));
    });
    stats.mean!.dispose(); stats.variance!.dispose();
    return y;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] { return inputShape; }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, gammaZero: this.gammaZero };
  }
}
tf.serialization.registerClass(HandgapBatchNorm);
