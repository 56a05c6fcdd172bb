/**
 * Runs a CLI command in-process for tests (spawning the CLI loads every command module, which takes seconds
 * each): captures stdout, silences stderr, and maps HandgapErrors to their exit code as lib/cli/main.ts does.
 */
import type { Command } from '../../lib/cli/command.ts';
import { parseArgs } from '../../lib/cli/args.ts';
import { HandgapError } from '../../lib/util/errors.ts';

export async function runCommand(cmd: Command, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const lines: string[] = [];
  const orig = console.log, origErr = process.stderr.write;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  (process.stderr as unknown as { write: () => boolean }).write = () => true;
  try {
    const code = await cmd.run(parseArgs(args));
    return { status: typeof code === 'number' ? code : 0, stdout: lines.join('\n'), stderr: '' };
  } catch (e) {
    if (e instanceof HandgapError) return { status: e.exitCode, stdout: lines.join('\n'), stderr: e.message };
    throw e;
  } finally { console.log = orig; process.stderr.write = origErr; }
}
