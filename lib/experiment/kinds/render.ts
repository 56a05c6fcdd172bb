/** render: a synthetic set rendered with Blender (lib/synth); the config is a render config, checked by its owner (lib/synth/config.ts). */
import path from 'node:path';
import { z } from '../../config/schema.ts';
import { defineKind, resolveDepRefs } from '../step.ts';
import type { Json } from '../declaration.ts';
import { validateConfig } from '../../synth/config.ts';
import { runRender, RENDERER_VERSION } from '../../synth/driver.ts';
import { HandgapError } from '../../util/errors.ts';

export const render = defineKind({
  name: 'render',
  // the Blender scripts' version is part of every render run's key, so a renderer change redoes cached renders
  // (and what was trained on them); 2: left hands rendered with the denoiser are flipped back in the image too
  version: 1000 * RENDERER_VERSION + 2,
  summary: 'render a synthetic set with Blender (lib/synth); config: a render config ("@step" values become that step\'s file); result: { dir, count }',
  // the render config's fields and defaults belong to lib/synth/config.ts; here it is passed through whole
  config: z.record(z.string(), z.unknown()),
  async run(config, { deps, dir, log, run }) {
    const cfg = validateConfig(resolveDepRefs(config as Record<string, Json>, deps, 'render'), `render step ${run.stepId}`);
    const out = path.join(dir, 'data');
    const r = await runRender({ config: cfg, out, workers: Number(process.env.HANDGAP_RENDER_WORKERS ?? 1) });
    if (r.failed.length) throw new HandgapError(`render: ${r.failed.length} samples failed (${r.failed.slice(0, 10).join(', ')}); re-run to retry them`);
    if (!r.finalized) throw new HandgapError(`render: set in ${out} was not finalized (${r.rendered + r.skipped}/${r.total})`);
    log(`rendered ${r.rendered} images (${r.secondsPerImage.toFixed(2)} s/image)`);
    return { dir: out, count: r.total, secondsPerImage: r.secondsPerImage };
  },
});
