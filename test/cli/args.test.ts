import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs, formatOptions, type OptionSpecs } from '../../lib/cli/args.ts';
import { parseCommandArgs, commandHelp } from '../../lib/cli/command.ts';
import { projectRoot } from '../../lib/util/paths.ts';
import { runCommand } from '../helpers/cli.ts';
import render from '../../lib/cli/commands/render.ts';
import evalCmd from '../../lib/cli/commands/eval.ts';
import poses from '../../lib/cli/commands/poses.ts';

const specs: OptionSpecs = {
  n: { type: 'integer', min: 1, description: 'count' },
  workers: { type: 'integer', min: 1, default: 1, description: 'workers' },
  flag: { type: 'boolean', description: 'a flag' },
  k: { type: 'string', description: 'a string' },
  mode: { type: 'string', choices: ['fast', 'slow'], default: 'fast', description: 'mode' },
  eta: { type: 'number', above: 0, max: 1, description: 'eta' },
};

test('parseArgs: flags, typed values, defaults and positionals', () => {
  const a = parseArgs(['x', '--n', '5', '--flag', '--k=v', 'y'], specs);
  assert.deepEqual(a.positionals, ['x', 'y']);
  assert.deepEqual(a.options, { n: 5, flag: true, k: 'v', workers: 1, mode: 'fast' });
});

test('parseArgs: unknown options are errors with a suggestion', () => {
  assert.throws(() => parseArgs(['--workres', '2'], specs), /unknown option --workres \(did you mean --workers\?\)/);
  assert.throws(() => parseArgs(['--zzzzzz'], specs), (e: Error) => /unknown option --zzzzzz; options: --help, --n/.test(e.message) && !/did you mean/.test(e.message));
});

test('parseArgs: missing values, wrong types and ranges name the option, the value and what is allowed', () => {
  assert.throws(() => parseArgs(['--k'], specs), /--k needs a value/);
  assert.throws(() => parseArgs(['--n', '2.5'], specs), /--n: got "2\.5"; expected an integer >= 1/);
  assert.throws(() => parseArgs(['--n', '-4'], specs), /--n: got "-4"; expected an integer >= 1/);
  assert.throws(() => parseArgs(['--n', 'many'], specs), /--n: got "many"/);
  assert.throws(() => parseArgs(['--eta', '-3'], specs), /--eta: got "-3"; expected a finite number > 0 and <= 1/);
  assert.throws(() => parseArgs(['--eta', 'Infinity'], specs), /--eta: got "Infinity"/);
  assert.throws(() => parseArgs(['--mode', 'slwo'], specs), /--mode: got "slwo"; expected one of fast, slow \(did you mean "slow"\?\)/);
  assert.throws(() => parseArgs(['--flag=yes'], specs), /--flag is a flag and takes no value/);
  assert.equal(parseArgs(['--eta', '0.5'], specs).options.eta, 0.5);
});

test('a boolean option never swallows a positional (--no-verts pred.json)', () => {
  const a = parseCommandArgs(evalCmd, ['--no-verts', 'pred.json', '--gt', 'x']);
  assert.deepEqual(a.positionals, ['pred.json']);
  assert.equal(a.options['no-verts'], true);
});

test('subcommands have their own options; an option of another subcommand says where it belongs', () => {
  assert.equal(parseCommandArgs(render, ['merge', '--out', 'x', 'a', 'b']).options.out, 'x');
  assert.throws(() => parseCommandArgs(render, ['merge', '--out', 'x', '--workers', '2']), /--workers is an option of "handgap render"/);
  assert.equal(parseCommandArgs(poses, ['topology', 'hgc-dev', '--train', '0.3']).options.train, 0.3);
  assert.throws(() => parseCommandArgs(poses, ['topology', 'hgc-dev', '--train', '2']), /--train: got "2"; expected a finite number > 0 and <= 1/);
});

