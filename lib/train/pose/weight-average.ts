/**
 * An exponential moving average of a network's weights (every weight: the trainable ones and the batch-norm
 * moving statistics), kept beside the weights the optimiser moves. When a training config sets `ema`, the
 * average is what validation scores and what the checkpoint's model.json holds (so `handgap predict`, the
 * experiment steps and fine-tuning read it unchanged); the optimiser's own weights are kept in the
 * checkpoint's raw/ folder for an exact resume.
 *
 * Why: a model trained on renders scores real photos ~1.5 mm differently from one epoch to the next, with no
 * minimum common to the seeds (docs/walkthrough.md, learning curves). Averaging the late trajectory lands
 * in a flatter region, the usual remedy for that noise and for generalising across domains (Polyak
 * averaging; SWAD, Cha et al., NeurIPS 2021).
 */
import * as tf from '@tensorflow/tfjs';

/** The decay at a global step (0-based): the configured one, warmed up as min(decay, (1 + t) / (10 + t)) so the
 *  first steps' random weights do not linger in the average. */
export function averageDecay(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

export class WeightAverage {
  private readonly shadow: tf.Variable[];

  /** Start the average at `start` (a resumed checkpoint's average) or at the network's current weights. */
  constructor(private readonly model: tf.LayersModel, private readonly decay: number, start?: tf.Tensor[]) {
    const from = start ?? model.getWeights();
    if (from.length !== model.weights.length) throw new Error(`weight average: ${from.length} tensors for a network of ${model.weights.length} weights`);
    this.shadow = from.map((w) => tf.variable(w.clone(), false));
  }

  /** After the optimiser's step `step` (0-based): average ← d·average + (1 − d)·weights. */
  update(step: number): void {
    const d = averageDecay(this.decay, step);
    const weights = this.model.getWeights();
    tf.tidy(() => this.shadow.forEach((s, i) => s.assign(s.mul(d).add(weights[i].mul(1 - d)))));
  }

  /** Run `fn` with the network holding the average, then give it back the optimiser's weights. */
  async withAverage<T>(fn: () => Promise<T>): Promise<T> {
    const own = this.model.getWeights().map((w) => w.clone());
    this.model.setWeights(this.shadow);
    try {
      return await fn();
    } finally {
      this.model.setWeights(own);
      own.forEach((w) => w.dispose());
    }
  }

  dispose(): void {
    this.shadow.forEach((s) => s.dispose());
  }
}
