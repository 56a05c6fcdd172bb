/**
 * The bad-input suite: malformed options, config files, pose files, predictions and data across every
 * command. Each case must end with one clear message (its key words checked), a non-zero exit, no stack
 * trace, every input file byte-identical afterwards and no output written. Small sizes: no Blender render,
 * no training step and no chromium run (every case fails before them). The counts by command and outcome
 * are printed at the end.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Command } from '../../lib/cli/command.ts';
import { main } from '../../lib/cli/main.ts';
import { runCommand } from '../helpers/cli.ts';
import { FreihandWriter } from '../../lib/data/freihand.ts';
import { writePoseFile, poseSetFromArrays } from '../../lib/data/pose-sets.ts';
import { writeImage, imageSize, readImage } from '../../lib/image/io.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { sampleUniformAngles, jointsOfAngles } from '../../lib/hand/sampler.ts';
import { N_DOF } from '../../lib/hand/model.ts';
import { validateConfig } from '../../lib/synth/config.ts';
import { configHash } from '../../lib/synth/driver.ts';
import { DEFAULT_VAE } from '../../lib/train/prior/config.ts';
import { projectRoot } from '../../lib/util/paths.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-bad-input-'));
const inDir = path.join(tmp, 'in'), outDir = path.join(tmp, 'out');
fs.mkdirSync(inDir); fs.mkdirSync(outDir);
process.env.HANDGAP_CACHE = path.join(tmp, 'cache');
process.env.HANDGAP_FIGURES = path.join(tmp, 'figures');
process.env.HANDGAP_DATA = path.join(tmp, 'data');
const at = (...p: string[]) => path.join(inDir, ...p);
const json = (name: string, v: unknown) => { fs.writeFileSync(at(name), typeof v === 'string' ? v : JSON.stringify(v)); return at(name); };

// ---- fixtures ---------------------------------------------------------------------------------------

/** n poses (21×3, metres) in front of the camera, from the hand model. */
function poses(n: number, seed = 3): number[][][] {
  const t = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) t.set([0, 0, 0.5], i * 3);
  const j = jointsOfAngles(genericHandRestShape(), sampleUniformAngles(n, seed), { translations: t }).j21;
  return Array.from({ length: n }, (_, i) => Array.from({ length: 21 }, (_, k) => [j[i * 63 + k * 3], j[i * 63 + k * 3 + 1], j[i * 63 + k * 3 + 2]]));
}
const K = [[200, 0, 16], [0, 200, 16], [0, 0, 1]] as never;

