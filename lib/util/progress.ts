/**
 * Progress reporting for long jobs: count, rate and ETA on one line (redrawn on a TTY, a line every
 * few seconds otherwise, so CI logs stay readable), and the Reporter long-running code talks to:
 * on the command line it shows progress and per-run details; inside the notebook kernel it is quiet
 * and prints one summary line per stage (what ran, what came from cache, where the results are).
 */
export interface ProgressOptions {
  label: string; total: number; unit?: string; stream?: NodeJS.WriteStream; minIntervalMs?: number;
  /** no lines while running; finish() prints one summary line (notebooks) */
  quiet?: boolean;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private done = 0;
  private readonly start = Date.now();
  private lastDraw = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private extra = '';
  private skipped = 0;
  /** seconds left as the caller estimates them (e.g. per kind of run); undefined: from the rate */
  private etaOverride: number | undefined | null = null;

  constructor(private readonly opts: ProgressOptions) {
    // inside the notebook kernel progress is quiet unless asked otherwise: one line when it finishes
    this.opts = { ...opts, quiet: opts.quiet ?? process.env.HANDGAP_KERNEL === '1' };
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY) && !process.env.CI;
  }

  /** Mark `n` more items done; `extra` is shown after the counters (e.g. "loss 0.12"). */
  tick(n = 1, extra?: string): void {
    this.done += n;
    if (extra !== undefined) this.extra = extra;
    if (this.opts.quiet) return;
    const now = Date.now();
    const interval = this.opts.minIntervalMs ?? (this.tty ? 100 : 5000);
    if (now - this.lastDraw >= interval || this.done >= this.opts.total) { this.lastDraw = now; this.draw(); }
  }

  /** True where only the final line is printed (notebooks). */
  get quiet(): boolean { return this.opts.quiet === true; }

  /** Mark `n` items done that took no work (found in a cache): counted, but not in the rate. */
  skip(n = 1): void { this.skipped += n; this.tick(n); }

  /**
   * The caller's estimate of the seconds left (a job whose items differ in cost knows better than the
   * count rate); undefined means "not known yet", which is printed as such.
   */
  estimate(secondsLeft: number | undefined): void { this.etaOverride = secondsLeft; }

  /** Set an absolute count (e.g. when resuming with items already done). */
  set(done: number): void { this.done = done; }

  line(): string {
    const elapsed = (Date.now() - this.start) / 1000;
    // no rate before some time has passed (items found already done would read as millions per second)
    // items found already done (skip) are not work done in this time
    const worked = this.done - this.skipped;
    const rate = elapsed >= 0.05 ? worked / elapsed : NaN;
    const left = this.opts.total - this.done;
    const unit = this.opts.unit ?? 'it';
    const pct = this.opts.total > 0 ? ((100 * this.done) / this.opts.total).toFixed(0) : '100';
    const fromRate = worked > 0 ? left / rate : NaN;
    const eta = left <= 0 ? 0 : this.etaOverride === null ? fromRate : this.etaOverride ?? NaN;
    // before the first item there is no rate: say so instead of "? it/s, ETA ?"
    const speed = worked > 0 && Number.isFinite(rate) ? `${rate.toFixed(2)} ${unit}/s, ` : '';
    const timing = left <= 0 ? `in ${formatDuration(elapsed)}` : Number.isFinite(eta) ? `elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}` : `elapsed ${formatDuration(elapsed)}, ETA after the first ${unit}`;
    return `${this.opts.label}: ${this.done}/${this.opts.total} (${pct}%) ${speed}${timing}${this.extra ? ', ' + this.extra : ''}`;
  }

  private drawnDone = -1;

  private draw(): void {
    this.drawnDone = this.done;
    if (this.tty) this.stream.write(`\r\x1b[K${this.line()}`);
    else this.stream.write(this.line() + '\n');
  }

  finish(): void {
    if (this.opts.quiet) { this.stream.write(this.line() + '\n'); return; }
    // a log (not a TTY) already has the final line when the last tick drew it
    if (!this.tty && this.drawnDone === this.done) return;
    this.draw(); if (this.tty) this.stream.write('\n');
  }
}

/** One stage of a long job, as its summary line reports it. */
export interface StageSummary {
  stage: string;            // e.g. "saturation/train"
  scale?: string;
  ran: number;              // runs executed now
  cached: number;           // runs whose results were already there
  waited?: number;          // runs finished meanwhile by another process
  seconds: number;
  results?: string;         // where the results are (folder or file)
}

/** "saturation/train [smoke]: 2 ran, 10 from cache in 12.3s → .handgap/runs/…" */
export function formatStage(s: StageSummary): string {
  const parts = [`${s.ran} ran`, `${s.cached} from cache`, ...(s.waited ? [`${s.waited} by other processes`] : [])];
  return `${s.stage}${s.scale ? ` [${s.scale}]` : ''}: ${parts.join(', ')} in ${formatDuration(s.seconds)}${s.results ? ` → ${s.results}` : ''}`;
}

/**
 * What long-running code calls to report itself. The experiment runner, renders, training and the
 * walkthrough take one (default: reporterForHere()) instead of writing to stderr themselves.
 */
export interface Reporter {
  /** true in notebooks: only stage lines and notes are shown */
  readonly quiet: boolean;
  /** a progress line for `total` items (silent until finish() inside the kernel) */
  progress(label: string, total: number, unit?: string): Progress;
  /** one line per finished stage */
  stage(s: StageSummary): void;
  /** per-run detail (resolved configs, worker chatter): shown on the command line, dropped in notebooks */
  detail(message: string): void;
  /** something the user must see everywhere (a skipped part, a fallback) */
  note(message: string): void;
}

export function consoleReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  return {
    quiet: false,
    progress: (label, total, unit) => new Progress({ label, total, unit, stream }),
    stage: (s) => { stream.write(formatStage(s) + '\n'); },
    detail: (m) => { stream.write(m + '\n'); },
    note: (m) => { stream.write(m + '\n'); },
  };
}

/** For notebooks: no progress lines and no details; one line per stage and the notes, on stdout. */
export function quietReporter(stream: NodeJS.WriteStream = process.stdout): Reporter {
  return {
    quiet: true,
    progress: (label, total, unit) => new Progress({ label, total, unit, stream, quiet: true }),
    stage: (s) => { stream.write(formatStage(s) + '\n'); },
    detail: () => { /* kept out of notebooks */ },
    note: (m) => { stream.write(m + '\n'); },
  };
}

/** The quiet reporter inside the project's Jupyter kernel (HANDGAP_KERNEL=1), the console one elsewhere. */
export function reporterForHere(env: Record<string, string | undefined> = process.env): Reporter {
  return env.HANDGAP_KERNEL === '1' ? quietReporter() : consoleReporter();
}
