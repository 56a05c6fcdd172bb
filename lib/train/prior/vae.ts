/**
 * The VAE occlusion prior as released with the study: encoder 63 → 512 → 512 → 512 → (μ, log σ²) with a
 * 32-d latent, decoder 32 → 512 ×5 → 63, ReLU; during training every joint is masked (xyz zeroed) with
 * probability 0.5; loss = MSE(reconstruction, full target) + klWeight·KL; Adam.
 * Poses are prior vectors (see poses.ts): root-relative, metres, left hands mirrored.
 * The loss is normalised as in the released VAEPose code (klTerm below): the MSE averages over all
 * B × 63 coordinates and the KL sum is divided by the same count; `inputScale` multiplies metres before the
 * network and the loss (default 1: metres, as released). docs/training.md has the measured effect of both.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../util/rng.ts';
import { fileHandler, readCheckpointMeta, saveOptimizerState, loadOptimizerState, commitCheckpoint, openCheckpoint } from '../checkpoint.ts';
import { D, NJ, maskPoses, fillOccluded } from './poses.ts';
import { InputError } from '../../util/errors.ts';
import fs from 'node:fs';
import path from 'node:path';
import { parsePriorMeta, DEFAULT_VAE, type VaeConfig } from './config.ts';

export { DEFAULT_VAE, type VaeConfig } from './config.ts';

function mlp(name: string, input: number, hidden: number, layers: number, output: number, seed: number): tf.LayersModel {
  const m = tf.sequential({ name });
  for (let i = 0; i < layers; i++) {
    m.add(tf.layers.dense({ name: `${name}_h${i}`, units: hidden, activation: 'relu', inputShape: i === 0 ? [input] : undefined, kernelInitializer: tf.initializers.heNormal({ seed: seed + i }) }));
  }
  m.add(tf.layers.dense({ name: `${name}_out`, units: output, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 100 }) }));
  return m;
}

/** The one-unit folder of a saved prior inside its run folder. */
const PRIOR_MODEL = 'model';

/**
 * The folder holding a prior's encoder/ and decoder/: `<dir>/model` of a run folder (repaired first if a
 * kill fell between the two renames of its commit), or `dir` itself when it holds them (a model folder
 * given directly, or a save from before one-unit saves).
 */
export function priorModelDir(dir: string): string {
  if (fs.existsSync(path.join(dir, 'encoder'))) return dir;
  const unit = path.join(dir, PRIOR_MODEL);
  openCheckpoint(unit);
  return fs.existsSync(unit) ? unit : dir;
}

/**
 * The KL divergence of N(μ, σ²) from N(0, I), −½ Σ (1 + log σ² − μ² − σ²), normalised as `normalisation` says
 * (see VaeConfig.klNormalisation): 'per-element' divides the sum over batch and latent by B × 63,
 * 'per-sample' by B.
 */
export function klTerm(mu: tf.Tensor2D, logvar: tf.Tensor2D, normalisation: VaeConfig['klNormalisation']): tf.Scalar {
  const B = mu.shape[0];
  const sum = tf.sum(tf.scalar(1).add(logvar).sub(mu.square()).sub(logvar.exp())).mul(-0.5);
  return sum.div(normalisation === 'per-element' ? B * D : B) as tf.Scalar;
}

export interface VaeLog { step: number; loss: number; recon: number; kl: number }

export class OcclusionVae {
  readonly optimizer: tf.Optimizer;
  step = 0;

  private constructor(readonly cfg: VaeConfig, readonly encoder: tf.LayersModel, readonly decoder: tf.LayersModel) {
    this.optimizer = tf.train.adam(cfg.learningRate);
  }

  static create(cfg: Partial<VaeConfig> = {}): OcclusionVae {
    const c = { ...DEFAULT_VAE, ...cfg };
    return new OcclusionVae(c,
      mlp('vae_enc', D, c.hidden, c.encoderLayers, 2 * c.latent, c.seed * 1000),
      mlp('vae_dec', c.latent, c.hidden, c.decoderLayers, D, c.seed * 1000 + 500));
  }

