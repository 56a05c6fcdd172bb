/**
 * Resumable downloads with size and SHA-256 checks, and unpacking into the data folder.
 * A partial download lives in `<file>.part`; the next attempt asks the server for the rest with an
 * HTTP Range request (and starts over if the server ignores it). A finished file whose size or
 * SHA-256 differs from the expected one is deleted and reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { HandgapError, InputError } from '../util/errors.ts';
import { Progress } from '../util/progress.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { z, readConfigFile } from '../config/schema.ts';
import { extractZip } from './zip.ts';

export interface DownloadOptions {
  /** Expected size in bytes (checked when known). */
  size?: number | null;
  /** Expected SHA-256, hex (checked when known). */
  sha256?: string | null;
  /** Automatic resume attempts after an interrupted transfer (default 3). */
  retries?: number;
  /** Show a progress bar on stderr (default true). */
  progress?: boolean;
  /** Called after each chunk with the bytes on disk so far (for tests and custom UIs). */
  onBytes?: (bytes: number, total: number | null) => void;
}

export interface DownloadResult { file: string; size: number; sha256: string; resumedFrom: number[]; attempts: number }

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** One HTTP attempt: continue `.part` from its current length. Throws on a broken transfer (the part stays). */
async function attempt(url: string, part: string, total: number | null, progressFor: ((total: number | null) => Progress | null), onBytes?: DownloadOptions['onBytes']): Promise<{ resumedFrom: number; total: number | null }> {
  const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
  let res: Response;
  try { res = await fetch(url, { headers, redirect: 'follow' }); } catch (e) {
    throw new HandgapError(`${url}: cannot connect (${(e as Error).cause ? String((e as any).cause?.code ?? (e as any).cause) : (e as Error).message})`);
  }
  if (res.status === 416 && have > 0) {
    // nothing left to send: complete if the server's length equals what we have (sizes are checked by the caller)
    const m = /bytes \*\/(\d+)/.exec(res.headers.get('content-range') ?? '');
    if ((m && Number(m[1]) === have) || (!m && total !== null && have === total)) return { resumedFrom: have, total: have };
    fs.rmSync(part, { force: true });
    throw new HandgapError(`${url}: server refused to resume at byte ${have} (HTTP 416); the partial file was deleted`);
  }
  if (res.status !== 200 && res.status !== 206) throw new HandgapError(`${url}: HTTP ${res.status} ${res.statusText}`);
  let start = 0;
  if (res.status === 206) {
    const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have) throw new HandgapError(`${url}: server answered the range request for bytes ${have}- with "${res.headers.get('content-range')}"`);
    start = have;
    if (m[3] !== '*') total ??= Number(m[3]);
  } else {
    const len = res.headers.get('content-length');
    if (len !== null) total ??= Number(len);
  }
  const out = fs.createWriteStream(part, { flags: start > 0 ? 'a' : 'w' });
  let bytes = start;
  const progress = progressFor(total);
  progress?.set(start);
  try {
    if (!res.body) throw new Error('empty response body');
    for await (const chunk of Readable.fromWeb(res.body as any)) {
      const b = chunk as Buffer;
      if (!out.write(b)) await new Promise((r) => out.once('drain', r));
      bytes += b.length;
      progress?.tick(b.length);
      onBytes?.(bytes, total);
    }
  } catch (e) {
    await new Promise((r) => out.end(r));
    throw new HandgapError(`${url}: transfer interrupted after ${bytes} bytes (${(e as Error).message}); the partial file ${part} is kept and the next attempt resumes it`);
  }
  await new Promise((r, j) => { out.on('error', j); out.end(r); });
  if (total !== null && bytes < total) throw new HandgapError(`${url}: transfer ended after ${bytes} of ${total} bytes; the partial file ${part} is kept and the next attempt resumes it`);
  return { resumedFrom: start, total };
}

/** Download `url` to `file` (resuming `file.part`), verify size and SHA-256, then rename into place. */
export async function download(url: string, file: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const part = `${file}.part`;
  const retries = opts.retries ?? 3;
  let total = opts.size ?? null;
  // created once the total is known (from the caller or the server); an unknown total shows no percentage
  let progress: Progress | null = null;
  const progressFor = (t: number | null) => (opts.progress === false ? null : (progress ??= new Progress({ label: `download ${path.basename(file)}`, total: t ?? Infinity, unit: 'B' })));
  const resumedFrom: number[] = [];
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const r = await attempt(url, part, total, progressFor, opts.onBytes);
      resumedFrom.push(r.resumedFrom);
      total = r.total;
      break;
    } catch (e) {
      if (attempts > retries) throw e;
      process.stderr.write(`${(e as Error).message}\nretrying (${attempts}/${retries}) ...\n`);
    }
  }
  if (progress && process.stderr.isTTY) process.stderr.write('\n');
  const size = fs.statSync(part).size;
  const bad = (why: string) => { fs.rmSync(part, { force: true }); return new InputError(file, `${why}; the download was deleted, run the fetch again`); };
  if (opts.size != null && size !== opts.size) throw bad(`size ${size} bytes, expected ${opts.size}`);
  const sha = await sha256File(part);
  if (opts.sha256 && sha !== opts.sha256.toLowerCase()) throw bad(`SHA-256 ${sha}, expected ${opts.sha256.toLowerCase()} (corrupt or different file)`);
  fs.renameSync(part, file);
  return { file, size, sha256: sha, resumedFrom, attempts };
}

