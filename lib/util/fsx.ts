/**
 * File helpers that never leave half-written files: write to `<name>.<pid>.tmp`, then rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.ts';

function tmpName(file: string): string { return `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`; }

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tmpName(file);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = tmpName(file);
  try {
    await fs.promises.writeFile(tmp, data);
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(file: string, value: unknown, indent?: number): void {
  writeFileAtomic(file, JSON.stringify(value, null, indent) + '\n');
}

/** Read and parse a JSON file; errors name the file (and the parse position). */
export function readJson<T = unknown>(file: string): T {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try { return JSON.parse(text) as T; } catch (e) {
    throw new InputError(file, `invalid JSON (${(e as Error).message}); the file may be truncated`);
  }
}

export function ensureDir(dir: string): string { fs.mkdirSync(dir, { recursive: true }); return dir; }
