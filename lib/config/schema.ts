/**
 * The one config layer: every JSON file the project reads (render, train, prior, experiment, ...) is
 * described by a zod schema (types, defaults, strict keys, ranges) and parsed here. Parsing loads
 * nothing heavy (no TensorFlow, no Blender).
 *
 * Why zod (v4): one declaration gives the TypeScript type, the defaults and the checks (interface,
 * defaults table and hand-written schema were three copies before); `z.strictObject` rejects unknown
 * keys; issues carry the field path, the bad value's kind and the allowed values, which is what our
 * messages need. Valibot would do too; zod's issue objects are richer and it is the better-known API.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { InputError } from '../util/errors.ts';

export { z };

/** "a.b[2].c" from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(top level)';
}

/** The schema at a field path (through wrappers, objects, arrays, tuples), or undefined. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): unknown {
  let s: unknown = schema;
  for (const p of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, unknown>)[String(p)];
    else if (s instanceof z.ZodArray) s = s.element;
    else if (s instanceof z.ZodTuple) s = (s.def.items as unknown[])[Number(p)];
    else if (s instanceof z.ZodRecord) s = s.def.valueType;
    else return undefined;
  }
  return unwrap(s);
}

/** Every key of a strict object schema, for "did you mean" and "allowed" lists. */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  const s = schemaAt(schema, path);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : undefined;
}

/** "an integer in [1, 100]", "a number > 0", "one of "a", "b"" for number and enum schemas. */
function allowedValues(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  const s = schemaAt(schema, path);
  if (s instanceof z.ZodNumber) {
    const what = s.isInt ? 'an integer' : 'a finite number';
    const bag = (s as unknown as { _zod: { bag: { minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number } } })._zod.bag;
    const lo = bag.exclusiveMinimum !== undefined ? `> ${bag.exclusiveMinimum}` : bag.minimum !== undefined && Number.isFinite(bag.minimum) && Math.abs(bag.minimum) < Number.MAX_SAFE_INTEGER ? `>= ${bag.minimum}` : undefined;
    const hi = bag.exclusiveMaximum !== undefined ? `< ${bag.exclusiveMaximum}` : bag.maximum !== undefined && Number.isFinite(bag.maximum) && Math.abs(bag.maximum) < Number.MAX_SAFE_INTEGER ? `<= ${bag.maximum}` : undefined;
    return `expected ${what}${lo ? ` ${lo}` : ''}${lo && hi ? ' and' : ''}${hi ? ` ${hi}` : ''}`;
  }
  if (s instanceof z.ZodEnum) return `expected one of ${(s.options as unknown[]).map((o) => JSON.stringify(o)).join(', ')}`;
  if (s instanceof z.ZodBoolean) return 'expected true or false';
  return undefined;
}

/** Look through default / prefault / optional / nullable / pipe wrappers to the schema inside. */
function unwrap(s: unknown): unknown {
  for (;;) {
    const def = (s as { def?: { innerType?: unknown; in?: unknown; out?: unknown } } | undefined)?.def;
    if (def?.innerType) s = def.innerType;
    // a preprocess step (transform → schema) is looked through to its output schema
    else if (s instanceof z.ZodPipe && def?.in instanceof z.ZodTransform) s = def.out;
    else if (s instanceof z.ZodPipe && def?.in) s = def.in;
    else return s;
  }
}

/** Closest candidate by edit distance (for "did you mean ..."), or undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const w = word.toLowerCase(), lc = c.toLowerCase();
    // a prefix ("rotation" for "rotationDeg") counts as close
    const d = w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc)) ? 1 : editDistance(w, lc);
    if (d < bestD) { bestD = d; best = c; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** One line per issue: "field.path: got <value>; <what is allowed>". */
export function describeIssues(schema: z.ZodType, value: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, issue.path) ?? [];
      for (const key of issue.keys) {
        const guess = closest(key, allowed);
        const at = fieldPath([...issue.path, key]);
        lines.push(`${at}: unknown field${guess ? ` (did you mean "${guess}"?)` : ''}; allowed: ${allowed.join(', ')}`);
      }
      continue;
    }
    const got = valueAt(value, issue.path);
    const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
    // for numbers, enums and booleans say the whole allowed set (zod's message names only the bound that failed)
    const allowed = issue.code === 'custom' ? undefined : allowedValues(schema, issue.path);
    lines.push(`${fieldPath(issue.path)}: got ${shown}; ${allowed ?? issue.message}`);
  }
  return lines;
}

/**
 * Parse `value` with `schema` (defaults applied). On failure throw one InputError naming `source`
 * (a file or "--option") and every bad field with what is allowed.
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, source: string, kind = 'config'): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const lines = describeIssues(schema, value, r.error.issues);
  throw new InputError(source, `invalid ${kind}:\n  ${lines.join('\n  ')}`);
}

/** Read a JSON file and parse it (a missing file or bad JSON is one clear error naming the file). */
export function readConfigFile<S extends z.ZodType>(schema: S, file: string, kind = 'config'): z.output<S> {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new InputError(file, `cannot read ${kind} file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) { throw new InputError(file, `not valid JSON: ${(e as Error).message}`); }
  return parseConfig(schema, value, file, kind);
}

// ---- small shared building blocks ---------------------------------------------------------------

/** A finite number in [lo, hi]. */
export const num = (lo: number, hi: number) => z.number().finite().min(lo).max(hi);
/** An integer in [lo, hi]. */
export const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);
/** A [lo, hi] pair with min <= lo <= hi <= max, sampled uniformly by the consumers. */
export const range = (min: number, max: number) =>
  z.tuple([num(min, max), num(min, max)]).refine(([a, b]) => a <= b, { message: `expected [lo, hi] with lo <= hi, both in [${min}, ${max}]` });
