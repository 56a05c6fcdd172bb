/**
 * A persistent Blender worker process: started once, fed render specs as JSON lines, answering one JSON
 * line per spec (prefixed '@@HANDGAP '). The driver restarts it when it crashes, hangs past a timeout,
 * or has rendered its bounded number of samples (Blender's memory grows across scenes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findBlender } from '../util/system.ts';
import { genericHandPath } from '../hand/asset.ts';
import { HandgapError } from '../util/errors.ts';
import { removeStaleScratch } from '../util/lock.ts';
import type { RenderSpec, Mat3 } from './spec.ts';
import { finishImage } from './denoise-io.ts';

export const WORKER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'blender', 'worker.py');
const PREFIX = '@@HANDGAP ';
/** Each Blender worker's pass-output folder in the temp dir: `<prefix><pid>-<start ticks>-<token>` (render.py). */
export const INDEX_DIR_PREFIX = 'handgap-index-';
const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface WorkerReady { blender: string; datafiles: string; pid: number; restJoints25: number[][] }
export interface RenderResult {
  index: number;
  /** posed rig joints read back from Blender: 25×3 and their 21 (MAP_25_TO_21), metres, OpenCV camera frame */
  joints25: number[][];
  xyz: number[][];
  /** intrinsics recomputed from the Blender camera */
  K: Mat3;
  width: number; height: number;
  handScale: number;
  maskCounts: { background: number; hand: number; forearm: number; object: number };
  occlusion?: { handPixelsUnoccluded: number; handPixelsVisible: number; ratio: number };
  /** skinned base-mesh vertices (V×3, metres, OpenCV camera frame; the labels are derived from them) */
  verts: number[][];
  timing: { setup: number; render: number; total: number };
}

export class WorkerCrashed extends Error {}
export class WorkerTimeout extends Error {}
/** The worker answered with an error for this sample; `asset`: an image it needs is unreadable (retrying cannot help). */
export class SampleFailed extends Error { constructor(message: string, readonly asset = false) { super(message); } }

/**
 * Environment for Blender: Debian's Blender links the system libpython but takes its Python home from
 * the first python3 on PATH, so a pyenv/venv python there hides numpy (which the glTF importer needs).
 */
export function blenderEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ['PYTHONHOME', 'PYTHONPATH', 'VIRTUAL_ENV', 'PYENV_VERSION']) delete env[k];
  env.PATH = (env.PATH ?? '').split(path.delimiter).filter((d) => !/\.pyenv|virtualenv|\/venv\b|\/\.venv\b|conda/.test(d)).join(path.delimiter);
  return env;
}

export interface WorkerOptions { threads?: number; blender?: string; asset?: string; env?: Record<string, string>; startTimeoutMs?: number; log?: (line: string) => void }

export class BlenderWorker {
  private proc: ChildProcess | null = null;
  private buf = '';
  /** the pending answer, tied to the process it is expected from (a killed process's late exit must not reject its successor's) */
  private waiting: { proc: ChildProcess; resolve: (v: any) => void; reject: (e: Error) => void } | null = null;
  private stderrTail: string[] = [];
  ready: WorkerReady | null = null;
  rendered = 0;

  constructor(private readonly opts: WorkerOptions = {}) {}

  get pid(): number | undefined { return this.proc?.pid; }

