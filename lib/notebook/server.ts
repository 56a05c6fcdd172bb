/**
 * The Jupyter notebook server with the project's kernel (`handgap notebook`, and the browser test):
 * Debian's classic Notebook (python3 -m notebook) with JUPYTER_PATH pointing at the project-local
 * kernelspec, "handgap" as the default kernel, plotly.js served as a static file for the figures
 * (lib/plot/display.ts), and --allow-root when running as root (containers, CI).
 */
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { findJupyterPython } from '../util/system.ts';
import { MissingDependencyError, HandgapError } from '../util/errors.ts';
import { plotlyMinPath } from '../plot/plotlyjs.ts';
import { KERNEL_NAME, requireProjectKernel, withProjectKernel } from './kernelspec.ts';

export interface ServerOptions {
  dir: string;              // folder the server shows (notebooks/)
  port?: number;            // default 8888 (Jupyter retries the next ports when taken)
  ip?: string;              // default 127.0.0.1
  token?: string;           // default: Jupyter makes one and prints the URL
  openBrowser?: boolean;    // default false
  portRetries?: number;     // 0 makes a taken port an error (tests)
}

/** The notebook server's version for a python, or null when that python lacks it. */
export function notebookServerVersion(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import notebook; print(notebook.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A python with both the notebook server and nbconvert/nbclient (Debian: jupyter-notebook). */
export function findNotebookPython(): string {
  const py = findJupyterPython();
  if (!notebookServerVersion(py)) throw new MissingDependencyError('the Jupyter notebook server', 'sudo apt-get install --no-install-recommends jupyter-notebook  (or run bash scripts/bootstrap.sh as root)');
  return py;
}

export function isRoot(): boolean { return typeof process.getuid === 'function' && process.getuid() === 0; }

/** The command line and environment that start the server. */
export function notebookServerCommand(opts: ServerOptions): { python: string; args: string[]; env: NodeJS.ProcessEnv } {
  const python = findNotebookPython();
  requireProjectKernel();
  const args = ['-m', 'notebook',
    `--notebook-dir=${path.resolve(opts.dir)}`,
    `--ip=${opts.ip ?? '127.0.0.1'}`,
    `--port=${opts.port ?? 8888}`,
    `--MappingKernelManager.default_kernel_name=${KERNEL_NAME}`,
    // figures load plotly.js from here (static/plotly-<version>.min.js) instead of inlining it
    `--NotebookApp.extra_static_paths=${JSON.stringify([path.dirname(plotlyMinPath())])}`,
    ...(opts.openBrowser ? [] : ['--no-browser']),
    ...(opts.token !== undefined ? [`--NotebookApp.token=${opts.token}`] : []),
    ...(opts.portRetries !== undefined ? [`--port-retries=${opts.portRetries}`] : []),
    // Jupyter refuses to start as root without it (containers and CI run as root)
    ...(isRoot() ? ['--allow-root'] : []),
  ];
  return { python, args, env: withProjectKernel() };
}

export interface RunningServer { url: string; child: ChildProcess; log: () => string; stop(): Promise<void> }

/**
 * Start the server and wait until it answers on /api/kernelspecs with the handgap kernel listed
 * (timeout: one clear error with the server's last log lines).
 */
export async function startNotebookServer(opts: ServerOptions & { token: string; port: number }, timeoutMs = 60_000): Promise<RunningServer> {
  const { python, args, env } = notebookServerCommand({ ...opts, portRetries: opts.portRetries ?? 0 });
  const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => { log += d; });
  child.stderr!.on('data', (d) => { log += d; });
  const base = `http://${opts.ip ?? '127.0.0.1'}:${opts.port}`;
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 5000).unref();
  });
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) break;
    try {
      const r = await fetch(`${base}/api/kernelspecs?token=${opts.token}`);
      if (r.ok) {
        const specs = (await r.json()) as { kernelspecs: Record<string, unknown> };
        if (!(KERNEL_NAME in specs.kernelspecs)) { await stop(); throw new HandgapError(`the notebook server does not list the ${KERNEL_NAME} kernel (has: ${Object.keys(specs.kernelspecs).join(', ')})`); }
        return { url: `${base}/?token=${opts.token}`, child, log: () => log, stop };
      }
    } catch (e) { if (e instanceof HandgapError) throw e; /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new HandgapError(`the notebook server did not come up on ${base} within ${timeoutMs / 1000} s:\n${log.trim().split('\n').slice(-8).join('\n')}`);
}
