/**
 * The strict argument parser every command uses: node:util `parseArgs` in strict mode over options each
 * command declares once (name, type, description, default, allowed range). Unknown options, missing
 * values, wrong types and out-of-range numbers are errors that name the option, the value and what is
 * allowed ("did you mean --workers?"); the help text is generated from the same declarations.
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import { HandgapError, InputError } from '../util/errors.ts';
import { closest } from '../config/schema.ts';

export type OptionType = 'string' | 'boolean' | 'number' | 'integer';

export interface OptionSpec {
  type: OptionType;
  description: string;
  /** Applied when the option is absent (and shown in the help). */
  default?: string | number | boolean;
  /** Shown in the help when the default is computed at run time (e.g. "cores, max 8"). */
  defaultText?: string;
  /** Placeholder in the help ("dir", "file.json"); defaults to the type. */
  value?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** Number bounds: min/max inclusive, above exclusive (e.g. a learning rate above 0). */
  min?: number;
  max?: number;
  above?: number;
  short?: string;
  /** A string option that may be "" (e.g. an empty login token); otherwise "" is rejected. */
  allowEmpty?: boolean;
}
export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs { positionals: string[]; options: Record<string, string | boolean | number> }

/** Every command accepts --help / -h. */
const HELP: OptionSpecs = { help: { type: 'boolean', short: 'h', description: 'show this help' } };

const isNumberType = (t: OptionType) => t === 'number' || t === 'integer';

/** "an integer >= 1", "a number in [0, 1]", "one of a, b". */
export function describeAllowed(spec: OptionSpec): string {
  if (spec.choices) return `one of ${spec.choices.join(', ')}`;
  if (!isNumberType(spec.type)) return spec.type === 'boolean' ? 'no value (a flag)' : 'a value';
  const what = spec.type === 'integer' ? 'an integer' : 'a finite number';
  const lo = spec.above !== undefined ? `> ${spec.above}` : spec.min !== undefined ? `>= ${spec.min}` : undefined;
  if (lo && spec.max !== undefined) return `${what} ${lo} and <= ${spec.max}`;
  if (lo) return `${what} ${lo}`;
  if (spec.max !== undefined) return `${what} <= ${spec.max}`;
  return what;
}

