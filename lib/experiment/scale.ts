/**
 * The one scale vocabulary of every command, experiment and notebook: smoke (CI, seconds: plumbing, no
 * signal), demo (minutes on 2 cores), study (hours on 2 cores, resumable), paper (the study's sizes).
 * "full" is accepted as another name for paper.
 */
import { InputError } from '../util/errors.ts';

export const SCALES = ['smoke', 'demo', 'study', 'paper'] as const;
export type Scale = (typeof SCALES)[number];
/** What a --scale option accepts (the scales and the alias). */
export const SCALE_CHOICES: readonly string[] = [...SCALES, 'full'];

/** A scale name from the CLI, an environment variable or a notebook ("full" = paper); absent or "" → fallback. */
export function parseScale(v: string | undefined, fallback: Scale, where = '--scale'): Scale {
  const s = v === undefined || v === '' ? fallback : v === 'full' ? 'paper' : v;
  if (!(SCALES as readonly string[]).includes(s)) throw new InputError(where, `got "${v}"; expected one of ${SCALES.join(', ')} (full = paper)`);
  return s as Scale;
}
