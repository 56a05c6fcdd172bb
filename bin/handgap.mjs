#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx, so no build step is needed. Signals sent to the launcher
// (Ctrl-C, `kill`, a job scheduler's SIGTERM) are passed on to the CLI, and the launcher exits as it did.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'lib/cli/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { if (child.exitCode === null) child.kill(sig); });
child.on('exit', (code, signal) => {
  if (signal) { process.removeAllListeners(signal); process.kill(process.pid, signal); } // die by the same signal
  else process.exit(code ?? 1);
});
child.on('error', (e) => { console.error(`handgap: cannot start the CLI: ${e.message}`); process.exit(1); });