test('help is generated from the declarations', () => {
  const h = commandHelp(render);
  assert.match(h, /--workers <integer>\s+persistent Blender processes \(default 1\)/);
  assert.match(h, /Options of handgap render preview:\n\s+--count/);
  assert.match(formatOptions(specs), /--mode <fast\|slow>\s+mode \(default fast\)/);
});

test('the CLI prints one error prefix and exits non-zero', async () => {
  const r = await runCommand(render, '--out', '/tmp/x', '--workres', '2');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `handgap render: unknown option --workres (did you mean --workers?); options: ${['help', ...Object.keys(render.options)].map((o) => `--${o}`).join(', ')}`);
  const m = await runCommand(render, '--n', '2');
  assert.equal(m.stderr, 'handgap render: --out <dir> is required');
});

test('handgap --version and an unknown option through the real launcher (one prefix, no stack)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const v = spawnSync(process.execPath, [path.join(projectRoot, 'bin/handgap.mjs'), '--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), `handgap ${pkg.version}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-cli-'));
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin/handgap.mjs'), 'render', '--out', path.join(tmp, 'o'), '--workres', '2'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^handgap render: unknown option --workres \(did you mean --workers\?\)/);
  assert.doesNotMatch(r.stderr, /render: render:|\n\s+at /);
  assert.ok(!fs.existsSync(path.join(tmp, 'o')), 'nothing written');
});

test('one scale vocabulary: smoke, demo, study, paper (full = paper) for every --scale and HANDGAP_SCALE', async () => {
  const { parseScale, SCALES } = await import('../../lib/experiment/scale.ts');
  const { notebookScale } = await import('../../lib/notebook/settings.ts');
  const { walkContext, SWEEPS } = await import('../../lib/walkthrough/walkthrough.ts');
  assert.deepEqual([...SCALES], ['smoke', 'demo', 'study', 'paper']);
  assert.equal(parseScale('full', 'smoke'), 'paper');
  assert.equal(parseScale(undefined, 'demo'), 'demo');
  assert.throws(() => parseScale('huge', 'smoke'), /--scale: got "huge"; expected one of smoke, demo, study, paper \(full = paper\)/);
  assert.equal(notebookScale({ HANDGAP_SCALE: 'full' }), 'paper');
  assert.equal(notebookScale({ HANDGAP_SCALE: 'paper' }), 'paper');
  assert.throws(() => notebookScale({ HANDGAP_SCALE: 'big' }), /HANDGAP_SCALE: got "big"/);
  // the walkthrough takes every scale: its sizes are the scales block of experiments/walkthrough.json
  assert.equal(walkContext({ scale: 'full', real: null, out: fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-walk-')) }).scale, 'paper');
  assert.equal(walkContext({ scale: 'study', real: null, out: fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-walk-')) }).scale, 'study');
  // --sweeps: the experiments stage's sweeps, in the walkthrough's order whatever order they are given in
  assert.deepEqual(walkContext({ scale: 'study', real: null, sweeps: ['pose-fraction', 'component-ablation'].reverse(), out: fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-walk-')) }).sweeps, ['pose-fraction', 'component-ablation']);
  assert.deepEqual(walkContext({ scale: 'study', real: null, out: fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-walk-')) }).sweeps, SWEEPS);
  for (const cmd of ['experiment', 'notebooks', 'reproduce']) {
    const c = (await import(`../../lib/cli/commands/${cmd}.ts`)).default;
    assert.equal(parseCommandArgs(c, ['x', '--scale', 'paper']).options.scale, 'paper', cmd);
    assert.equal(parseCommandArgs(c, ['x', '--scale', 'full']).options.scale, 'full', cmd);
    assert.throws(() => parseCommandArgs(c, ['x', '--scale', 'papr']), /--scale: got "papr"; expected one of smoke, demo, study, paper, full \(did you mean "paper"\?\)/, cmd);
  }
});
