/**
 * Settings a notebook reads at the top: one switch (env HANDGAP_SCALE, default "smoke") selects the
 * scale of every notebook. `npm run notebooks -- --scale demo` sets it for a run.
 */
import { displayMarkdown } from './channel.ts';
import { parseScale, type Scale } from '../experiment/scale.ts';

/** The scales a notebook run accepts (the one vocabulary of lib/experiment/scale.ts). */
export type ScaleName = Scale;

/**
 * The scale of this notebook run. In the kernel, at smoke scale, it also shows the banner saying that
 * the numbers below are plumbing checks (once per kernel session: the first call is in every
 * notebook's first cell).
 */
export function notebookScale(env: Record<string, string | undefined> = process.env): ScaleName {
  const v = parseScale(env.HANDGAP_SCALE, 'smoke', 'HANDGAP_SCALE');
  const banner = scaleBanner(v);
  if (banner && !bannerShown && inNotebook()) bannerShown = displayMarkdown(banner);
  return v;
}

let bannerShown = false;

/** The banner for results at this scale (null where results are meant to be read). */
export function scaleBanner(scale: ScaleName): string | null {
  if (scale !== 'smoke') return null;
  return '> **Smoke scale: plumbing check.** Every number and figure in this notebook comes from tiny runs that only show the pipeline works end to end; there is no signal at this scale. Run with `HANDGAP_SCALE=demo` (or `handgap notebooks run --scale demo`) for results.';
}

/** True inside the project's Jupyter kernel (set in the kernelspec written by scripts/bootstrap.sh). */
export function inNotebook(): boolean { return process.env.HANDGAP_KERNEL === '1'; }
