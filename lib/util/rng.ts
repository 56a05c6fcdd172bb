/**
 * Seeded random numbers. Every random choice in handgap comes from an Rng built from a recorded seed,
 * so outputs can be regenerated exactly. Streams for sub-tasks are derived with `fork(label)` /
 * `Rng.derive(seed, ...keys)`, which makes sample i's randomness independent of how work is sharded.
 */

/** 32-bit FNV-1a hash of a string (used to derive seeds from labels). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 finaliser: spreads a 32-bit integer over all bits. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** sfc32 generator (small, fast, passes PractRand at these sizes). */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    this.a = mix32(seed); this.b = mix32(this.a ^ 0x5bd1e995); this.c = mix32(this.b ^ 0x27d4eb2f); this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A generator for (seed, key1, key2, ...), independent of any other key path. */
  static derive(seed: number, ...keys: (string | number)[]): Rng {
    let s = mix32(seed >>> 0);
    for (const k of keys) s = mix32(s ^ (typeof k === 'number' ? mix32(k >>> 0) : hashString(k)));
    return new Rng(s);
  }

  fork(label: string | number): Rng { return Rng.derive(this.seed, label); }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5, lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniform(lo = 0, hi = 1): number { return lo + (hi - lo) * this.random(); }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number { return lo + Math.floor(this.random() * (hi - lo)); }

  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) { const z = this.spareNormal; this.spareNormal = null; return mean + std * z; }
    let u = 0, v = 0, s = 0;
    do { u = 2 * this.random() - 1; v = 2 * this.random() - 1; s = u * u + v * v; } while (s >= 1 || s === 0);
    const f = Math.sqrt(-2 * Math.log(s) / s);
    this.spareNormal = v * f;
    return mean + std * u * f;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.int(0, items.length)];
  }

  /** Fisher-Yates shuffle, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) { const j = this.int(0, i + 1); [items[i], items[j]] = [items[j], items[i]]; }
    return items;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): number[] { return this.shuffle(Array.from({ length: n }, (_, i) => i)); }
}
