/** The shape of a CLI command module in lib/cli/commands/*.ts (each file default-exports one). */
import { parseArgs, firstPositional, formatOptions, type OptionSpecs, type ParsedArgs } from './args.ts';
import { HandgapError } from '../util/errors.ts';
import { closest } from '../config/schema.ts';

export interface Subcommand {
  /** Options of this subcommand (declared once: type, description, default, range). */
  options: OptionSpecs;
}

/** A subcommand of a command that is nothing but subcommands: it runs itself. */
export interface RunnableSubcommand extends Subcommand {
  run(args: ParsedArgs): Promise<number | void>;
}

/**
 * A command that is nothing but subcommands (`poses`, `prior`): subcommandOf has already refused a missing
 * or unknown first word, so running is handing the arguments to the named subcommand.
 */
export function subcommandCommand(def: { name: string; summary: string; usage: string; subcommands: Record<string, RunnableSubcommand> }): Command {
  return { ...def, options: {}, run: (args) => def.subcommands[args.positionals[0]!].run(args) };
}

export interface Command {
  /** First word after `handgap` (e.g. "render"). */
  name: string;
  /** One line for `handgap --help`. */
  summary: string;
  /** Synopsis and description for `handgap <name> --help`; the options section is generated from `options`. */
  usage: string;
  /** Options of the command itself (when no subcommand is given). */
  options: OptionSpecs;
  /** Subcommands with their own options (`render merge`, `poses stats`, ...). */
  subcommands?: Record<string, Subcommand>;
  run(args: ParsedArgs): Promise<number | void>;
}

/**
 * The subcommand named by argv (if the command has subcommands and argv names one). A command that is
 * nothing but subcommands refuses any other first word at once (before its options are judged).
 */
export function subcommandOf(cmd: Command, argv: readonly string[]): string | undefined {
  if (!cmd.subcommands) return undefined;
  const union: OptionSpecs = { ...cmd.options };
  for (const s of Object.values(cmd.subcommands)) Object.assign(union, s.options);
  const first = firstPositional(argv, union);
  if (first !== undefined && first in cmd.subcommands) return first;
  if (Object.keys(cmd.options).length === 0 && !argv.includes('--help') && !argv.includes('-h')) {
    const names = Object.keys(cmd.subcommands);
    const guess = first === undefined ? undefined : closest(first, names);
    throw new HandgapError(`${first === undefined ? 'missing subcommand' : `unknown subcommand "${first}"${guess ? ` (did you mean "${guess}"?)` : ''}`}; use ${names.join(', ')}`);
  }
  return undefined;
}

/** Parse argv strictly against the options of the command or of the subcommand it names. */
export function parseCommandArgs(cmd: Command, argv: readonly string[]): ParsedArgs {
  const sub = subcommandOf(cmd, argv);
  const specs = sub ? cmd.subcommands![sub].options : cmd.options;
  const elsewhere: Record<string, string> = {};
  const label = (s: string | undefined) => `"handgap ${cmd.name}${s ? ' ' + s : ''}"`;
  for (const [s, def] of [[undefined, { options: cmd.options }] as const, ...Object.entries(cmd.subcommands ?? {})]) {
    if (s === sub) continue;
    for (const o of Object.keys(def.options)) if (!(o in specs)) elsewhere[o] = elsewhere[o] ? `${elsewhere[o]}, ${label(s)}` : label(s);
  }
  return parseArgs(argv, specs, elsewhere);
}

/** `handgap <name> --help`: the usage text and the generated options sections. */
export function commandHelp(cmd: Command): string {
  const parts = [cmd.usage.trimEnd()];
  if (Object.keys(cmd.options).length) parts.push(`\nOptions${cmd.subcommands ? ` of handgap ${cmd.name}` : ''}:\n${formatOptions(cmd.options)}`);
  for (const [s, def] of Object.entries(cmd.subcommands ?? {})) if (Object.keys(def.options).length) parts.push(`\nOptions of handgap ${cmd.name} ${s}:\n${formatOptions(def.options)}`);
  return parts.join('\n');
}

