/**
 * Settings a notebook reads at the top: one switch (env HANDGAP_SCALE, default "smoke") selects the
 * scale of every notebook. `npm run notebooks -- --scale demo` sets it for a run.
 */
import { InputError } from '../util/errors.ts';

export const SCALE_NAMES = ['smoke', 'demo', 'full'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

export function notebookScale(env: Record<string, string | undefined> = process.env): ScaleName {
  const v = env.HANDGAP_SCALE ?? 'smoke';
  if (!(SCALE_NAMES as readonly string[]).includes(v)) throw new InputError('HANDGAP_SCALE', `unknown scale "${v}" (use ${SCALE_NAMES.join(', ')})`);
  return v as ScaleName;
}

/** True inside the project's Jupyter kernel (set in the kernelspec written by scripts/bootstrap.sh). */
export function inNotebook(): boolean { return process.env.HANDGAP_KERNEL === '1'; }
