import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Command } from '../command.ts';
import { optFlag, optNumber, optString } from '../args.ts';
import { notebookServerCommand } from '../../notebook/server.ts';
import { notebooksDir } from '../../notebook/runner.ts';
import { HandgapError } from '../../util/errors.ts';

const command: Command = {
  name: 'notebook',
  summary: 'start the Jupyter notebook server on notebooks/ with the project\'s TypeScript kernel',
  usage: `handgap notebook [dir] [--port N] [--ip ADDR] [--token T] [--browser]

Starts Jupyter's classic notebook server (Debian's jupyter-notebook) on dir (default notebooks/),
with the project's "handgap" kernel found through JUPYTER_PATH and selected by default; as root it
adds --allow-root. The server prints its URL (with the login token); Ctrl-C stops it.`,
  options: {
    port: { type: 'integer', min: 1, max: 65535, default: 8888, description: 'first port to try (the next free one is taken if busy)' },
    ip: { type: 'string', value: 'addr', description: 'address to listen on (0.0.0.0 for a container)', defaultText: '127.0.0.1' },
    token: { type: 'string', allowEmpty: true, description: 'login token ("" disables login)', defaultText: 'Jupyter makes one' },
    browser: { type: 'boolean', description: 'also open a web browser' },
  },
  async run(args) {
    if (args.positionals.length > 1) throw new HandgapError(`expected at most one folder, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
    const dir = path.resolve(args.positionals[0] ?? notebooksDir);
    const port = optNumber(args, 'port')!;
    const { python, args: argv, env } = notebookServerCommand({ dir, port, ip: optString(args, 'ip'), token: optString(args, 'token'), openBrowser: optFlag(args, 'browser') });
    const child = spawn(python, argv, { env, stdio: 'inherit' });
    // forward Ctrl-C / termination so that the server shuts its kernels down cleanly
    const forward = (sig: NodeJS.Signals) => () => { child.kill(sig); };
    process.on('SIGINT', forward('SIGINT'));
    process.on('SIGTERM', forward('SIGTERM'));
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve(code ?? (sig === 'SIGINT' || sig === 'SIGTERM' ? 0 : 1)));
    });
  },
};
export default command;
