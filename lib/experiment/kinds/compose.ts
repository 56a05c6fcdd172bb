/** compose: donor arms/objects (or seeded random colours) pasted onto a synthetic set through label masks (lib/image/compose.ts). */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, datasetDir } from '../step.ts';
import { composeDataset } from '../../analysis/compose-dataset.ts';

export const compose = defineKind({
  name: 'compose',
  version: 2, // 2: occlusion meta accounts for rendered occlusion
  summary: 'paste donor arms/objects (or random colours) onto a synthetic set; result: { dir, count, meanOccludedFraction }',
  config: z.strictObject({
    /** the synthetic set: "@<render step>" or a folder */
    syn: z.string().min(1),
    /** the donor set (default: the synthetic set itself) */
    donor: z.string().min(1).optional(),
    masks: z.string().default('labels'),
    pairing: z.enum(['same-index', 'random', 'cyclic']).default('random'),
    fill: z.enum(['real', 'random-region', 'random-pixel']).default('real'),
    seed: z.number().int().default(0),
    arm: z.boolean().default(true),
    object: z.boolean().default(true),
    resize: z.boolean().default(false),
    /** false: hand the synthetic set through unchanged (ablation rows without composition) */
    enabled: z.boolean().default(true),
  }),
  async run(config, { deps, dir, log }) {
    const syn = datasetDir(config.syn, deps, 'compose.syn');
    if (!config.enabled) return { dir: syn, composed: false, count: null, meanOccludedFraction: null };
    const out = path.join(dir, 'data');
    const r = await composeDataset({
      syn, donor: config.donor ? datasetDir(config.donor, deps, 'compose.donor') : undefined, out,
      masks: config.masks, pairing: config.pairing, fill: config.fill, seed: config.seed, arm: config.arm, object: config.object, resize: config.resize, log,
    });
    return { dir: out, composed: true, count: r.count, meanOccludedFraction: Number.isFinite(r.meanOccludedFraction) ? r.meanOccludedFraction : null };
  },
});
