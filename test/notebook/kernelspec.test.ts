// The kernelspec as Jupyter itself sees it (no mocks): `handgap kernel install --user` in a throw-away
// HOME makes `jupyter kernelspec list` show the kernel without JUPYTER_PATH; --prefix writes the same
// kernel.json under P/share/jupyter; `handgap status` checks the project kernel through Jupyter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { kernelSpec, KERNEL_NAME, staleSpecProblem } from '../../lib/notebook/kernelspec.ts';
import { projectRoot } from '../../lib/util/paths.ts';

const cli = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), ...args], { cwd: projectRoot, env, encoding: 'utf8' });

function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of ['JUPYTER_PATH', 'JUPYTER_DATA_DIR', 'JUPYTER_CONFIG_DIR', 'XDG_DATA_HOME']) delete env[k];
  return env;
}

test('kernel install --user: jupyter kernelspec list shows the kernel without JUPYTER_PATH', { timeout: 60_000 }, () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-home-'));
  try {
    const env = cleanEnv(home);
    const before = spawnSync('/usr/bin/python3', ['-m', 'jupyter', 'kernelspec', 'list', '--json'], { env, encoding: 'utf8' });
    assert.equal(before.status, 0, before.stderr);
    assert.ok(!(KERNEL_NAME in JSON.parse(before.stdout).kernelspecs), 'not visible before the install');
    const r = cli(['kernel', 'install', '--user'], env);
    assert.equal(r.status, 0, r.stderr);
    const after = spawnSync('/usr/bin/python3', ['-m', 'jupyter', 'kernelspec', 'list', '--json'], { env, encoding: 'utf8' });
    const found = JSON.parse(after.stdout).kernelspecs[KERNEL_NAME] as { resource_dir: string; spec: ReturnType<typeof kernelSpec> };
    assert.ok(found, `listed after install: ${after.stdout}`);
    assert.ok(found.resource_dir.startsWith(home), `installed in the user's data dir (${found.resource_dir})`);
    assert.deepEqual(found.spec.argv, kernelSpec().argv);
    assert.equal(staleSpecProblem(found.spec), null, 'node, tsx loader and launcher exist');
    const status = cli(['status'], env);
    assert.match(status.stdout, /ok {7}kernel "handgap" \(your Jupyter\)/);
    assert.match(status.stdout, /ok {7}kernel "handgap" \(project\)/);
    assert.match(status.stdout, /ok {7}jupyter notebook server: notebook \d/);
  } finally { fs.rmSync(home, { recursive: true, force: true }); }
});

test('kernel install --prefix P writes P/share/jupyter/kernels/handgap/kernel.json; bad use is one clear error', { timeout: 60_000 }, () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-prefix-'));
  try {
    const env = cleanEnv(home);
    const prefix = path.join(home, 'venv');
    const r = cli(['kernel', 'install', '--prefix', prefix], env);
    assert.equal(r.status, 0, r.stderr);
    const spec = JSON.parse(fs.readFileSync(path.join(prefix, 'share', 'jupyter', 'kernels', KERNEL_NAME, 'kernel.json'), 'utf8'));
    assert.deepEqual(spec, kernelSpec());
    const both = cli(['kernel', 'install', '--user', '--prefix', prefix], env);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /^handgap kernel: --user and --prefix exclude each other/);
    assert.doesNotMatch(both.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(staleSpecProblem({ ...spec, argv: ['/nonexistent/node', ...spec.argv.slice(1)] }), 'missing /nonexistent/node');
  } finally { fs.rmSync(home, { recursive: true, force: true }); }
});
