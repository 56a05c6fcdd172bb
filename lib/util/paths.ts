/**
 * Where things live. Everything is overridable through environment variables so the toolkit can be
 * pointed at other data without code changes:
 *   HANDGAP_SHARED   folder with the shared real data and fixtures (default: <project>/../shared)
 *   HANDGAP_DATA     downloaded and generated data (default: <project>/data)
 *   HANDGAP_CACHE    caches, tool state and run outputs (default: <project>/.handgap)
 */
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedDir(): string { return path.resolve(process.env.HANDGAP_SHARED ?? path.join(projectRoot, '..', 'shared')); }
export function dataDir(): string { return path.resolve(process.env.HANDGAP_DATA ?? path.join(projectRoot, 'data')); }
export function cacheDir(): string { return path.resolve(process.env.HANDGAP_CACHE ?? path.join(projectRoot, '.handgap')); }
export function figuresDir(): string { return path.resolve(process.env.HANDGAP_FIGURES ?? path.join(projectRoot, 'figures')); }

/** Well-known real data sets, looked up in HANDGAP_DATA first, then in the shared folder. */
export const knownSets = {
  'hgc-dev': ['real/hgc-dev'],
  'freihand-eval-samples': ['real/freihand-eval-samples'],
  leap: ['poses/leap'],
  freihand: ['freihand'],
} as const;

export type KnownSet = keyof typeof knownSets;

/** Resolve a known set name to a folder, or null if it is nowhere on this machine. */
export function findKnownSet(name: KnownSet): string | null {
  for (const rel of knownSets[name]) {
    for (const base of [dataDir(), path.join(sharedDir(), 'data')]) {
      const p = path.join(base, rel);
      if (fs.existsSync(p)) return p;
    }
  }
  return null;
}

/** A dataset argument: a known set name or a path. */
export function resolveDatasetArg(arg: string): string {
  if (arg in knownSets) {
    const p = findKnownSet(arg as KnownSet);
    if (p) return p;
  }
  return path.resolve(arg);
}
