/**
 * `handgap <command> ...`: the command modules of lib/cli/commands/ (one file per command, each a thin
 * wiring of lib/, listed below by static imports so a reader can follow any option to its use), parses their options strictly, prints one clear message for bad input
 * (no stack trace) and sets the exit code. An error that is not a HandgapError is a bug: its stack is shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandHelp, parseCommandArgs, type Command } from './command.ts';
import { HandgapError } from '../util/errors.ts';
import { closest } from '../config/schema.ts';
import { projectRoot } from '../util/paths.ts';
import composeCommand from './commands/compose.ts';
import dataCommand from './commands/data.ts';
import evalCommand from './commands/eval.ts';
import experimentCommand from './commands/experiment.ts';
import exportCommand from './commands/export.ts';
import figuresCommand from './commands/figures.ts';
import gapCommand from './commands/gap.ts';
import kernelCommand from './commands/kernel.ts';
import notebookCommand from './commands/notebook.ts';
import notebooksCommand from './commands/notebooks.ts';
import posesCommand from './commands/poses.ts';
import predictCommand from './commands/predict.ts';
import priorCommand from './commands/prior.ts';
import renderCommand from './commands/render.ts';
import reproduceCommand from './commands/reproduce.ts';
import spectrumCommand from './commands/spectrum.ts';
import statusCommand from './commands/status.ts';
import trainCommand from './commands/train.ts';

/** Every command, by name. A new command is one file in commands/ and one line here. */
export const COMMANDS: readonly Command[] = [
  composeCommand, dataCommand, evalCommand, experimentCommand, exportCommand, figuresCommand, gapCommand, kernelCommand, notebookCommand, notebooksCommand, posesCommand, predictCommand, priorCommand, renderCommand, reproduceCommand, spectrumCommand, statusCommand, trainCommand,
].sort((a, b) => a.name.localeCompare(b.name));

function help(commands: readonly Command[]): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return ['usage: handgap <command> [options]   (handgap <command> --help for details; handgap --version)', '', 'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`)].join('\n');
}

export function version(): string {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version as string;
}

/**
 * A file-system error about a path the user gave (ENOTDIR, EACCES, ENOSPC, ...): one line naming the
 * path and the reason, not a stack trace.
 */
function fsErrorMessage(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof err.code !== 'string' || !err.syscall || !err.path) return undefined;
  const reasons: Record<string, string> = {
    ENOTDIR: 'a part of the path is a file, not a folder', EACCES: 'permission denied', EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the device', EROFS: 'read-only file system', EEXIST: 'already exists', EISDIR: 'is a folder, not a file',
    ENOENT: 'no such file or folder', ENAMETOOLONG: 'name too long',
  };
  return `${err.path}: cannot ${err.syscall} (${err.code}: ${reasons[err.code] ?? err.message})`;
}

/** Run one command's argv (without the command name) and return the exit code; errors are printed here. */
export async function runCli(cmd: Command, argv: readonly string[], log: (line: string) => void = console.error): Promise<number> {
  try {
    const args = parseCommandArgs(cmd, argv);
    if (args.options.help) { console.log(commandHelp(cmd)); return 0; }
    const code = await cmd.run(args);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof HandgapError) { log(`handgap ${cmd.name}: ${e.message}`); return e.exitCode; }
    const fsMessage = fsErrorMessage(e);
    if (fsMessage) { log(`handgap ${cmd.name}: ${fsMessage}`); return 2; }
    throw e;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') { console.log(`handgap ${version()}`); return 0; }
  const commands = COMMANDS;
  if (!name || name === '--help' || name === '-h' || name === 'help') { console.log(help(commands)); return 0; }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    const guess = closest(name, commands.map((c) => c.name));
    console.error(`handgap: unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}\n\n${help(commands)}`);
    return 2;
  }
  return runCli(cmd, rest);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // an unexpected error is a bug: show its stack
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
}