  /** Load from a directory written by save() (its model/ unit), or from a folder holding encoder/ and decoder/ itself. */
  static async load(at: string): Promise<OcclusionVae> {
    const dir = priorModelDir(at);
    const file = path.join(dir, 'encoder', 'model.json');
    const raw = readCheckpointMeta(path.join(dir, 'encoder'));
    if (!raw.vae) throw new InputError(file, 'userDefinedMetadata.vae missing: not an occlusion prior');
    const meta = parsePriorMeta(raw, `${file} (userDefinedMetadata)`);
    const cfg = meta.vae;
    const decStep = readCheckpointMeta(path.join(dir, 'decoder')).step;
    if (decStep !== meta.step) throw new InputError(dir, `encoder (step ${meta.step}) and decoder (step ${String(decStep)}) are from different saves (an interrupted save); train afresh`);
    const enc = await tf.loadLayersModel(fileHandler(path.join(dir, 'encoder')));
    const dec = await tf.loadLayersModel(fileHandler(path.join(dir, 'decoder')));
    const vae = new OcclusionVae(cfg, enc, dec);
    vae.step = meta.step;
    if (await loadOptimizerState(path.join(dir, 'encoder'), vae.optimizer) && vae.optimizer.iterations !== vae.step) {
      throw new InputError(path.join(dir, 'encoder', 'optimizer.json'), `optimizer state is of step ${vae.optimizer.iterations}, the weights of step ${vae.step} (an interrupted save); train afresh`);
    }
    return vae;
  }

  /**
   * Save encoder, decoder and optimizer state as one unit into `<dir>/model/` (commitCheckpoint: written
   * into a fresh folder, then renamed), so a kill mid-save leaves the previous save or this one, never a mix.
   */
  async save(dir: string, extra: Record<string, unknown> = {}): Promise<void> {
    const meta = { vae: this.cfg, step: this.step, ...extra };
    await commitCheckpoint(path.join(dir, PRIOR_MODEL), { step: this.step, epoch: 0, dataOrder: { seed: this.cfg.seed }, identity: { vae: this.cfg } }, async (tmp) => {
      await this.encoder.save(fileHandler(path.join(tmp, 'encoder'), meta));
      await this.decoder.save(fileHandler(path.join(tmp, 'decoder'), meta));
      await saveOptimizerState(path.join(tmp, 'encoder'), this.optimizer);
    });
  }