  async start(): Promise<WorkerReady> {
    const blender = this.opts.blender ?? findBlender();
    const args = ['-b', '--factory-startup', '-noaudio', '--python-exit-code', '1', '--python', WORKER_SCRIPT, '--',
      '--asset', this.opts.asset ?? genericHandPath('right'), '--threads', String(this.opts.threads ?? 0)];
    removeStaleScratch(os.tmpdir(), INDEX_DIR_PREFIX); // folders of workers that were killed (SIGKILL skips their clean-up)
    const proc = spawn(blender, args, { stdio: ['pipe', 'pipe', 'pipe'], env: blenderEnv(this.opts.env) });
    this.proc = proc;
    this.buf = '';
    this.stderrTail = [];
    this.rendered = 0;
    proc.stdout!.setEncoding('utf8');
    proc.stderr!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => { if (this.proc === proc) this.onData(chunk); });
    proc.stderr!.on('data', (chunk: string) => { this.stderrTail.push(chunk); if (this.stderrTail.length > 20) this.stderrTail.shift(); });
    proc.on('exit', (code, signal) => {
      if (this.proc === proc) this.proc = null;
      this.rejectWaiting(proc, new WorkerCrashed(`Blender worker exited (code ${code}, signal ${signal})${this.stderrTail.length ? ': ' + this.stderrTail.join('').slice(-800) : ''}`));
    });
    proc.on('error', (e) => this.rejectWaiting(proc, new WorkerCrashed(`cannot run Blender: ${e.message}`)));
    let msg;
    try { msg = await this.next(this.opts.startTimeoutMs ?? 120_000); } catch (e) { this.kill(); throw e; }
    if (!msg.ok) { this.kill(); throw new HandgapError(`Blender worker failed to start: ${msg.error}\n${msg.trace ?? ''}`); }
    this.ready = msg as WorkerReady;
    return this.ready;
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (line.startsWith(PREFIX)) {
        const w = this.waiting; this.waiting = null;
        try { w?.resolve(JSON.parse(line.slice(PREFIX.length))); } catch (e) { w?.reject(e as Error); }
      } else if (this.opts.log && line.trim()) this.opts.log(line);
    }
  }

  private rejectWaiting(proc: ChildProcess, e: Error): void {
    const w = this.waiting;
    if (!w || w.proc !== proc) return;
    this.waiting = null;
    w.reject(e);
  }

  private next(timeoutMs: number): Promise<any> {
    const proc = this.proc!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting = null; this.kill(); reject(new WorkerTimeout(`Blender worker gave no answer within ${(timeoutMs / 1000).toFixed(0)} s; killed it`)); }, timeoutMs);
      this.waiting = {
        proc,
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
    });
  }

  /** Render one spec. Rejects with WorkerCrashed / WorkerTimeout (worker gone) or SampleFailed (worker alive). */
  async render(spec: RenderSpec, timeoutMs = 180_000): Promise<RenderResult> {
    if (!this.proc) throw new WorkerCrashed('worker not running');
    // A supersampled image is averaged from Blender's float passes, so an 8-bit image asked of a supersampled
    // spec is written here from them (the view transform Blender would apply, no denoising).
    const rgb = spec.render.supersample > 1 && !spec.outputs.aux ? spec.outputs.rgb : undefined;
    const aux = rgb ? `${rgb}.${process.pid}.passes.npy` : undefined;
    const sent = rgb ? { ...spec, outputs: { ...spec.outputs, rgb: undefined, aux } } : spec;
    const answer = this.next(timeoutMs);
    this.proc.stdin!.write(JSON.stringify({ cmd: 'render', spec: sent }) + '\n');
    const msg = await answer;
    this.rendered++;
    if (!msg.ok) throw new SampleFailed(`sample ${spec.index}: ${msg.error}${msg.trace ? '\n' + msg.trace : ''}`, msg.kind === 'asset');
    if (rgb && aux) await finishImage(aux, rgb, { denoise: false, quality: spec.render.jpegQuality });
    return msg.result as RenderResult;
  }

  alive(): boolean { return this.proc !== null; }

  /** CPU seconds (user + system) the Blender process has used so far (Linux /proc; null elsewhere). */
  cpuSeconds(): number | null {
    const pid = this.proc?.pid;
    if (!pid) return null;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
    } catch { return null; }
  }

  kill(): void {
    const p = this.proc;
    this.proc = null;
    if (p && p.exitCode === null) p.kill('SIGKILL');
    if (p) this.rejectWaiting(p, new WorkerCrashed('Blender worker killed'));
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { p.kill('SIGKILL'); resolve(); }, 10_000);
      p.once('exit', () => { clearTimeout(t); resolve(); });
      p.stdin!.write(JSON.stringify({ cmd: 'quit' }) + '\n');
      p.stdin!.end();
    });
    this.proc = null;
  }
}
