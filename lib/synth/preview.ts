/**
 * Contact sheet of rendered samples with their projected 21 joints drawn over them (lib/plot grid). Any other
 * labelled FreiHAND-layout set (e.g. hgc-dev) gets the same sheet, so renders and real images sit side by side.
 */
import fs from 'node:fs';
import { readFreihand } from '../data/freihand.ts';
import path from 'node:path';
import { writeImageGrid, type GridCell } from '../plot/grid.ts';
import type { Image } from '../image/io.ts';
import { project } from './spec.ts';
import { readRecord, readManifestConfig, imagePathOf, sampleDone } from './driver.ts';
import { HandgapError } from '../util/errors.ts';

export interface PreviewOptions { count?: number; file?: string; cellSize?: number; columns?: number }

/** Write `<dir>/preview.png` (or opts.file) with up to `count` (16) samples spread over the set. */
export async function writePreview(dir: string, opts: PreviewOptions = {}): Promise<{ file: string; indices: number[]; image: Image }> {
  if (!fs.existsSync(path.join(dir, 'handgap_work', 'manifest.json'))) return writeSetPreview(dir, opts);
  const cfg = readManifestConfig(dir);
  const done: number[] = [];
  for (let i = 0; i < cfg.n * 4 + 1000 && done.length < 100000; i++) { if (sampleDone(dir, cfg, i)) done.push(i); else if (i >= cfg.n) break; }
  if (done.length === 0) throw new HandgapError(`no finished samples in ${dir}`);
  const count = Math.min(opts.count ?? 16, done.length);
  const indices = Array.from({ length: count }, (_, k) => done[Math.floor((k * done.length) / count)]);
  const cells: GridCell[] = indices.map((i) => {
    const r = readRecord(dir, i);
    const m = r.meta as { hdri?: { name: string } | null; occlusionRatio?: number; forearm?: unknown };
    const caption = `#${i} ${m.hdri ? m.hdri.name.replace(/\.(exr|hdr)$/i, '') : 'no HDRI'}${m.forearm ? ' +arm' : ''}${m.occlusionRatio ? ` occ ${(100 * m.occlusionRatio).toFixed(0)}%` : ''}`;
    return { image: imagePathOf(dir, cfg, i), joints2d: project(r.K as never, r.xyz), caption };
  });
  const file = opts.file ?? path.join(dir, 'preview.png');
  const image = await writeImageGrid(file, cells, { cellSize: opts.cellSize ?? 224, columns: opts.columns ?? 4 });
  return { file, indices, image };
}

/** The sheet of a labelled set that handgap did not render (no manifest): samples spread over it, labels projected. */
async function writeSetPreview(dir: string, opts: PreviewOptions): Promise<{ file: string; indices: number[]; image: Image }> {
  const samples = readFreihand(dir).samples;
  if (samples.length === 0) throw new HandgapError(`no samples in ${dir}`);
  const count = Math.min(opts.count ?? 16, samples.length);
  const indices = Array.from({ length: count }, (_, k) => Math.floor((k * samples.length) / count));
  const cells: GridCell[] = indices.map((i) => ({ image: samples[i].imagePath, ...(samples[i].xyz ? { joints2d: project(samples[i].K as never, samples[i].xyz!) } : {}), caption: `#${i}` }));
  const file = opts.file ?? path.join(dir, 'preview.png');
  const image = await writeImageGrid(file, cells, { cellSize: opts.cellSize ?? 224, columns: opts.columns ?? 4 });
  return { file, indices, image };
}