const fixtures = (async () => {
  // a 4-sample FreiHAND-layout set with 32×32 images, a copy with one corrupt JPEG, and one with a JPEG
  // cut short after its header (its size still reads; only decoding its pixels would fail)
  const set = at('set'), corrupt = at('corrupt-set'), truncated = at('truncated-set');
  for (const root of [set, corrupt, truncated]) {
    const w = new FreihandWriter(root, { split: 'training' });
    const img = path.join(tmp, 'img.jpg');
    await writeImage(img, { data: new Uint8Array(32 * 32 * 3).fill(120), width: 32, height: 32, channels: 3 });
    for (const p of poses(4)) w.add({ xyz: p, K, meta: { handedness: 'right' } }, { copyFrom: img });
    w.finish();
  }
  const rgb = path.join(corrupt, 'training', 'rgb');
  fs.writeFileSync(path.join(rgb, fs.readdirSync(rgb).sort()[1]), 'this is not a JPEG');
  const cutFile = path.join(truncated, 'training', 'rgb', fs.readdirSync(path.join(truncated, 'training', 'rgb')).sort()[2]);
  // a textured image, so that most of the file is pixel data: cut in half, the header stays whole
  await writeImage(cutFile, { data: new Uint8Array(32 * 32 * 3).map((_, i) => (i * 37) % 251), width: 32, height: 32, channels: 3 });
  const whole = fs.readFileSync(cutFile);
  fs.writeFileSync(cutFile, whole.subarray(0, whole.length >> 1));
  assert.deepEqual(await imageSize(cutFile), { width: 32, height: 32 }, 'the header of the cut JPEG is intact');
  await assert.rejects(readImage(cutFile), /premature end/, 'decoding the cut JPEG fails');
  // predictions for the set: good shape, then with bad numbers
  const good = poses(4, 5);
  json('pred-good.json', [good, []]);
  json('pred-3.json', [good.slice(0, 3), []]);
  fs.writeFileSync(at('pred-inf.json'), JSON.stringify([good, []]).replace(/^\[\[\[\[[^,]+/, '[[[[Infinity'));
  json('pred-huge.json', [[good[0].map((r, k) => (k === 2 ? [1e308, r[1], r[2]] : r)), ...good.slice(1)], []]);
  // pose files
  const ps = poseSetFromArrays('four', poses(4), 'right', {}, 'camera');
  writePoseFile(at('poses.json'), ps);
  const doc = JSON.parse(fs.readFileSync(at('poses.json'), 'utf8'));
  json('poses-count.json', { ...doc, count: 7 });
  json('poses-angles5.json', { ...doc, angles: doc.xyz.map(() => [0, 0, 0, 0, 0]) });
  json('poses-angles-ok.json', { ...doc, angles: doc.xyz.map(() => new Array(N_DOF).fill(0)) });
  json('poses-middle.json', { ...doc, handedness: ['right', 'middle', 'right', 'right'] });
  json('poses-empty.json', { ...doc, count: 0, handedness: [], xyz: [] });
  json('poses-extra.json', { ...doc, colour: 'blue' });
  json('poses-one.json', { ...doc, count: 1, handedness: ['right'], xyz: doc.xyz.slice(0, 1) });
  json('empty_xyz.json', []);
  // render configs
  json('render-null.json', 'null');
  json('render-n0.json', { n: 0 });
  json('render-typo.json', { camera: { focl: [400, 450] } });
  json('render-range.json', { render: { samples: 0 }, image: { format: 'gif' } });
  json('render-posefile.json', { pose: { source: 'file' } });
  json('render-broken.json', '{ "n": 4, ');
  // a render folder holding a set of 16 samples of the default config
  const rendered = at('rendered');
  fs.mkdirSync(path.join(rendered, 'handgap_work', 'records'), { recursive: true });
  const cfg = validateConfig({});
  json(path.join('rendered', 'handgap_work', 'manifest.json'), { generator: 'handgap render', configHash: configHash(cfg), config: cfg, n: 16 });
  // training configs
  const train = (extra: Record<string, unknown>, name: string, data = set) => json(name, { out: path.join(outDir, `run-${name}`), train: [data], epochs: 1, ...extra });
  train({ batchSize: 2.5 }, 'train-batch.json');
  train({ learningRate: 0 }, 'train-lr.json');
  train({ augment: { scale: [0, 0] } }, 'train-augment.json');
  train({ augment: { rotation: 10 } }, 'train-augment-key.json');
  train({ model: { inputSize: -64 } }, 'train-input.json');
  train({ epocs: 2 }, 'train-typo.json');
  train({ spectral: { kind: 'blur' } }, 'train-spectral.json');
  train({}, 'train-corrupt.json', corrupt);
  train({}, 'train-truncated.json', truncated);
  train({}, 'train-ok.json');
  // an occlusion prior whose recorded metadata is wrong
  fs.mkdirSync(at('prior', 'encoder'), { recursive: true });
  json(path.join('prior', 'encoder', 'model.json'), { modelTopology: {}, weightsManifest: [], userDefinedMetadata: { vae: { ...DEFAULT_VAE, maskProb: 2 }, step: 10 } });
  // visibility file and a plain file to put outputs "under"
  json('vis.json', [[1]]);
  fs.writeFileSync(at('a-file'), 'not a folder');
  // an experiment whose train step has a misspelled knob; a data root whose fetch lock is damaged
  const exp = JSON.parse(fs.readFileSync(path.join(projectRoot, 'experiments', 'pose-fraction.json'), 'utf8'));
  for (const s of exp.steps) if (s.kind === 'train') s.config.epochz = 3;
  json('exp-typo.json', exp);
  fs.mkdirSync(at('data-root'));
  json(path.join('data-root', 'fetch-lock.json'), { tiny: { sha256: 'abc', size: -1, url: 'http://127.0.0.1:9/tiny.zip' } });
  // a walkthrough results.json of the wrong shape for the figure producers
  const wt = path.join(process.env.HANDGAP_CACHE!, 'walkthrough');
  fs.mkdirSync(path.join(wt, 'smoke'), { recursive: true });
  fs.writeFileSync(path.join(wt, 'smoke', 'results.json'), JSON.stringify({ stages: 'not a list', extras: 7 }));
  fs.writeFileSync(path.join(wt, 'latest.json'), JSON.stringify({ results: path.join(wt, 'smoke', 'results.json') }));
})();

/** sha256 of every file under a folder. */
function checksums(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.set(p, crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

// ---- the cases ----------------------------------------------------------------------------------

interface Case { command: string; args: string[]; expect: RegExp[]; env?: Record<string, string> }
const cases: Case[] = [];
const bad = (command: string, args: string[], ...expect: RegExp[]) => cases.push({ command, args, expect });
const o = (...p: string[]) => path.join(outDir, ...p);
const underFile = (name: string) => path.join(at('a-file'), name);

// render
bad('render', ['--out', o('r1'), '--workres', '2'], /unknown option --workres \(did you mean --workers\?\)/);
bad('render', ['--out', o('r2'), '--n', '-4'], /--n: got "-4"; expected an integer >= 1/);
bad('render', ['--out', o('r3'), '--n', '2.5'], /--n: got "2\.5"; expected an integer/);
bad('render', ['--out', o('r4'), '--n', '0'], /--n: got "0"/);
bad('render', ['--out', o('r5'), '--threads', '-2'], /--threads: got "-2"; expected an integer >= 0/);
bad('render', ['--out', o('r6'), '--workers', '0'], /--workers: got "0"/);
bad('render', ['--out', o('r7'), '--shard', '3/2'], /--shard: must be i\/N/);
bad('render', ['--out', o('r8'), '--config', at('render-null.json')], /render-null\.json: invalid render config/, /\(top level\): got null/);
bad('render', ['--out', o('r9'), '--config', at('render-n0.json')], /render-n0\.json/, /n: got 0; expected an integer >= 1/);
bad('render', ['--out', o('r10'), '--config', at('render-typo.json')], /camera\.focl: unknown field \(did you mean "focal"\?\)/);
bad('render', ['--out', o('r11'), '--config', at('render-range.json')], /render\.samples: got 0/, /image\.format: got "gif"; expected one of "jpg", "png"/);
bad('render', ['--out', o('r12'), '--config', at('render-posefile.json')], /pose\.file: got nothing; required when pose\.source is "file"/);
bad('render', ['--out', o('r13'), '--config', at('absent.json')], /absent\.json: config file not found/);
bad('render', ['--out', o('r14'), '--config', at('render-broken.json')], /render-broken\.json/, /JSON/);
bad('render', ['--out', at('rendered'), '--n', '8'], /--n: got 8, but .*rendered holds a set of 16 samples/);
bad('render', ['--out', underFile('x')], /--out: cannot create .*a-file\/x: .*a-file is a file, not a folder/);
bad('render', ['--n', '2'], /--out <dir> is required/);
bad('render', ['merge', '--out', o('r18'), '--workers', '2'], /--workers is an option of "handgap render"/);
bad('render', ['pictures', '--out', o('r19')], /unknown subcommand "pictures"/);
bad('render', ['preview', at('set'), '--count', 'many'], /--count: got "many"/);
// eval
bad('eval', [at('pred-inf.json'), '--gt', at('set'), '--out', o('e1')], /pred-inf\.json: xyz_list\[0\]\[0\]\[0\]/, /got Infinity/);
bad('eval', [at('pred-huge.json'), '--gt', at('set'), '--out', o('e2')], /xyz_list\[0\]\[2\]\[0\]/, /got 1e\+308; expected a finite number with \|x\| <= 1000/);
bad('eval', [at('pred-good.json'), '--gt', at('set'), '--out', o('e3'), '--pck2d-max', '-5'], /--pck2d-max: got "-5"; expected a finite number > 0/);
bad('eval', [at('pred-good.json'), '--gt', at('set'), '--out', underFile('x')], /--out: cannot create .*a-file is a file, not a folder/);
bad('eval', ['--no-verts', at('pred-good.json'), '--out', o('e5')], /--gt <dataset> is required/);
bad('eval', [at('pred-3.json'), '--gt', at('set'), '--out', o('e6')], /has 3 predictions but the ground truth has 4 samples/);
bad('eval', [at('pred-good.json'), '--gt', at('set'), '--out', o('e7'), '--reflection', 'mirror'], /--reflection: got "mirror"; expected one of allow, proper/);
bad('eval', ['--gt', at('set'), '--out', o('e8')], /missing argument: <pred\.json>/);
bad('eval', [at('pred-good.json'), '--gt', at('nope'), '--out', o('e9')], /nope/);
// spectrum
bad('spectrum', [at('set'), '--out', o('s1.json'), '--limit', '0'], /--limit: got "0"; expected an integer >= 1/);
bad('spectrum', [at('set'), '--out', o('s2.json'), '--bootstrap', '-4'], /--bootstrap: got "-4"; expected an integer >= 0/);
bad('spectrum', ['gap', at('set'), at('set'), '--out', o('s3.json'), '--augment', 'mix', '--eta', '-3'], /--eta: got "-3"; expected a finite number > 0 and <= 1/);
bad('spectrum', [at('set'), '--out', o('s4.json'), '--size', '1'], /--size: got "1"; expected an integer >= 2/);
bad('spectrum', ['gap', at('set'), at('set'), '--out', o('s5.json'), '--augment', 'blur'], /--augment: got "blur"; expected one of mix, swap, fda, perturb/);
bad('spectrum', [at('set')], /--out <file\.json> is required/);
bad('spectrum', [at('set'), '--out', o('s7.json'), '--augment', 'mix'], /--augment is an option of "handgap spectrum gap"/);
bad('spectrum', [at('set'), '--out', at('set')], /--out: .*set is a folder, not a file/);
// poses
bad('poses', ['stats', at('poses-count.json')], /poses-count\.json: invalid pose file/, /count: got 7; says 7 poses but xyz holds 4/);
bad('poses', ['stats', at('poses-angles5.json')], /poses-angles5\.json: angles\[0\]/, /expected \d+ numbers/);
bad('poses', ['stats', at('poses-middle.json')], /handedness\[1\]: got "middle"; expected one of "left", "right"/);
bad('poses', ['stats', at('poses-empty.json')], /poses-empty\.json: invalid pose file/, /xyz: got \[\]/);
bad('poses', ['stats', at('empty_xyz.json')], /empty_xyz\.json: holds no poses/);
bad('poses', ['stats', at('poses-extra.json')], /colour: unknown field/);
bad('poses', ['topology', at('poses.json'), '--train', '2'], /--train: got "2"; expected a finite number > 0 and <= 1/);
bad('poses', ['topology', at('poses.json'), '--train', '0.99'], /--train: got 0\.99: 4 of 4 poses for training leaves 0 for the test/);
bad('poses', ['stats', at('poses.json'), '--skeleton', 'bogus'], /--skeleton: got "bogus"; expected one of freihand/);
bad('poses', ['sample', '--sampler', 'prior', '--prior-source', at('poses-one.json'), '--out', o('p10.json')], /--prior-source: .* holds 1 pose; the prior .* needs at least 2/);
bad('poses', ['sample', '--n', '0', '--out', o('p11.json')], /--n: got "0"; expected an integer >= 1/);
bad('poses', ['subsets', at('poses.json'), '--fractions', '0,2', '--out', o('p12.json')], /--fractions: got "0,2"; expected comma-separated numbers in \(0, 1\]/);
bad('poses', ['stats', at('poses.json'), '--json', underFile('s.json')], /--json: cannot create .*a-file is a file, not a folder/);
bad('poses', ['histogram', at('poses.json')], /unknown subcommand "histogram"; use stats, sample, fit, subsets, topology/);
bad('poses', ['stats', at('no-such-poses.json')], /no-such-poses\.json: no such pose source/);
bad('poses', ['sample', '--sampler', 'gauss', '--out', o('p16.json')], /--sampler: got "gauss"; expected one of uniform, prior/);
// train (every case stops before TensorFlow trains a step)
bad('train', ['--config', at('train-batch.json')], /train-batch\.json: invalid training config/, /batchSize: got 2\.5; expected an integer >= 1/);
bad('train', ['--config', at('train-lr.json')], /learningRate: got 0; expected a finite number > 0/);
bad('train', ['--config', at('train-augment.json')], /augment\.scale/);
bad('train', ['--config', at('train-augment-key.json')], /augment\.rotation: unknown field \(did you mean "rotationDeg"\?\)/);
bad('train', ['--config', at('train-input.json')], /model\.inputSize: got -64; expected an integer >= 16/);
bad('train', ['--config', at('train-typo.json')], /epocs: unknown field \(did you mean "epochs"\?\)/);
bad('train', ['--config', at('train-spectral.json')], /spectral/);
bad('train', ['--config', at('train-corrupt.json')], /corrupt-set\/training\/rgb\/\d+\.jpg \(sample 1 of .*corrupt-set\): cannot read image header/);
bad('train', ['--config', at('train-truncated.json')], /truncated-set\/training\/rgb\/\d+\.jpg \(sample 2 of .*truncated-set\): image is truncated or damaged after its header .*JPEG end-of-image marker missing/);
bad('train', ['--config', at('train-ok.json'), '--epochs', '0'], /--epochs: got "0"; expected an integer >= 1/);
bad('train', ['--config', at('train-ok.json'), '--backend', 'gpu'], /--backend: got "gpu"; expected one of tensorflow-gpu, tensorflow, wasm, cpu/);
bad('train', [], /--config <file\.json> is required/);
bad('train', ['--config', at('train-ok.json'), '--out', underFile('run')], /--out: cannot create .*a-file is a file, not a folder/);
// predict
bad('predict', ['--model', at('prior'), '--data', at('set'), '--out', o('pr1.json'), '--limit', '-5'], /--limit: got "-5"; expected an integer >= 1/);
bad('predict', ['--data', at('set'), '--out', o('pr2.json')], /--model <dir> is required/);
bad('predict', ['--model', at('prior'), '--data', at('set'), '--out', o('pr3.json'), '--views', '1,3'], /--views: got "1,3"; expected comma-separated numbers in \[0.5, 2\]/);
bad('predict', ['--model', at('prior'), '--data', at('set'), '--out', underFile('p.json')], /--out: cannot create .*a-file is a file, not a folder/);
// prior
bad('prior', ['eval', '--model', at('prior')], /prior\/encoder\/model\.json \(userDefinedMetadata\): invalid occlusion prior metadata/, /vae\.maskProb: got 2; expected a finite number >= 0 and <= 1/);
bad('prior', ['train', '--out', o('pt1'), '--test-fraction', '1.5'], /--test-fraction: got "1\.5"; expected a finite number > 0 and <= 0\.9/);
bad('prior', ['train', '--out', o('pt2'), '--lr', '0'], /--lr: got "0"; expected a finite number > 0/);
bad('prior', ['refine', '--model', at('prior'), '--visibility', at('vis.json'), '--out', o('pt3.json')], /--pred <pred\.json> is required/);
bad('prior', ['sample'], /unknown subcommand "sample"/);
// data
bad('data', ['fetch', 'hgc', '--sha256', 'zz'], /--sha256: got "zz"; expected 64 hexadecimal digits/);
bad('data', ['fetch', 'hgc', '--retries', '-1'], /--retries: got "-1"; expected an integer >= 0/);
bad('data', [], /missing subcommand; use list, fetch, info/);
bad('data', ['fetch', 'no-such-set'], /unknown data set "no-such-set"/);
bad('data', ['fetch', 'tiny', '--url', 'http://127.0.0.1:9/tiny.zip', '--dest', at('data-root')], /fetch-lock\.json: invalid fetch lock/, /tiny\.sha256: got "abc"/, /tiny\.size: got -1/);
bad('data', ['info', at('set'), '--sha256', 'ab'], /--sha256 is an option of "handgap data fetch"/);
// figures
bad('figures', ['--only', 'bogus'], /--only: no producer or produced figure named "bogus"/);
cases[cases.length - 1].env = { HANDGAP_CACHE: path.join(tmp, 'empty-cache') };
bad('figures', [], /figure producer "walkthrough": cannot build its figures from the cached results/);
bad('figures', ['--out', underFile('figs')], /--out: cannot create .*a-file is a file, not a folder/);
// gap, compose
bad('gap', [at('set'), at('set'), '--out', o('g1'), '--max-images', '0'], /--max-images: got "0"; expected an integer >= 2/);
bad('gap', [at('set')], /missing argument: candidate/);
bad('compose', [at('set'), '--out', o('c1'), '--fill', 'purple'], /--fill: got "purple"; expected one of real, random-region, random-pixel/);
bad('compose', [at('set'), '--out', o('c2'), '--pairing', 'sorted'], /--pairing: got "sorted"/);
bad('compose', [at('set')], /--out <dir> is required/);
bad('compose', [at('set'), '--out', o('c4'), '--seed', '-1'], /--seed: got "-1"; expected an integer >= 0/);
// export
bad('export', ['dataset', at('set')], /--out file\.npz is required/);
bad('export', ['dataset', at('no-such-set'), '--out', o('x1.npz')], /no-such-set: not found/);
bad('export', ['predictions', at('pred-good.json'), '--out', o('x2.npz'), '--split', 'training'], /--split is an option of "handgap export dataset"/);
bad('export', ['tables', at('pred-good.json'), '--out', o('x3.npz')], /unknown subcommand "tables"/);
bad('export', ['predictions', at('pred-good.json'), '--out', underFile('p.npz')], /--out: cannot create .*a-file is a file, not a folder/);
// experiment, reproduce, notebooks, notebook, kernel, status
bad('experiment', ['pose-fraction', '--scale', 'huge', '--dry-run'], /--scale: got "huge"; expected one of smoke, demo, study, paper, full/);
bad('experiment', ['pose-fraction', '--shard', '5/2', '--root', o('x1')], /--shard/);
bad('experiment', ['no-such-experiment', '--dry-run'], /no-such-experiment: no such experiment file/);
bad('experiment', [at('exp-typo.json'), '--dry-run', '--root', o('x2')], /steps\.train\.config/, /epochz: unknown field \(did you mean "epochs"\?\)/);
bad('experiment', ['pose-fraction', '--dry-rn'], /unknown option --dry-rn \(did you mean --dry-run\?\)/);
bad('reproduce', ['--only', 'bogus', '--out', o('w1')], /--only: unknown stage "bogus"/);
bad('reproduce', ['--scale', 'enormous', '--out', o('w2')], /--scale: got "enormous"/);
bad('reproduce', ['--sweeps', 'pose-fractoin', '--out', o('w3')], /--sweeps: unknown sweep "pose-fractoin" \(known: pose-fraction, component-ablation/);
bad('notebooks', ['run', '--scale', 'big'], /--scale: got "big"/);
bad('notebooks', ['run', '--timeout', '0'], /--timeout: got "0"; expected a finite number > 0/);
bad('notebook', ['--port', '70000'], /--port: got "70000"; expected an integer >= 1 and <= 65535/);
bad('kernel', ['install', '--user', '--prefix', o('k1')], /--user and --prefix exclude each other/);
bad('status', ['--verbose'], /unknown option --verbose/);
bad('(top level)', ['rendr'], /unknown command "rendr" \(did you mean "render"\?\)/);

// ---- running them -------------------------------------------------------------------------------

const commands = new Map<string, Command>();
async function commandNamed(name: string): Promise<Command> {
  if (!commands.has(name)) commands.set(name, (await import(`../../lib/cli/commands/${name}.ts`)).default as Command);
  return commands.get(name)!;
}

/** Run the top-level CLI in process, capturing what it prints to stderr. */
async function runMain(args: string[]): Promise<{ status: number; stderr: string }> {
  const err: string[] = [];
  const origError = console.error, origLog = console.log;
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  console.log = () => {};
  try { return { status: await main(args), stderr: err.join('\n') }; } finally { console.error = origError; console.log = origLog; }
}

type Outcome = 'clear error' | 'zero exit' | 'stack trace' | 'unclear message' | 'input altered' | 'output written';
const tally = new Map<string, Map<Outcome, number>>();
const misbehaving: string[] = [];

test('the bad-input suite has at least 60 distinct inputs across every command', async () => {
  assert.ok(new Set(cases.map((c) => `${c.command} ${c.args.join(' ')}`)).size >= 60, `${cases.length} cases`);
  const all = fs.readdirSync(path.join(projectRoot, 'lib', 'cli', 'commands')).map((f) => f.replace(/\.ts$/, ''));
  const covered = new Set(cases.map((c) => c.command));
  assert.deepEqual(all.filter((c) => !covered.has(c)), [], 'commands without a bad-input case');
});

for (const c of cases) {
  test(`${c.command} ${c.args.map((a) => path.relative(tmp, a).startsWith('..') ? a : `<tmp>/${path.relative(tmp, a)}`).join(' ')}`, async () => {
    await fixtures;
    const before = checksums(inDir);
    const outBefore = checksums(outDir);
    let r: { status: number; stderr: string };
    let outcome: Outcome;
    const savedEnv = Object.fromEntries(Object.keys(c.env ?? {}).map((k) => [k, process.env[k]]));
    Object.assign(process.env, c.env ?? {});
    try {
      r = c.command === '(top level)' ? await runMain(c.args) : await runCommand(await commandNamed(c.command), ...c.args);
      const after = checksums(inDir), outAfter = checksums(outDir);
      outcome = r.status === 0 ? 'zero exit'
        : /\n\s+at /.test(r.stderr) ? 'stack trace'
        : !c.expect.every((re) => re.test(r.stderr)) ? 'unclear message'
        : [...before].some(([f, h]) => after.get(f) !== h) || after.size !== before.size ? 'input altered'
        : outAfter.size !== outBefore.size || fs.readdirSync(outDir).length !== 0 ? 'output written'
        : 'clear error';
    } catch (e) {
      r = { status: -1, stderr: (e as Error).stack ?? String(e) };
      outcome = 'stack trace';
    } finally {
      for (const [k, v] of Object.entries(savedEnv)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    }
    const counts = tally.get(c.command) ?? new Map<Outcome, number>();
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    tally.set(c.command, counts);
    if (outcome !== 'clear error') misbehaving.push(`${c.command} ${c.args.join(' ')}: ${outcome}: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`);
    assert.equal(outcome, 'clear error', `exit ${r.status}; stderr:\n${r.stderr}`);
    assert.match(r.stderr, c.command === '(top level)' ? /^handgap: / : new RegExp(`^handgap ${c.command}: `));
    assert.doesNotMatch(r.stderr, /^handgap \w+: \w+: \w+:/, 'one prefix');
  });
}

after(() => {
  const lines = ['bad-input suite: cases by command and outcome'];
  let total = 0;
  for (const [cmd, counts] of [...tally].sort()) {
    lines.push(`  ${cmd.padEnd(12)} ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const v of counts.values()) total += v;
  }
  lines.push(`  total        ${total} cases, ${total - misbehaving.length} clear errors`);
  if (misbehaving.length) lines.push('still misbehaving:', ...misbehaving.map((m) => `  ${m}`));
  console.log(lines.join('\n'));
  fs.rmSync(tmp, { recursive: true, force: true });
});
