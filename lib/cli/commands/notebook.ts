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
adds --allow-root. The server prints its URL (with the login token); Ctrl-C stops it.
  --port     first port to try (default 8888; the next free one is taken if busy)
  --ip       address to listen on (default 127.0.0.1; 0.0.0.0 for a container)
  --token    login token (default: Jupyter makes one; "" disables login)
  --browser  also open a web browser`,
  async run(args) {
    if (args.positionals.length > 1) throw new HandgapError(`expected at most one folder, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
    const dir = path.resolve(args.positionals[0] ?? notebooksDir);
    const port = optNumber(args, 'port', 8888)!;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HandgapError(`--port must be an integer in 1..65535, got ${port}`);
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
