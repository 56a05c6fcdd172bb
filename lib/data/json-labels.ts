/**
 * Reading label JSON files written by Python (which writes NaN / Infinity as bare tokens that
 * JSON.parse rejects) and validating nested numeric arrays with errors that name file and index.
 */
import fs from 'node:fs';
import { InputError } from '../util/errors.ts';
import type { Mat3 } from './types.ts';

/** Bare NaN / Infinity tokens (Python's json writes them) are read as these strings, so messages can say which. */
const NON_FINITE: Record<string, string> = { NaN: '\u0000NaN', Infinity: '\u0000Infinity', '-Infinity': '\u0000-Infinity' };

/** Parse a JSON file; bare NaN/Infinity tokens become markers so validation can name the exact entry and value. */
export function readLabelJson(file: string): unknown {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try { return JSON.parse(text); } catch (e) {
    if (/\b(NaN|-?Infinity)\b/.test(text)) {
      try { return JSON.parse(text.replace(/-?\bInfinity\b|\bNaN\b/g, (t) => JSON.stringify(NON_FINITE[t]))); } catch { /* fall through */ }
    }
    throw new InputError(file, `invalid JSON (${(e as Error).message}); the file may be truncated`);
  }
}

/** The top level must be an array (one entry per sample). */
export function expectList(value: unknown, file: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError(file, `expected a JSON list with one entry per sample, got ${value === null ? 'null' : typeof value}`);
  return value;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string' && v.startsWith('\u0000')) return v.slice(1);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return `a list of length ${v.length}`;
  return `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

/**
 * Validate an R×C numeric matrix (C fixed, R fixed if given); returns it as number[][]. `maxAbs`: largest
 * allowed magnitude (e.g. 1000 for coordinates in metres, so 1e308 is named instead of overflowing later).
 */
export function expectMatrix(v: unknown, rows: number | null, cols: number, where: string, maxAbs = Infinity): number[][] {
  if (!Array.isArray(v)) throw new InputError(where, `expected a ${rows ?? 'N'}×${cols} list, got ${describe(v)}`);
  if (rows !== null && v.length !== rows) throw new InputError(where, `expected ${rows} rows of ${cols}, got ${v.length} rows`);
  for (let r = 0; r < v.length; r++) {
    const row = v[r];
    if (!Array.isArray(row) || row.length !== cols) throw new InputError(`${where}[${r}]`, `expected ${cols} numbers, got ${describe(row)}`);
    for (let c = 0; c < cols; c++) {
      const x = row[c];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new InputError(`${where}[${r}][${c}]`, `expected a finite number, got ${describe(x)}`);
      if (Math.abs(x) > maxAbs) throw new InputError(`${where}[${r}][${c}]`, `got ${x}; expected a finite number with |x| <= ${maxAbs}`);
    }
  }
  return v as number[][];
}

export function expectK(v: unknown, where: string): Mat3 {
  return expectMatrix(v, 3, 3, where) as unknown as Mat3;
}

export function expectNumber(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(where, `expected a finite number, got ${describe(v)}`);
  return v;
}
