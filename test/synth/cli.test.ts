/** `handgap render` rejects a bad config (naming the fields) and a missing Blender before rendering anything. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../lib/util/paths.ts';

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'render', ...args], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, ...env } });
}

test('render: bad config fields and a missing Blender give one clear message each, nothing is written', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-synth-cli-'));
  try {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ image: { format: 'gif' }, camera: { focl: [1, 2] } }));
    const r1 = cli(['--config', bad, '--out', path.join(tmp, 'out1')]);
    assert.equal(r1.status, 2);
    assert.match(r1.stderr, /bad\.json: invalid render config/);
    assert.match(r1.stderr, /image\.format: got "gif"; expected one of "jpg", "png"/);
    assert.match(r1.stderr, /camera\.focl: unknown field \(did you mean "focal"\?\); allowed: focal, distance/);
    const good = path.join(tmp, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ n: 2 }));
    const r2 = cli(['--config', good, '--out', path.join(tmp, 'out2')], { BLENDER: path.join(tmp, 'no-blender') });
    assert.equal(r2.status, 3);
    assert.match(r2.stderr, /missing dependency: Blender/);
    assert.equal(r2.stderr.trim().split('\n').length, 1, 'one line');
    assert.ok(!fs.existsSync(path.join(tmp, 'out1')) && !fs.existsSync(path.join(tmp, 'out2')));
    const r3 = cli(['--config', good, '--out', path.join(tmp, 'out3'), '--shard', '3/3']);
    assert.equal(r3.status, 2);
    assert.match(r3.stderr, /--shard: must be i\/N/);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});

test('render: `handgap render --n 2 --out X` renders with the defaults alone (no --config); a second run resumes', { skip: spawnSync('sh', ['-c', 'command -v blender || test -n "$BLENDER"']).status !== 0 && 'Blender not installed' }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-synth-defaults-'));
  try {
    const out = path.join(tmp, 'set');
    const r = cli(['--n', '2', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rendered 2, skipped 0 \(already done\), failed 0.*labels written/);
    const xyz = JSON.parse(fs.readFileSync(path.join(out, 'training_xyz.json'), 'utf8'));
    assert.equal(xyz.length, 2);
    assert.equal(fs.readdirSync(path.join(out, 'training', 'rgb')).length, 2);
    const again = cli(['--n', '2', '--out', out]);
    assert.match(again.stdout, /rendered 0, skipped 2/);
    const smaller = cli(['--n', '1', '--out', out]);
    assert.equal(smaller.status, 2);
    assert.match(smaller.stderr, /--n: got 1, but .* holds a set of 2 samples/);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
