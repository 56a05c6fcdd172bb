/**
 * Exclusive output folders. A writer holds a lock file `<lockDir>/<pid>-<token>.json` naming itself
 * (pid, the process start time from /proc/<pid>/stat, host, a random token, the command, optionally the
 * index range it writes). A second writer whose range overlaps a live holder's is refused at once with a
 * message naming the holder. A holder is live when its pid exists AND started at the recorded time, so a
 * reused pid (an unrelated process that got the same number) is recognised as stale and taken over.
 * Holders on other hosts cannot be checked and count as live (the message says which file to remove).
 *
 * Several lock files per folder let shards of one render write into one shared folder (disjoint ranges).
 * A newcomer publishes its lock file, then looks for others: any live overlapping lock makes it withdraw,
 * so at most one writer proceeds (two newcomers racing in the same instant may both withdraw: both are
 * refused, or both wait and retry after a random delay).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { HandgapError } from './errors.ts';

export interface LockInfo {
  pid: number;
  /** process start time in clock ticks after boot (/proc/<pid>/stat field 22); null where /proc is absent */
  startTicks: string | null;
  host: string;
  token: string;
  /** ms since epoch */
  acquiredAt: number;
  command: string;
  /** [lo, hi) index range written; absent = the whole folder */
  range?: [number, number];
}

/** The start time of a process (clock ticks after boot), or null if unknown (no /proc or no such pid). */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch { return null; }
}

function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Whether the process that wrote a lock still runs: same pid and same start time (pid reuse is not liveness). */
export function holderAlive(h: Pick<LockInfo, 'pid' | 'startTicks' | 'host'>): boolean {
  if (h.host !== os.hostname()) return true; // cannot check another machine
  if (!pidExists(h.pid)) return false;
  if (h.startTicks === null) return true;
  const now = processStartTicks(h.pid);
  return now === null || now === h.startTicks;
}

export function describeHolder(h: LockInfo): string {
  const range = h.range ? `, samples [${h.range[0]}, ${h.range[1]})` : '';
  return `pid ${h.pid} on host ${h.host} (${h.command}${range}, since ${new Date(h.acquiredAt).toISOString()})`;
}

const overlaps = (a?: [number, number], b?: [number, number]) => !a || !b || (a[0] < b[1] && b[0] < a[1]);

function readLock(file: string): LockInfo | null {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo; } catch { return null; }
}

/** Live lock files in `lockDir` other than `mine`; stale ones (dead or reused pid) are removed on the way. */
function liveHolders(lockDir: string, mine?: string): Array<{ file: string; info: LockInfo }> {
  let names: string[] = [];
  try { names = fs.readdirSync(lockDir); } catch { return []; }
  const out: Array<{ file: string; info: LockInfo }> = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    const file = path.join(lockDir, n);
    if (file === mine) continue;
    const info = readLock(file);
    if (!info) {
      // written with link() so never partial; unreadable = vanished or foreign: drop it when old
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs > 60_000) fs.rmSync(file, { force: true });
      continue;
    }
    if (holderAlive(info)) out.push({ file, info });
    else fs.rmSync(file, { force: true });
  }
  return out;
}

export class OutputLock {
  private released = false;
  private readonly onExit = () => this.release();
  constructor(readonly file: string, readonly info: LockInfo) { process.once('exit', this.onExit); }
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    fs.rmSync(this.file, { force: true });
    try { fs.rmdirSync(path.dirname(this.file)); } catch { /* other holders remain */ }
  }
}

export interface LockOptions {
  /** what is writing, for the holder message (e.g. "handgap render") */
  command: string;
  /** [lo, hi) index range; writers of disjoint ranges may share the folder */
  range?: [number, number];
}

/** Take the lock or return the live holder that prevents it. */
export function tryAcquireLock(lockDir: string, opts: LockOptions): OutputLock | LockInfo {
  fs.mkdirSync(lockDir, { recursive: true });
  const info: LockInfo = {
    pid: process.pid, startTicks: processStartTicks(process.pid), host: os.hostname(),
    token: crypto.randomBytes(6).toString('hex'), acquiredAt: Date.now(), command: opts.command, ...(opts.range ? { range: opts.range } : {}),
  };
  const file = path.join(lockDir, `${process.pid}-${info.token}.json`);
  // link() publishes the complete file at once: readers never see a half-written lock
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info));
  try { fs.linkSync(tmp, file); } finally { fs.rmSync(tmp, { force: true }); }
  const blocker = liveHolders(lockDir, file).map((h) => h.info).filter((h) => overlaps(h.range, info.range))
    .sort((a, b) => a.acquiredAt - b.acquiredAt)[0];
  if (blocker) { fs.rmSync(file, { force: true }); return blocker; }
  return new OutputLock(file, info);
}

/** Take the lock of an output folder or fail at once with a message naming the holder. */
export function acquireOutputLock(lockDir: string, what: string, opts: LockOptions): OutputLock {
  const r = tryAcquireLock(lockDir, opts);
  if (r instanceof OutputLock) return r;
  throw new HandgapError(`${what} is being written by another process: ${describeHolder(r)}; wait for it to finish or stop it` +
    (r.host !== os.hostname() ? ` (if that process is gone, remove ${lockDir})` : ''), 4);
}

