/**
 * Interop for Python-first colleagues (`handgap export`): datasets, predictions and any result JSON
 * (spectra, experiment results and reports) as NumPy .npz (lib/data/npy.ts writes the format) plus
 * CSV for what is tabular or textual. Conversions are pure; the writers go through temporary names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readFreihand, readPredictions } from './freihand.ts';
import { writeNpz } from './npy.ts';
import { toCsv, type Cell, type Table } from '../analysis/tables.ts';
import { writeFileAtomic } from '../util/fsx.ts';
import { InputError } from '../util/errors.ts';

export interface NumArray { shape: number[]; data: Float64Array | Int32Array }

/** A nested rectangular array of numbers → shape + flat float64 data, or null if it is not one. */
export function numericArray(v: unknown): NumArray | null {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) { shape.push(cur.length); if (cur.length === 0) break; cur = cur[0]; }
  if (shape.length === 0 || shape.includes(0) || typeof cur !== 'number') return null;
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  let k = 0;
  const walk = (x: unknown, depth: number): boolean => {
    if (depth === shape.length) { if (typeof x !== 'number') return false; data[k++] = x; return true; }
    if (!Array.isArray(x) || x.length !== shape[depth]) return false;
    for (const y of x) if (!walk(y, depth + 1)) return false;
    return true;
  };
  return walk(v, 0) ? { shape, data } : null;
}

export interface JsonExport { arrays: Record<string, NumArray>; tables: Record<string, Table>; skipped: string[] }

/**
 * Any JSON → arrays (numeric arrays and numeric scalars, keyed by their path joined with "__": numpy
 * keys must be identifiers) and tables (arrays of flat objects, e.g. result rows). What fits neither
 * (strings, ragged lists) is listed in `skipped`.
 */
export function exportJson(value: unknown): JsonExport {
  const out: JsonExport = { arrays: {}, tables: {}, skipped: [] };
  const key = (p: string[]) => (p.length ? p.join('__').replace(/[^A-Za-z0-9_]/g, '_') : 'value');
  const visit = (v: unknown, p: string[]): void => {
    if (typeof v === 'number') { out.arrays[key(p)] = { shape: [], data: Float64Array.of(v) }; return; }
    if (Array.isArray(v)) {
      const a = numericArray(v);
      if (a) { out.arrays[key(p)] = a; return; }
      if (v.length > 0 && v.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
        const columns = [...new Set(v.flatMap((r) => Object.keys(r as object)))];
        const flat = columns.filter((c) => v.every((r) => { const x = (r as Record<string, unknown>)[c]; return x === undefined || x === null || ['string', 'number', 'boolean'].includes(typeof x); }));
        if (flat.length) {
          out.tables[key(p)] = { columns: flat, rows: v.map((r) => flat.map((c) => ((r as Record<string, unknown>)[c] ?? null) as Cell)) };
          for (const c of columns.filter((c) => !flat.includes(c))) v.forEach((r, i) => visit((r as Record<string, unknown>)[c], [...p, String(i), c]));
          return;
        }
      }
      v.forEach((x, i) => visit(x, [...p, String(i)]));
      return;
    }
    if (v && typeof v === 'object') { for (const [k, x] of Object.entries(v)) visit(x, [...p, k]); return; }
    if (v !== null && v !== undefined && typeof v !== 'boolean') out.skipped.push(key(p));
  };
  visit(value, []);
  return out;
}

/** A FreiHAND-layout set → arrays xyz (N,21,3, metres), K (N,3,3), scale (N), index (N) + a manifest table. */
export function datasetArrays(root: string, split?: string): { arrays: Record<string, NumArray>; manifest: Table; count: number } {
  const set = readFreihand(root, { split, checkImages: false });
  const n = set.samples.length;
  const arrays: Record<string, NumArray> = {
    K: { shape: [n, 3, 3], data: Float64Array.from(set.samples.flatMap((s) => s.K.flat())) },
    index: { shape: [n], data: Int32Array.from(set.samples.map((s) => s.index)) },
  };
  const labelled = set.samples.filter((s) => s.xyz).length;
  if (labelled === n && n > 0) arrays.xyz = { shape: [n, 21, 3], data: Float64Array.from(set.samples.flatMap((s) => s.xyz!.flat())) };
  const scales = set.samples.map((s) => s.meta?.scale);
  if (scales.every((x) => typeof x === 'number')) arrays.scale = { shape: [n], data: Float64Array.from(scales as number[]) };
  const manifest: Table = {
    columns: ['index', 'image', 'mask'],
    rows: set.samples.map((s) => [s.index, path.relative(root, s.imagePath), s.maskPath ? path.relative(root, s.maskPath) : null]),
  };
  return { arrays, manifest, count: n };
}

/** FreiHAND-format predictions → xyz (N,21,3) and, when present, verts (N,V,3). */
export function predictionArrays(file: string): Record<string, NumArray> {
  const p = readPredictions(file);
  const n = p.xyz.length;
  const arrays: Record<string, NumArray> = { xyz: { shape: [n, 21, 3], data: Float64Array.from(p.xyz.flat(2)) } };
  if (p.verts && n > 0) {
    const v = numericArray(p.verts);
    if (!v) throw new InputError(file, 'verts_list is ragged (samples with different vertex counts); cannot be one array');
    arrays.verts = v;
  }
  return arrays;
}

/** Write arrays as <out> (.npz) and each table as <out without .npz>.<name>.csv; returns the files. */
export function writeExport(out: string, arrays: Record<string, NumArray>, tables: Record<string, Table> = {}): string[] {
  if (!out.endsWith('.npz')) throw new InputError(out, 'the output must end in .npz');
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const files: string[] = [];
  if (Object.keys(arrays).length) { writeNpz(out, arrays, { compress: true }); files.push(out); }
  for (const [name, t] of Object.entries(tables)) {
    const f = `${out.slice(0, -4)}.${name}.csv`;
    writeFileAtomic(f, toCsv(t));
    files.push(f);
  }
  return files;
}
