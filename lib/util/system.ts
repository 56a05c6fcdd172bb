/**
 * Locating the external programs the toolkit drives. Each finder honours an environment variable
 * and throws MissingDependencyError (one clear message, with the install command) when absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { MissingDependencyError } from './errors.ts';

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* keep looking */ }
  }
  return null;
}

function fromEnvOrPath(envVar: string, names: string[], dependency: string, install: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new MissingDependencyError(`${dependency} (${envVar}=${fromEnv} does not exist)`, install);
    return fromEnv;
  }
  for (const n of names) { const p = onPath(n); if (p) return p; }
  throw new MissingDependencyError(dependency, `${install}  (or set ${envVar}=/path/to/${names[0]})`);
}

/** The Blender binary: $BLENDER, else `blender` on PATH. */
export function findBlender(): string {
  return fromEnvOrPath('BLENDER', ['blender'], 'Blender (3.4 or newer)', 'sudo apt-get install --no-install-recommends blender');
}

/** Chromium for static figure export: $CHROMIUM, else chromium / chromium-browser on PATH. */
export function findChromium(): string {
  return fromEnvOrPath('CHROMIUM', ['chromium', 'chromium-browser', 'google-chrome'], 'Chromium', 'sudo apt-get install --no-install-recommends chromium');
}

/**
 * The Python interpreter that has Jupyter's nbconvert/nbclient. Debian installs them for the system
 * python (/usr/bin/python3), which a pyenv/venv python earlier on PATH does not see.
 */
export function findJupyterPython(): string {
  const candidates = [process.env.HANDGAP_JUPYTER_PYTHON, '/usr/bin/python3', onPath('python3')].filter(Boolean) as string[];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import nbconvert, nbclient'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new MissingDependencyError('Jupyter nbconvert/nbclient for the system python', 'sudo apt-get install --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel  (or set HANDGAP_JUPYTER_PYTHON)');
}

/** First line of `<bin> --version`, or null if it does not run. */
export function versionOf(bin: string, args = ['--version']): string | null {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 || !r.stdout) return null;
  return r.stdout.split('\n').find((l) => l.trim())?.trim() ?? null;
}
