import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command.ts';
import { findBlender, findChromium, findJupyterPython, versionOf } from '../../util/system.ts';
import { KERNEL_NAME, listKernelSpecs, projectJupyterPath, staleSpecProblem, withProjectKernel } from '../../notebook/kernelspec.ts';
import { notebookServerVersion } from '../../notebook/server.ts';
import { projectRoot, sharedDir, dataDir, findKnownSet, knownSets, type KnownSet } from '../../util/paths.ts';

function check(name: string, f: () => string, optional = false): string {
  try { return `  ok       ${name}: ${f()}`; } catch (e) { return `  ${optional ? 'absent ' : 'MISSING'}  ${name}: ${(e as Error).message}`; }
}

/** Ask Jupyter itself which kernelspecs it sees, and check that ours would start. */
function kernelCheck(env: NodeJS.ProcessEnv, absent: string): string {
  const found = listKernelSpecs(env)[KERNEL_NAME];
  if (!found) throw new Error(absent);
  const stale = staleSpecProblem(found.spec);
  if (stale) throw new Error(`${found.resource_dir} is stale: ${stale} (re-run its install)`);
  return found.resource_dir;
}

const command: Command = {
  name: 'status',
  summary: 'report what is installed (Node packages, Blender, Jupyter, Chromium) and which data sets are found',
  usage: 'handgap status\n\nPrints the versions of the toolkit\'s dependencies and where each known data set was found.',
  options: {},
  async run() {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
    const lines = [`handgap ${pkg.version} at ${projectRoot}`, `node ${process.version}`, 'npm packages:'];
    for (const dep of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]) {
      const p = path.join(projectRoot, 'node_modules', dep, 'package.json');
      lines.push(fs.existsSync(p) ? `  ok       ${dep} ${JSON.parse(fs.readFileSync(p, 'utf8')).version}` : `  absent   ${dep}${dep in (pkg.optionalDependencies ?? {}) ? ' (optional: needs libtensorflow + CUDA)' : ''}`);
    }
    lines.push('system:');
    lines.push(check('blender', () => { const b = findBlender(); return `${versionOf(b) ?? '?'} (${b})`; }));
    lines.push(check('jupyter python', () => { const p = findJupyterPython(); return `${p} (${versionOf(p, ['-m', 'jupyter', 'nbconvert', '--version']) ?? '?'} nbconvert)`; }));
    lines.push(check('jupyter notebook server', () => { const p = findJupyterPython(); const v = notebookServerVersion(p); if (!v) throw new Error(`not importable by ${p} (install: sudo apt-get install --no-install-recommends jupyter-notebook)`); return `notebook ${v} (handgap notebook)`; }));
    lines.push(check(`kernel "${KERNEL_NAME}" (project)`, () => kernelCheck(withProjectKernel(), `not in ${projectJupyterPath()} (run: bash scripts/bootstrap.sh)`)));
    lines.push(check(`kernel "${KERNEL_NAME}" (your Jupyter)`, () => kernelCheck(process.env, 'not registered for your own Jupyter/VS Code (optional: handgap kernel install --user)'), true));
    lines.push(check('chromium', () => { const c = findChromium(); return `${versionOf(c, ['--version', '--no-sandbox']) ?? '?'} (${c})`; }));
    lines.push(`data: HANDGAP_DATA=${dataDir()}  HANDGAP_SHARED=${sharedDir()}`);
    for (const name of Object.keys(knownSets) as KnownSet[]) {
      const p = findKnownSet(name);
      lines.push(`  ${p ? 'found  ' : 'absent '}  ${name}${p ? ': ' + p : ''}`);
    }
    console.log(lines.join('\n'));
  },
};
export default command;