  /** One Adam step on a batch of prior vectors (B×63, metres); masks and noise from rng. */
  trainStep(batch: Float32Array, rng: Rng): VaeLog {
    const B = batch.length / D, { latent, inputScale, klWeight, maskProb, klNormalisation } = this.cfg;
    const vis = new Uint8Array(B * NJ);
    for (let i = 0; i < vis.length; i++) vis[i] = rng.random() < maskProb ? 0 : 1;
    const masked = maskPoses(batch, vis);
    const eps = new Float32Array(B * latent);
    for (let i = 0; i < eps.length; i++) eps[i] = rng.normal();
    const vars = [...this.encoder.trainableWeights, ...this.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
    let parts: [number, number] = [0, 0];
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(masked, [B, D]).mul(inputScale);
      const target = tf.tensor2d(batch, [B, D]).mul(inputScale);
      const e = tf.tensor2d(eps, [B, latent]);
      const { value, grads } = tf.variableGrads(() => {
        const h = this.encoder.apply(x, { training: true }) as tf.Tensor2D;
        const mu = h.slice([0, 0], [B, latent]), logvar = h.slice([0, latent], [B, latent]);
        const z = mu.add(e.mul(logvar.mul(0.5).exp()));
        const rec = this.decoder.apply(z, { training: true }) as tf.Tensor2D;
        const mse = tf.losses.meanSquaredError(target, rec) as tf.Scalar; // mean over B × 63, as F.mse_loss
        const kl = klTerm(mu, logvar, klNormalisation);
        parts = [mse.dataSync()[0], kl.dataSync()[0]];
        return mse.add(kl.mul(klWeight)) as tf.Scalar;
      }, vars);
      this.optimizer.applyGradients(grads);
      return value;
    });
    const l = loss.dataSync()[0];
    loss.dispose();
    this.step++;
    return { step: this.step, loss: l, recon: parts[0], kl: parts[1] };
  }

  /** Decoder(μ(encoder(masked poses))) in metres, B×63. `masked` must already have occluded joints zeroed. */
  reconstruct(masked: Float32Array): Float32Array {
    const B = masked.length / D, { latent, inputScale } = this.cfg;
    return tf.tidy(() => {
      const h = this.encoder.predict(tf.tensor2d(masked, [B, D]).mul(inputScale)) as tf.Tensor2D;
      const rec = this.decoder.predict(h.slice([0, 0], [B, latent])) as tf.Tensor2D;
      return Float32Array.from(rec.div(inputScale).dataSync());
    });
  }

  /** Replace occluded joints (visible = 0) of predicted prior vectors with the prior's reconstruction. */
  refine(pred: Float32Array, visible: Uint8Array): Float32Array {
    return fillOccluded(pred, this.reconstruct(maskPoses(pred, visible)), visible);
  }

  /**
   * Refinement by fitting the latent: start at μ(encoder(masked)), then `iterations` Adam steps on z to
   * match the visible joints (squared error in network units + priorWeight·|z|²), decoder fixed; occluded
   * joints are replaced by decoder(z). Slower than refine(), usually closer on heavy occlusion.
   * The squared error is taken in centimetres whatever `inputScale` is, so priorWeight means the same for
   * a prior trained in metres or in centimetres.
   */
  refineFit(pred: Float32Array, visible: Uint8Array, opts: { iterations?: number; lr?: number; priorWeight?: number } = {}): Float32Array {
    const B = pred.length / D, { latent, inputScale } = this.cfg;
    const masked = maskPoses(pred, visible);
    const coordMask = new Float32Array(B * D);
    for (let i = 0; i < B * NJ; i++) if (visible[i]) coordMask.fill(1, i * 3, i * 3 + 3);
    const z = tf.variable(tf.tidy(() => (this.encoder.predict(tf.tensor2d(masked, [B, D]).mul(inputScale)) as tf.Tensor2D).slice([0, 0], [B, latent])), true, undefined, 'float32');
    const obs = tf.tensor2d(masked, [B, D]).mul(inputScale), m = tf.tensor2d(coordMask, [B, D]);
    const opt = tf.train.adam(opts.lr ?? 0.05);
    const w = opts.priorWeight ?? 1e-3, toCm = 100 / inputScale;
    for (let it = 0; it < (opts.iterations ?? 50); it++) {
      opt.minimize(() => {
        const rec = this.decoder.apply(z) as tf.Tensor2D;
        return tf.mean(tf.sum(rec.sub(obs).mul(m).mul(toCm).square(), 1)).add(tf.mean(tf.sum(z.square(), 1)).mul(w)) as tf.Scalar;
      }, false, [z]);
    }
    const rec = tf.tidy(() => Float32Array.from((this.decoder.predict(z) as tf.Tensor2D).div(inputScale).dataSync()));
    z.dispose(); obs.dispose(); m.dispose(); opt.dispose();
    return fillOccluded(pred, rec, visible);
  }

  dispose(): void { this.encoder.dispose(); this.decoder.dispose(); this.optimizer.dispose(); }
}

/** Train for `steps` Adam steps with seeded shuffled minibatches; calls onLog every `logEvery` steps. */
export function trainVae(vae: OcclusionVae, train: Float32Array, steps: number, opts: { onLog?: (l: VaeLog) => void; logEvery?: number } = {}): VaeLog {
  const n = train.length / D, B = Math.min(vae.cfg.batchSize, n);
  const batch = new Float32Array(B * D);
  let last: VaeLog = { step: vae.step, loss: NaN, recon: NaN, kl: NaN };
  const stepsPerEpoch = Math.floor(n / B);
  let order: number[] = [];
  for (let s = 0; s < steps; s++) {
    const global = vae.step; // deterministic from (seed, step): resume reproduces the same batches
    const epoch = Math.floor(global / stepsPerEpoch), within = global % stepsPerEpoch;
    if (within === 0 || order.length === 0) order = Rng.derive(vae.cfg.seed, 'vae-epoch', epoch).permutation(n);
    for (let b = 0; b < B; b++) { const i = order[within * B + b]; batch.set(train.subarray(i * D, i * D + D), b * D); }
    last = vae.trainStep(batch, Rng.derive(vae.cfg.seed, 'vae-step', global));
    if (opts.onLog && (last.step % (opts.logEvery ?? 100) === 0 || s === steps - 1)) opts.onLog(last);
  }
  return last;
}
