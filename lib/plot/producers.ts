/**
 * Discovery of figure producers: lib/plot/producers/*.ts and lib/<area>/figures.ts, each
 * default-exporting FigureProducer[] (see registry.ts). A lib/<area>/figures.ts WITHOUT a default
 * export (plain builder functions, e.g. lib/spectral/figures.ts) is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';
import type { FigureProducer } from './registry.ts';

export function producerFiles(root = projectRoot): string[] {
  const lib = path.join(root, 'lib');
  const own = path.join(lib, 'plot', 'producers');
  const files = fs.existsSync(own) ? fs.readdirSync(own).filter((f) => f.endsWith('.ts')).map((f) => path.join(own, f)) : [];
  for (const area of fs.readdirSync(lib)) {
    const f = path.join(lib, area, 'figures.ts');
    if (area !== 'plot' && fs.existsSync(f)) files.push(f);
  }
  return files.sort();
}

export async function loadProducers(root = projectRoot): Promise<FigureProducer[]> {
  const out: FigureProducer[] = [];
  for (const f of producerFiles(root)) {
    const mod = (await import(pathToFileURL(f).href)) as { default?: unknown };
    // a lib/<area>/figures.ts without a default export is a builder module, not a producer file
    if (mod.default === undefined && !f.includes(`${path.sep}producers${path.sep}`)) continue;
    if (!Array.isArray(mod.default)) throw new InputError(path.relative(root, f), 'must default-export an array of FigureProducer');
    out.push(...(mod.default as FigureProducer[]));
  }
  return out;
}
