/**
 * Settings a notebook reads at the top: one switch (env HANDGAP_SCALE, default "smoke") selects the
 * scale of every notebook. `npm run notebooks -- --scale demo` sets it for a run.
 */
import { InputError } from '../util/errors.ts';
import { displayMarkdown } from './channel.ts';

export const SCALE_NAMES = ['smoke', 'demo', 'full'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

/**
 * The scale of this notebook run. In the kernel, at smoke scale, it also shows the banner saying that
 * the numbers below are plumbing checks (once per kernel session: the first call is in every
 * notebook's first cell).
 */
export function notebookScale(env: Record<string, string | undefined> = process.env): ScaleName {
  const v = env.HANDGAP_SCALE ?? 'smoke';
  if (!(SCALE_NAMES as readonly string[]).includes(v)) throw new InputError('HANDGAP_SCALE', `unknown scale "${v}" (use ${SCALE_NAMES.join(', ')})`);
  const banner = scaleBanner(v as ScaleName);
  if (banner && !bannerShown && inNotebook()) bannerShown = displayMarkdown(banner);
  return v as ScaleName;
}

let bannerShown = false;

/** The banner for results at this scale (null where results are meant to be read). */
export function scaleBanner(scale: ScaleName): string | null {
  if (scale !== 'smoke') return null;
  return '> **Smoke scale: plumbing check.** Every number and figure in this notebook comes from tiny runs that only show the pipeline works end to end; there is no signal at this scale. Run with `HANDGAP_SCALE=demo` (or `handgap notebooks run --scale demo`) for results.';
}

/** True inside the project's Jupyter kernel (set in the kernelspec written by scripts/bootstrap.sh). */
export function inNotebook(): boolean { return process.env.HANDGAP_KERNEL === '1'; }