/** Convert and check one option value (the string the user typed). */
export function checkOption(name: string, spec: OptionSpec, raw: string): string | number {
  const bad = () => new InputError(`--${name}`, `got "${raw}"; expected ${describeAllowed(spec)}`);
  if (spec.choices) {
    if (!spec.choices.includes(raw)) {
      const guess = closest(raw, spec.choices);
      throw new InputError(`--${name}`, `got "${raw}"; expected ${describeAllowed(spec)}${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
    return raw;
  }
  if (!isNumberType(spec.type)) {
    if (raw === '' && !spec.allowEmpty) throw bad();
    return raw;
  }
  if (raw.trim() === '') throw bad();
  const v = Number(raw);
  if (!Number.isFinite(v) || (spec.type === 'integer' && !Number.isInteger(v))) throw bad();
  if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max) || (spec.above !== undefined && v <= spec.above)) throw bad();
  return v;
}

/** A token like "-4", "-0.5", "-1e-3": a negative number, not an option. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

function nodeConfig(specs: OptionSpecs) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.type === 'boolean' ? 'boolean' : 'string', ...(s.short ? { short: s.short } : {}) };
  return options;
}

/**
 * `--n -4` → `--n=-4` for options that take a value, so a negative number reaches the range check
 * (node's strict mode would call it an ambiguous option) and gets the same message as any bad value.
 */
function joinNegativeValues(argv: readonly string[], specs: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.push(...argv.slice(i)); break; }
    const spec = a.startsWith('--') && !a.includes('=') ? specs[a.slice(2)] : undefined;
    if (spec && spec.type !== 'boolean' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) { out.push(`${a}=${argv[i + 1]}`); i++; } else out.push(a);
  }
  return out;
}

/** The first positional (a subcommand), found with the union of every option so values are skipped. */
export function firstPositional(argv: readonly string[], specs: OptionSpecs): string | undefined {
  const { tokens } = nodeParseArgs({ args: joinNegativeValues(argv, { ...HELP, ...specs }), options: nodeConfig({ ...HELP, ...specs }), strict: false, allowPositionals: true, tokens: true });
  const first = tokens.find((t) => t.kind === 'positional');
  return first?.kind === 'positional' ? first.value : undefined;
}

/**
 * Parse `argv` strictly against `specs`: typed, range-checked values with defaults applied.
 * `where` names the command in messages about options that belong elsewhere; `elsewhere` lists options
 * that other subcommands of the same command accept (for a more useful message than "unknown").
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, elsewhere: Record<string, string> = {}): ParsedArgs {
  const all = { ...HELP, ...specs };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = nodeParseArgs({ args: joinNegativeValues(argv, all), options: nodeConfig(all), strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    throw translateNodeError(e as Error & { code?: string }, all, elsewhere);
  }
  const options: ParsedArgs['options'] = {};
  for (const [name, v] of Object.entries(parsed.values)) {
    if (v === undefined) continue;
    const spec = all[name];
    options[name] = typeof v === 'boolean' ? v : checkOption(name, spec, v);
  }
  for (const [name, s] of Object.entries(specs)) if (options[name] === undefined && s.default !== undefined && s.type !== 'boolean') options[name] = s.default;
  return { positionals: parsed.positionals, options };
}

function translateNodeError(e: Error & { code?: string }, specs: OptionSpecs, elsewhere: Record<string, string>): Error {
  const name = /'(-{1,2}[^' =]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name) {
    const bare = name.replace(/^-+/, '');
    if (elsewhere[bare]) return new HandgapError(`${name} is an option of ${elsewhere[bare]}, not of this command`);
    const guess = closest(bare, Object.keys(specs));
    const known = Object.keys(specs).map((k) => `--${k}`).join(', ');
    return new HandgapError(`unknown option ${name}${guess ? ` (did you mean --${guess}?)` : ''}; options: ${known}`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name) {
    const bare = name.replace(/^-+/, '');
    const spec = specs[bare] ?? Object.entries(specs).find(([, s]) => s.short === bare)?.[1];
    if (spec?.type === 'boolean') return new HandgapError(`${name} is a flag and takes no value`);
    if (spec) return new HandgapError(`${name} needs a value (${describeAllowed(spec)}); to pass a value starting with "-", write ${name}=<value>`);
  }
  return new HandgapError(e.message);
}

// ---- help --------------------------------------------------------------------------------------

/** The options section of a help text, one line per option, from the declarations. */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const value = s.type === 'boolean' ? '' : ` <${s.value ?? (s.choices ? s.choices.join('|') : s.type === 'string' ? 'value' : s.type)}>`;
    const def = s.default !== undefined && s.type !== 'boolean' ? ` (default ${s.default})` : s.defaultText ? ` (default ${s.defaultText})` : '';
    return [`--${name}${value}`, `${s.description}${def}`];
  });
  const w = Math.min(30, Math.max(...rows.map((r) => r[0].length)));
  return rows.map(([l, r]) => (l.length > w ? `  ${l}\n  ${' '.repeat(w)}  ${r}` : `  ${l.padEnd(w)}  ${r}`)).join('\n');
}

// ---- typed accessors (values are already checked by parseArgs) ----------------------------------

export function optString(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.options[name];
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') throw new HandgapError(`--${name} needs a value`);
  return String(v);
}

export function optNumber(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = args.options[name];
  if (v === undefined) return fallback;
  if (typeof v === 'number') return v;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new InputError(`--${name}`, `got "${String(v)}"; expected a finite number`);
  return n;
}

export function optFlag(args: ParsedArgs, name: string): boolean { return args.options[name] === true; }

export function requirePositional(args: ParsedArgs, index: number, what: string): string {
  const v = args.positionals[index];
  if (v === undefined) throw new HandgapError(`missing argument: ${what}`);
  return v;
}

/** A required option: one message naming it when absent. */
export function requireOption(args: ParsedArgs, name: string, what: string): string {
  const v = optString(args, name);
  if (v === undefined) throw new HandgapError(`--${name} <${what}> is required`);
  return v;
}
