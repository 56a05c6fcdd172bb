/** The shape of a CLI command module in lib/cli/commands/*.ts (each file default-exports one). */
import type { ParsedArgs } from './args.ts';

export interface Command {
  /** First word after `handgap` (e.g. "render"). */
  name: string;
  /** One line for `handgap --help`. */
  summary: string;
  /** Full usage text for `handgap <name> --help`. */
  usage: string;
  run(args: ParsedArgs): Promise<number | void>;
}
