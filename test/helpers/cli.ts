/**
 * Runs a CLI command in-process for tests (spawning the CLI loads every command module, which takes seconds
 * each): parses its arguments strictly as `handgap` does, captures stdout and the error message the CLI
 * prints (stderr), and returns the exit code. An unexpected error (a bug, not bad input) is thrown.
 */
import type { Command } from '../../lib/cli/command.ts';
import { runCli } from '../../lib/cli/main.ts';

export async function runCommand(cmd: Command, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const lines: string[] = [], errors: string[] = [];
  const orig = console.log, origErr = process.stderr.write;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  (process.stderr as unknown as { write: () => boolean }).write = () => true;
  try {
    const status = await runCli(cmd, args, (line) => errors.push(line));
    return { status, stdout: lines.join('\n'), stderr: errors.join('\n') };
  } finally { console.log = orig; process.stderr.write = origErr; }
}
