/**
 * The occlusion prior's configuration (the VAE's sizes and training settings) and the metadata a trained
 * prior records with its checkpoint (what `prior eval` reads back): zod schemas with defaults, checked
 * without loading TensorFlow.
 */
import { z, num, int, parseConfig } from '../../config/schema.ts';

export const VAE_CONFIG = z.strictObject({
  latent: int(1, 4096).default(32),
  hidden: int(1, 65536).default(512),
  /** hidden layers of the encoder */ encoderLayers: int(1, 64).default(3),
  /** hidden layers of the decoder */ decoderLayers: int(1, 64).default(5),
  klWeight: num(0, 1e6).default(0.01),
  /**
   * How the KL term is normalised before klWeight multiplies it. 'per-element' (the released VAEPose code,
   * Loss/loss.py kl_div): summed over batch and latent, divided by batch × 21 × 3, the element count the
   * mean-squared reconstruction error averages over. 'per-sample': summed over the latent, averaged over the
   * batch (63× stronger; what this project used before, with inputScale 100).
   */
  klNormalisation: z.enum(['per-element', 'per-sample']).default('per-element'),
  /** probability of masking each joint during training */ maskProb: num(0, 1).default(0.5),
  learningRate: z.number().finite().positive().max(1).default(1e-4),
  batchSize: int(1, 65536).default(256),
  /** network units per metre: 1 = metres, as the released code (its Dex-YCB joints are in metres); 100 = cm */
  inputScale: z.number().finite().positive().max(1e6).default(1),
  seed: int(0, 2 ** 32 - 1).default(1),
});
export type VaeConfig = z.output<typeof VAE_CONFIG>;
export const DEFAULT_VAE: VaeConfig = VAE_CONFIG.parse({});

/** A prior saved before klNormalisation and the metres default existed was trained per-sample, in cm. */
const SAVED_VAE_CONFIG = z.preprocess((v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  return { ...o, klNormalisation: o.klNormalisation ?? 'per-sample', inputScale: o.inputScale ?? 100 };
}, VAE_CONFIG);

/** userDefinedMetadata of a trained prior's encoder/model.json (written by OcclusionVae.save). */
export const PRIOR_META = z.strictObject({
  vae: SAVED_VAE_CONFIG,
  step: int(0, 1e12).default(0),
  sources: z.array(z.string().min(1)).min(1).default(['hgc-dev', 'leap']),
  seed: int(0, 2 ** 32 - 1).default(1),
  testFraction: z.number().finite().positive().max(0.9).default(0.15),
  backend: z.string().optional(),
});
export type PriorMeta = z.output<typeof PRIOR_META>;

export function parsePriorMeta(meta: unknown, where: string): PriorMeta {
  return parseConfig(PRIOR_META, meta, where, 'occlusion prior metadata');
}
