/**
 * Tiny argument parser shared by every command: `--name value`, `--flag`, `--name=value`, positionals.
 */
import { HandgapError } from '../util/errors.ts';

export interface ParsedArgs { positionals: string[]; options: Record<string, string | boolean> }

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) { options[a.slice(2, eq)] = a.slice(eq + 1); continue; }
      const name = a.slice(2);
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) { options[name] = next; i++; } else options[name] = true;
    } else positionals.push(a);
  }
  return { positionals, options };
}

export function optString(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new HandgapError(`--${name} needs a value`);
  return v;
}

export function optNumber(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = optString(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new HandgapError(`--${name} must be a number, got "${v}"`);
  return n;
}

export function optFlag(args: ParsedArgs, name: string): boolean { return args.options[name] !== undefined && args.options[name] !== 'false'; }

export function requirePositional(args: ParsedArgs, index: number, what: string): string {
  const v = args.positionals[index];
  if (v === undefined) throw new HandgapError(`missing argument: ${what}`);
  return v;
}
