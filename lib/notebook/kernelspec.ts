/**
 * The project's Jupyter kernelspec ("handgap": tslab under `node --import tsx lib/notebook/kernel.ts`),
 * its one writer, and the checks `handgap status` runs on it.
 *
 * Installation goes through `jupyter kernelspec install`, so Jupyter itself decides where a --user or
 * --prefix install lands, and every Jupyter front end (classic Notebook, JupyterLab, VS Code,
 * JupyterHub) finds it the way it finds any other kernel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot, cacheDir } from '../util/paths.ts';
import { HandgapError, MissingDependencyError } from '../util/errors.ts';
import { findJupyterPython } from '../util/system.ts';

export const KERNEL_NAME = 'handgap';
export const KERNEL_DISPLAY_NAME = 'TypeScript (handgap)';

export interface KernelSpec { argv: string[]; display_name: string; language: string; env: Record<string, string> }

/** The kernel.json content: absolute paths to this node, this checkout's tsx loader and kernel launcher. */
export function kernelSpec(nodeBin = process.execPath, root = projectRoot): KernelSpec {
  return {
    argv: [nodeBin, '--import', path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), path.join(root, 'lib', 'notebook', 'kernel.ts'), '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    env: { HANDGAP_KERNEL: '1' },
  };
}

/** The project-local Jupyter data dir (registered by scripts/bootstrap.sh; JUPYTER_PATH for the runner). */
export function projectJupyterPrefix(): string { return path.join(cacheDir(), 'jupyter'); }
export function projectJupyterPath(): string { return path.join(projectJupyterPrefix(), 'share', 'jupyter'); }

/** The project-local data dir, checked to hold the kernelspec (else: run the bootstrap). */
export function requireProjectKernel(): string {
  const p = projectJupyterPath();
  if (!fs.existsSync(path.join(p, 'kernels', KERNEL_NAME, 'kernel.json'))) throw new MissingDependencyError(`the ${KERNEL_NAME} Jupyter kernelspec in ${p}`, 'bash scripts/bootstrap.sh');
  return p;
}

export type InstallTarget = { kind: 'user' } | { kind: 'prefix'; prefix: string };

/** Where the spec lands, as reported by `jupyter kernelspec install`. */
export function installKernelSpec(target: InstallTarget, env: NodeJS.ProcessEnv = process.env): string {
  const py = findJupyterPython();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-kernelspec-'));
  try {
    const dir = path.join(tmp, KERNEL_NAME);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 1) + '\n');
    const where = target.kind === 'user' ? ['--user'] : ['--prefix', path.resolve(target.prefix)];
    const r = spawnSync(py, ['-m', 'jupyter', 'kernelspec', 'install', dir, '--name', KERNEL_NAME, '--replace', ...where], { encoding: 'utf8', env });
    if (r.status !== 0) throw new HandgapError(`jupyter kernelspec install failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
    // "[InstallKernelSpec] Installed kernelspec handgap in /path"
    const m = /Installed kernelspec \S+ in (.+)$/m.exec(r.stderr + r.stdout);
    return m ? m[1].trim() : (target.kind === 'prefix' ? path.join(path.resolve(target.prefix), 'share', 'jupyter', 'kernels', KERNEL_NAME) : '?');
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
}

/** The kernelspecs Jupyter sees (name → resource dir), as `jupyter kernelspec list --json` reports them. */
export function listKernelSpecs(env: NodeJS.ProcessEnv = process.env): Record<string, { resource_dir: string; spec: KernelSpec }> {
  const py = findJupyterPython();
  const r = spawnSync(py, ['-m', 'jupyter', 'kernelspec', 'list', '--json'], { encoding: 'utf8', env });
  if (r.status !== 0) throw new HandgapError(`jupyter kernelspec list failed: ${r.stderr.trim().split('\n').pop()}`);
  return (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: KernelSpec }> }).kernelspecs;
}

/**
 * Why a registered spec would not start, or null if it would: its node binary, tsx loader and kernel
 * launcher must exist (a moved checkout or another node leaves a stale spec behind).
 */
export function staleSpecProblem(spec: KernelSpec): string | null {
  const files = spec.argv.filter((a, i) => i === 0 || a.endsWith('.mjs') || a.endsWith('.ts'));
  const missing = files.filter((f) => !fs.existsSync(f));
  return missing.length ? `missing ${missing.join(', ')}` : null;
}

/** The environment under which Jupyter sees the project-local kernel (prepends JUPYTER_PATH). */
export function withProjectKernel(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, JUPYTER_PATH: [projectJupyterPath(), env.JUPYTER_PATH].filter(Boolean).join(path.delimiter) };
}
