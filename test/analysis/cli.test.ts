import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import experiment from '../../lib/cli/commands/experiment.ts';
import compose from '../../lib/cli/commands/compose.ts';
import gap from '../../lib/cli/commands/gap.ts';
import { runCommand } from '../helpers/cli.ts';

const cli = runCommand;

test('experiment command: dry run lists runs; bad names and scales are errors', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-cli-'));
  let r = await cli(experiment, 'component-ablation', '--dry-run', '--root', root);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 sweep points, 18 distinct runs/, 'one pose pool, 3 renders, 4 composes, 5 trainings, 5 evaluations');
  assert.equal((r.stdout.match(/^todo +render-/gm) ?? []).length, 3, 'rows ii, iv and v share one render');
  r = await cli(experiment, 'component-ablation', '--dry-run', '--root', root, '--scale', 'demo');
  assert.match(r.stdout, /15 sweep points, 52 distinct runs/, 'five rows × three seeds at demo scale');
  r = await cli(experiment, 'no-such-experiment');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no such experiment file.*available: .*pose-fraction/);
  r = await cli(experiment, 'pose-fraction', '--scale', 'huge', '--dry-run');
  assert.match(r.stderr, /--scale: got "huge"; expected one of smoke, demo, study, paper, full/);
  fs.rmSync(root, { recursive: true, force: true });
});

test('compose and gap commands name what is wrong', async () => {
  let r = await cli(compose, 'hgc-dev');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--out <dir> is required/);
  r = await cli(compose, 'hgc-dev', '--out', path.join(os.tmpdir(), 'x'), '--fill', 'purple');
  assert.match(r.stderr, /--fill: got "purple"; expected one of real, random-region, random-pixel/);
  r = await cli(gap, 'hgc-dev', '/nonexistent/set');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /\/nonexistent\/set: dataset folder not found/);
});
