/**
 * What the environment notebook shows: versions of the runtime, the npm packages, the system tools
 * (Blender, Jupyter, Chromium) and the TensorFlow.js backend the toolkit picks (lib/train/backend.ts).
 * Missing tools are reported as rows, never thrown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectRoot } from '../util/paths.ts';
import { findBlender, findChromium, findJupyterPython, versionOf } from '../util/system.ts';
import { initBackend, describeBackend } from '../train/backend.ts';

const require = createRequire(import.meta.url);

export interface EnvRow { component: string; version: string; detail: string }

function pkgVersion(name: string): string | null {
  const p = path.join(projectRoot, 'node_modules', name, 'package.json');
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as { version: string }).version : null;
}

function tool(component: string, find: () => string, args: string[] = ['--version']): EnvRow {
  try {
    const bin = find();
    return { component, version: versionOf(bin, args) ?? '?', detail: bin };
  } catch (e) { return { component, version: 'missing', detail: (e as Error).message }; }
}

/** The tfjs backend, chosen by lib/train/backend.ts. */
export async function tfBackendRow(): Promise<EnvRow> {
  try {
    const choice = await initBackend();
    return { component: 'tfjs backend', version: choice.name, detail: describeBackend() };
  } catch (e) { return { component: 'tfjs backend', version: 'failed', detail: (e as Error).message }; }
}

export async function environmentReport(): Promise<EnvRow[]> {
  const rows: EnvRow[] = [
    { component: 'node', version: process.version, detail: process.execPath },
    { component: 'handgap', version: pkgVersion('..') ?? (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version, detail: projectRoot },
    { component: 'tslab (kernel)', version: pkgVersion('tslab') ?? 'absent', detail: `TypeScript ${(require('@tslab/typescript-for-tslab/package.json') as { version: string }).version} for cells` },
  ];
  for (const dep of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node-gpu', 'plotly.js-dist', 'danfojs-node', 'fft.js', 'sharp', 'playwright-core', 'tsx', 'typescript']) {
    const v = pkgVersion(dep);
    rows.push({ component: dep, version: v ?? 'absent', detail: v ? 'npm' : dep.endsWith('-gpu') ? 'optional: needs libtensorflow + a CUDA GPU' : 'not installed (run npm ci)' });
  }
  rows.push(await tfBackendRow());
  rows.push(tool('blender', findBlender));
  rows.push(tool('jupyter nbconvert', findJupyterPython, ['-m', 'jupyter', 'nbconvert', '--version']));
  rows.push(tool('chromium', findChromium, ['--version', '--no-sandbox']));
  return rows;
}

/** Rows as a markdown table (for tslab.display.markdown). */
export function markdownTable(rows: EnvRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return ['| component | version | detail |', '|---|---|---|', ...rows.map((r) => `| ${esc(r.component)} | ${esc(r.version)} | ${esc(r.detail)} |`)].join('\n');
}
