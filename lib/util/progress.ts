/**
 * Progress reporting for long jobs: count, rate and ETA on one line (redrawn on a TTY, a line every
 * few seconds otherwise, so CI logs stay readable).
 */
export interface ProgressOptions { label: string; total: number; unit?: string; stream?: NodeJS.WriteStream; minIntervalMs?: number }

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

  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY) && !process.env.CI;
  }

  /** Mark `n` more items done; `extra` is shown after the counters (e.g. "loss 0.12"). */
  tick(n = 1, extra?: string): void {
    this.done += n;
    if (extra !== undefined) this.extra = extra;
    const now = Date.now();
    const interval = this.opts.minIntervalMs ?? (this.tty ? 100 : 5000);
    if (now - this.lastDraw >= interval || this.done >= this.opts.total) { this.lastDraw = now; this.draw(); }
  }

  /** Set an absolute count (e.g. when resuming with items already done). */
  set(done: number): void { this.done = done; }

  line(): string {
    const elapsed = (Date.now() - this.start) / 1000;
    // no rate before some time has passed (items found already done would read as millions per second)
    const rate = elapsed >= 0.05 ? this.done / elapsed : NaN;
    const left = this.opts.total - this.done;
    const unit = this.opts.unit ?? 'it';
    const pct = this.opts.total > 0 ? ((100 * this.done) / this.opts.total).toFixed(0) : '100';
    const eta = left <= 0 ? 0 : left / rate;
    return `${this.opts.label}: ${this.done}/${this.opts.total} (${pct}%) ${Number.isFinite(rate) ? rate.toFixed(2) : '?'} ${unit}/s, elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}${this.extra ? ', ' + this.extra : ''}`;
  }

  private draw(): void {
    if (this.tty) this.stream.write(`\r\x1b[K${this.line()}`);
    else this.stream.write(this.line() + '\n');
  }

  finish(): void { this.draw(); if (this.tty) this.stream.write('\n'); }
}
