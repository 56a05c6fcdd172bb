import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import poses from '../../lib/cli/commands/poses.ts';
import { runCommand } from '../helpers/cli.ts';
import { readPoseFile } from '../../lib/data/pose-sets.ts';
import { withinLimits, N_DOF } from '../../lib/hand/model.ts';

const cli = (...args: string[]) => runCommand(poses, ...args);

test('handgap poses sample writes a pose file; poses stats prints statistics and the comparison', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hand-cli-'));
  const a = path.join(dir, 'a.json'), b = path.join(dir, 'b.json'), js = path.join(dir, 'stats.json');
  let r = await cli('sample', '--n', '40', '--seed', '3', '--shrink', '0.5', '--out', a);
  assert.equal(r.status, 0, r.stderr);
  r = await cli('sample', '--n', '40', '--seed', '4', '--camera', '--out', b);
  assert.equal(r.status, 0, r.stderr);
  const set = readPoseFile(a);
  assert.equal(set.count, 40);
  assert.equal(set.meta.seed, 3);
  for (let i = 0; i < 40; i++) assert.ok(withinLimits(set.angles!.subarray(i * N_DOF, (i + 1) * N_DOF)));
  assert.equal(readPoseFile(b).frame, 'camera');
  r = await cli('stats', a, '--vs', b, '--json', js);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /40 poses/);
  assert.match(r.stdout, /coverage of/);
  assert.match(r.stdout, /MMD²/);
  const rep = JSON.parse(fs.readFileSync(js, 'utf8'));
  assert.ok(rep.vs.mmd.mmd2 > 0, 'broad vs narrow sample differ');
  // prior sampler: fitted to (a seeded 15-pose subset of) hgc-dev, seed and source recorded
  const c = path.join(dir, 'c.json');
  r = await cli('sample', '--sampler', 'prior', '--prior-source', 'hgc-dev', '--limit', '15', '--n', '30', '--seed', '2', '--out', c);
  assert.equal(r.status, 0, r.stderr);
  const prior = readPoseFile(c);
  assert.equal(prior.count, 30);
  assert.match(String(prior.meta.priorSource), /hgc-dev/);
  assert.ok(Number(prior.meta.priorFitErrorMedianMm) < 5);
  // bad input: a clear error and a non-zero exit
  r = await cli('stats', path.join(dir, 'missing.json'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /missing\.json/);
  r = await cli('sample', '--sampler', 'nope');
  assert.notEqual(r.status, 0);
  fs.rmSync(dir, { recursive: true });
});