export interface FetchSource {
  name: string;
  description: string;
  url: string | null;
  /** Archive file name under <data>/downloads/. */
  archive?: string;
  size?: number | null;
  sha256?: string | null;
  /** Folder under <data>/ that the archive unpacks into. */
  into?: string;
  /** For sets behind a licence form: what the user must do instead. */
  manual?: string;
  /** Printed before downloading. */
  warning?: string;
}

export interface FetchResult { source: string; archive: string; sha256: string; size: number; dest: string; files: number; pinned: boolean }

/** `<dataRoot>/fetch-lock.json`: the pinned hash, size and URL of each source fetched without a published hash. */
const FETCH_LOCK = z.record(z.string(), z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hexadecimal digits'),
  size: z.number().int().min(0),
  url: z.string().min(1),
}));

/**
 * Fetch one source into `dataRoot`: download (resumable, verified), unpack, and write a record
 * `<dest>/.handgap-fetch.json`. When the registry has no SHA-256 for a source, the first download's
 * hash is pinned in `<dataRoot>/fetch-lock.json` and later downloads are checked against it.
 */
export async function fetchSource(src: FetchSource, dataRoot: string, opts: { progress?: boolean; keepArchive?: boolean; retries?: number } = {}): Promise<FetchResult> {
  if (src.manual || !src.url) throw new HandgapError(`${src.name}: ${src.manual ?? 'no download URL'}`);
  if (src.warning) process.stderr.write(`note: ${src.warning}\n`);
  const lockFile = path.join(dataRoot, 'fetch-lock.json');
  const lock = fs.existsSync(lockFile) ? readConfigFile(FETCH_LOCK, lockFile, 'fetch lock') : {};
  const expectedSha = src.sha256 ?? (lock[src.name]?.url === src.url ? lock[src.name].sha256 : null);
  const expectedSize = src.size ?? (lock[src.name]?.url === src.url ? lock[src.name].size : null);
  const archive = path.join(dataRoot, 'downloads', src.archive ?? path.basename(new URL(src.url).pathname));
  let result: DownloadResult;
  if (fs.existsSync(archive) && expectedSha && (await sha256File(archive)) === expectedSha) {
    result = { file: archive, size: fs.statSync(archive).size, sha256: expectedSha, resumedFrom: [], attempts: 0 };
  } else {
    if (fs.existsSync(archive)) fs.rmSync(archive);
    result = await download(src.url, archive, { size: expectedSize, sha256: expectedSha, progress: opts.progress, retries: opts.retries });
  }
  const pinned = !src.sha256 && !expectedSha;
  if (pinned) {
    lock[src.name] = { sha256: result.sha256, size: result.size, url: src.url };
    writeJsonAtomic(lockFile, lock, 1);
    process.stderr.write(`note: no published SHA-256 for ${src.name}; pinned ${result.sha256} (${result.size} bytes) in ${lockFile}\n`);
  }
  const dest = path.join(dataRoot, src.into ?? src.name);
  fs.mkdirSync(dest, { recursive: true });
  let files = 0;
  if (archive.toLowerCase().endsWith('.zip')) {
    let p: Progress | null = null;
    const written = await extractZip(archive, dest, (_done, total) => {
      if (opts.progress !== false) (p ??= new Progress({ label: `unpack ${path.basename(archive)}`, total, unit: 'files' })).tick(1);
    });
    if (p && process.stderr.isTTY) process.stderr.write('\n');
    files = written.length;
  } else {
    fs.copyFileSync(archive, path.join(dest, path.basename(archive)));
    files = 1;
  }
  writeJsonAtomic(path.join(dest, '.handgap-fetch.json'), { source: src.name, url: src.url, sha256: result.sha256, size: result.size, files, fetched: new Date().toISOString() }, 1);
  if (!opts.keepArchive) fs.rmSync(archive, { force: true });
  return { source: src.name, archive, sha256: result.sha256, size: result.size, dest, files, pinned };
}
