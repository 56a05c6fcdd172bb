/**
 * How long the runs still to do will take, from how long runs of the same kind took. An experiment's runs
 * differ by orders of magnitude (a render of 260 images or a training of 800 steps takes minutes, an
 * evaluation or a composition seconds), and on resume many runs come from the cache in no time; a count
 * rate ("runs per second") then promises a study-scale sweep in minutes. The estimate below is the sum,
 * over the runs left, of the mean seconds of their kind, learned from the runs executed in this process
 * and from the `seconds` that cached runs recorded when they ran. Pure: the runner feeds it.
 */
export class KindTimes {
  private readonly total = new Map<string, { seconds: number; n: number }>();

  /** A run of this kind took `seconds` (now, or when a cached result was made). */
  add(kind: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const t = this.total.get(kind) ?? { seconds: 0, n: 0 };
    t.seconds += seconds; t.n += 1;
    this.total.set(kind, t);
  }

  /** Mean seconds of a kind's runs; undefined before one is known. */
  mean(kind: string): number | undefined {
    const t = this.total.get(kind);
    return t && t.n > 0 ? t.seconds / t.n : undefined;
  }

  /**
   * Seconds left for these runs (kind of each), or undefined while a kind among them has no timing yet:
   * a guess from other kinds would be off by the factor this class exists for.
   */
  remaining(kinds: Iterable<string>): number | undefined {
    let sum = 0;
    for (const k of kinds) {
      const m = this.mean(k);
      if (m === undefined) return undefined;
      sum += m;
    }
    return sum;
  }
}
