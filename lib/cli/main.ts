/**
 * `handgap <command> ...`: discovers the command modules in lib/cli/commands/ (one file per command,
 * each a thin wiring of lib/), prints clear errors for bad input, and sets the exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from './args.ts';
import type { Command } from './command.ts';
import { HandgapError } from '../util/errors.ts';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

export async function loadCommands(): Promise<Command[]> {
  const files = fs.readdirSync(commandsDir).filter((f) => f.endsWith('.ts')).sort();
  const mods = await Promise.all(files.map((f) => import(pathToFileURL(path.join(commandsDir, f)).href)));
  return mods.map((m) => m.default as Command).sort((a, b) => a.name.localeCompare(b.name));
}

function help(commands: Command[]): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return ['usage: handgap <command> [options]   (handgap <command> --help for details)', '', 'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { console.log(help(commands)); return 0; }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) { console.error(`handgap: unknown command "${name}"\n\n${help(commands)}`); return 2; }
  const args = parseArgs(rest);
  if (args.options.help || args.options.h) { console.log(cmd.usage); return 0; }
  try {
    const code = await cmd.run(args);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof HandgapError) { console.error(`handgap ${name}: ${e.message}`); return e.exitCode; }
    throw e;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
}
