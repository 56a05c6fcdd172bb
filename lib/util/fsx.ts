/**
 * File helpers that never leave half-written files: write to `<name>.<pid>.tmp`, then rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
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

/**
 * Check, before any work, that `dir` can be created or written as an output folder: it is a folder or can
 * become one (no part of the path is a file) and the nearest existing folder is writable. `where` names
 * the option or field that gave it. Creates nothing.
 */
export function assertOutputDir(dir: string, where: string, target = dir): void {
  const abs = path.resolve(dir);
  let p = abs;
  while (!fs.existsSync(p)) {
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  if (!fs.statSync(p).isDirectory()) {
    throw new InputError(where, p === path.resolve(target) ? `${p} is a file, not a folder` : `cannot create ${path.resolve(target)}: ${p} is a file, not a folder`);
  }
  try { fs.accessSync(p, fs.constants.W_OK); } catch { throw new InputError(where, `cannot write into ${p} (permission denied)`); }
}

/** Like assertOutputDir for an output file: its folder can be created, and the file is not a folder. */
export function assertOutputFile(file: string, where: string): void {
  const abs = path.resolve(file);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) throw new InputError(where, `${abs} is a folder, not a file`);
  assertOutputDir(path.dirname(abs), where, abs);
}

/**
 * Write a folder as one unit: `fill` writes everything into a fresh sibling `<dir>.next-<pid>-<token>`,
 * which then replaces `dir` by rename (the previous folder moved aside to `<dir>.prev-…` for the instant
 * between the two renames). A kill at any moment leaves the previous folder or the new one, never a mix;
 * repairFolderCommit puts things right afterwards. The caller must be the folder's only writer.
 */
export async function commitFolder(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tag = `${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  const next = `${dir}.next-${tag}`, prev = `${dir}.prev-${tag}`;
  fs.rmSync(next, { recursive: true, force: true });
  ensureDir(next);
  try { await fill(next); } catch (e) { fs.rmSync(next, { recursive: true, force: true }); throw e; }
  if (fs.existsSync(dir)) fs.renameSync(dir, prev);
  fs.renameSync(next, dir);
  fs.rmSync(prev, { recursive: true, force: true });
}

/**
 * Repair `dir` after a kill during commitFolder: drop unfinished `.next-*` folders and, if the kill fell
 * between the two renames (no `dir`), put the previous folder back. Call it as the folder's only writer.
 */
export function repairFolderCommit(dir: string): void {
  const parent = path.dirname(dir), base = path.basename(dir);
  const siblings = fs.existsSync(parent) ? fs.readdirSync(parent) : [];
  for (const n of siblings) if (n.startsWith(`${base}.next-`)) fs.rmSync(path.join(parent, n), { recursive: true, force: true });
  const prevs = siblings.filter((n) => n.startsWith(`${base}.prev-`)).map((n) => path.join(parent, n));
  if (!fs.existsSync(dir) && prevs.length) fs.renameSync(prevs.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0], dir);
  for (const p of prevs) fs.rmSync(p, { recursive: true, force: true });
}