/**
 * Wait for the lock (another process computes the same thing; its result is then reused). Calls
 * `done()` between polls and returns null once it holds; fails with a clear message after `timeoutMs`.
 */
export async function waitForLock(lockDir: string, what: string, opts: LockOptions & { timeoutMs: number; pollMs?: number; done?: () => boolean; log?: (m: string) => void }): Promise<OutputLock | null> {
  const t0 = Date.now();
  let told = '';
  for (;;) {
    const r = tryAcquireLock(lockDir, opts);
    if (r instanceof OutputLock) return r;
    if (r.token !== told) { opts.log?.(`${what}: waiting for ${describeHolder(r)}`); told = r.token; }
    if (Date.now() - t0 > opts.timeoutMs) {
      throw new HandgapError(`${what}: still held by ${describeHolder(r)} after ${Math.round(opts.timeoutMs / 1000)} s; stop that process or raise HANDGAP_LOCK_TIMEOUT (seconds)` +
        (r.host !== os.hostname() ? ` (if it is gone, remove ${lockDir})` : ''), 4);
    }
    await new Promise((res) => setTimeout(res, (opts.pollMs ?? 1000) * (0.5 + Math.random()))); // jitter: racing waiters part
    if (opts.done?.()) return null;
  }
}

/** Lock wait limit: HANDGAP_LOCK_TIMEOUT seconds (default 24 h: another shard may be training). */
export function lockTimeoutMs(): number {
  const v = Number(process.env.HANDGAP_LOCK_TIMEOUT);
  return Number.isFinite(v) && v > 0 ? v * 1000 : 24 * 3600 * 1000;
}

/** How long a per-process folder named without a pid (written by an older handgap) must lie untouched before it counts as stale. */
export const UNNAMED_SCRATCH_STALE_MS = 3600_000;

/**
 * Remove the per-process folders `<parent>/<prefix><pid>-<start ticks | x>-<token>` whose process is gone
 * (dead pid, or the pid now belongs to a process started at another time), and folders `<prefix><token>`
 * without a pid (older handgap versions) untouched for UNNAMED_SCRATCH_STALE_MS. Returns the names removed.
 */
export function removeStaleScratch(parent: string, prefix = ''): string[] {
  let names: string[];
  try { names = fs.readdirSync(parent); } catch { return []; }
  const removed: string[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const rest = n.slice(prefix.length), file = path.join(parent, n);
    const m = /^(\d+)-(\d+|x)-[0-9A-Za-z_]+$/.exec(rest);
    let stale: boolean;
    if (m) stale = !holderAlive({ pid: Number(m[1]), startTicks: m[2] === 'x' ? null : m[2], host: os.hostname() });
    else if (prefix && /^[0-9A-Za-z_]+$/.test(rest)) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      stale = !!st && st.isDirectory() && Date.now() - st.mtimeMs > UNNAMED_SCRATCH_STALE_MS;
    } else continue;
    if (stale) { fs.rmSync(file, { recursive: true, force: true }); removed.push(n); }
  }
  return removed;
}

/**
 * A per-process scratch folder `<parent>/<pid>-<start ticks>-<token>` (removed on release and at exit);
 * scratch folders of processes that are gone are removed when the next one is made.
 */
export function scratchDir(parent: string): { dir: string; release: () => void } {
  fs.mkdirSync(parent, { recursive: true });
  removeStaleScratch(parent);
  const dir = path.join(parent, `${process.pid}-${processStartTicks(process.pid) ?? 'x'}-${crypto.randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  const release = () => { process.off('exit', release); fs.rmSync(dir, { recursive: true, force: true }); try { fs.rmdirSync(parent); } catch { /* others */ } };
  process.once('exit', release);
  return { dir, release };
}

/** Refuse an output folder that equals, contains or lies inside one of the inputs (it would destroy them). */
export function refuseOverlap(out: string, inputs: Array<{ name: string; path: string | undefined }>, opts: { /** an output folder inside an input is fine (it adds, replaces nothing) */ allowInside?: boolean; /** how the output is named to the user (default "--out") */ outName?: string } = {}): void {
  const real = (p: string) => { let q = path.resolve(p); const tail: string[] = [];
    while (!fs.existsSync(q) && path.dirname(q) !== q) { tail.unshift(path.basename(q)); q = path.dirname(q); }
    return path.join(fs.realpathSync(q), ...tail); };
  const o = real(out);
  const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
  for (const inp of inputs) {
    if (!inp.path) continue;
    const i = real(inp.path);
    if ((inside(o, i) && !(opts.allowInside && o !== i)) || inside(i, o)) {
      throw new HandgapError(`${opts.outName ?? '--out'} ${out} ${o === i ? 'is' : inside(o, i) ? 'lies inside' : 'contains'} the ${inp.name} ${inp.path}; writing there would alter it. Choose an output folder outside it`);
    }
  }
}
