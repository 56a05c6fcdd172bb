/**
 * `handgap compose` never destroys its input: an --out equal to, inside or around the synthetic set, the
 * donor set or the mask folder is refused before anything is written (checksums of every input file
 * unchanged); a second writer into the same --out is refused naming the holder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { projectRoot } from '../../lib/util/paths.ts';
import { FreihandWriter } from '../../lib/data/freihand.ts';
import { writeImage } from '../../lib/image/io.ts';
import { processStartTicks } from '../../lib/util/lock.ts';
import composeCommand from '../../lib/cli/commands/compose.ts';
import { runCommand } from '../helpers/cli.ts';

const W = 8, H = 8;
const K: [[number, number, number], [number, number, number], [number, number, number]] = [[20, 0, 4], [0, 20, 4], [0, 0, 1]];
const xyz = Array.from({ length: 21 }, (_, j) => [0.001 * j, 0, 0.5]);

async function makeSet(dir: string, n: number) {
  const w = new FreihandWriter(dir, { imageExt: '.jpg' });
  for (let i = 0; i < n; i++) {
    const idx = w.add({ xyz, K });
    await writeImage(w.imagePath(idx), { data: new Uint8Array(W * H * 3).fill(40 + i), width: W, height: H, channels: 3 });
    await writeImage(w.maskPath(idx), { data: new Uint8Array(W * H).fill(i % 2 ? 128 : 255), width: W, height: H, channels: 1 });
  }
  w.finish();
}

/** sha256 of every file below dir, by relative path */
function checksums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

test('compose: output equal to, inside or containing an input is refused; inputs unchanged', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-compose-faults-'));
  try {
    const syn = path.join(tmp, 'syn'), donor = path.join(tmp, 'donor');
    await makeSet(syn, 3); await makeSet(donor, 2);
    const before = { syn: checksums(syn), donor: checksums(donor) };
    const cases: Array<[string[], RegExp]> = [
      [[syn, '--out', syn], /--out .*syn is the synthetic set/],
      [[syn, '--out', path.join(syn, 'composed')], /lies inside the synthetic set/],
      [[syn, '--donor', donor, '--out', donor], /is the donor set/],
      [[syn, '--out', tmp], /contains the synthetic set/],
      [[syn, '--masks', path.join(donor, 'training', 'mask'), '--out', path.join(donor, 'training')], /contains the mask folder/],
    ];
    for (const [args, re] of cases) {
      const r = await runCommand(composeCommand, ...args);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, re);
    }
    assert.deepEqual(checksums(syn), before.syn, 'synthetic set unchanged');
    assert.deepEqual(checksums(donor), before.donor, 'donor set unchanged');
    assert.ok(!fs.existsSync(path.join(syn, 'composed')));
    // a sibling folder is fine
    const ok = await runCommand(composeCommand, syn, '--donor', donor, '--pairing', 'cyclic', '--out', path.join(tmp, 'composed'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(checksums(syn), before.syn);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});

test('compose: a second writer into the same --out is refused at once, naming the holder', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-compose-faults-'));
  const other = spawn('sleep', ['30']);
  try {
    await new Promise((r) => other.once('spawn', r));
    const syn = path.join(tmp, 'syn'), out = path.join(tmp, 'out');
    await makeSet(syn, 2);
    // the lock a running compose (here: the sleeping process) holds on --out
    fs.mkdirSync(path.join(out, '.handgap-locks'), { recursive: true });
    fs.writeFileSync(path.join(out, '.handgap-locks', `${other.pid}-t.json`), JSON.stringify({ pid: other.pid, startTicks: processStartTicks(other.pid!), host: os.hostname(), token: 't', acquiredAt: Date.now() - 1000, command: 'handgap compose' }));
    const t0 = Date.now();
    const r = await runCommand(composeCommand, syn, '--out', out);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`being written by another process: pid ${other.pid} on host ${os.hostname()} \\(handgap compose`));
    assert.ok(Date.now() - t0 < 5000, 'at once');
    assert.ok(!fs.existsSync(path.join(out, 'training')), 'nothing written');
  } finally { other.kill(); fs.rmSync(tmp, { recursive: true, force: true }); }
});

test('compose: SIGKILL at 3 points leaves no partial set (the previous output or none); the finished set equals an uninterrupted run', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-compose-kill-'));
  try {
    const syn = path.join(tmp, 'syn'), donor = path.join(tmp, 'donor'), ref = path.join(tmp, 'ref'), out = path.join(tmp, 'out');
    await makeSet(syn, 6); await makeSet(donor, 6);
    const compose = (dest: string, killAt?: string) => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'compose', syn, '--donor', donor, '--seed', '3', '--out', dest],
      { encoding: 'utf8', env: { ...process.env, CI: '1', ...(killAt ? { HANDGAP_TEST_KILL_IN_COMPOSE: killAt } : {}) } });
    const r0 = compose(ref);
    assert.equal(r0.status, 0, r0.stderr);
    const want = checksums(ref);
    assert.ok(Object.keys(want).some((f) => f.endsWith('.png')) && want['training_xyz.json'], 'the reference is a whole set');
    /** the files of the output set (lock files of the killed process aside) */
    const outSet = () => (fs.existsSync(out) ? Object.fromEntries(Object.entries(checksums(out)).filter(([f]) => !f.startsWith('.handgap-locks'))) : {});
    const siblings = () => fs.readdirSync(tmp).filter((n) => n.startsWith('out.'));
    for (const at of ['0', '3']) {
      const k = compose(out, at);
      assert.equal(k.signal, 'SIGKILL', `killed after sample ${at}: ${k.stderr}`);
      assert.deepEqual(outSet(), {}, `a kill after sample ${at} of the first run leaves no partial set in --out`);
    }
    const done = compose(out);
    assert.equal(done.status, 0, done.stderr);
    assert.deepEqual(outSet(), want, 'resumed after two kills: equal to the uninterrupted run');
    assert.deepEqual(siblings(), [], 'no unfinished folder left beside --out');
    // composing again over a finished set: a kill just before the commit leaves the previous set whole
    const k = compose(out, 'commit');
    assert.equal(k.signal, 'SIGKILL');
    assert.deepEqual(outSet(), want, 'the previous output untouched');
    const again = compose(out);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(outSet(), want);
    assert.deepEqual(siblings(), [], 'the killed run\'s unfinished folder removed');
    // an --out holding other files is refused (compose replaces its output folder as a whole)
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other); fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');
    const refused = compose(other);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /--out: .*other already holds files that are not an earlier compose output \(notes\.txt\)/);
    assert.equal(fs.readFileSync(path.join(other, 'notes.txt'), 'utf8'), 'mine');
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});

test('eval, gap, predict and prior refine refuse an output that is (or contains) one of their inputs; inputs unchanged', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-out-faults-'));
  try {
    const a = path.join(tmp, 'a'), b = path.join(tmp, 'b');
    await makeSet(a, 2); await makeSet(b, 2);
    const pred = path.join(tmp, 'pred.json');
    fs.writeFileSync(pred, JSON.stringify([[xyz, xyz], []]));
    const vis = path.join(tmp, 'vis.json');
    fs.writeFileSync(vis, '[]');
    const before = { a: checksums(a), b: checksums(b), pred: fs.readFileSync(pred, 'utf8') };
    const cmd = async (name: string) => (await import(`../../lib/cli/commands/${name}.ts`)).default;
    const cases: Array<[string, string[], RegExp]> = [
      ['eval', [pred, '--gt', a, '--out', a], /--out .*\/a is the ground-truth set/],
      ['eval', [pred, '--gt', a, '--out', tmp], /--out .* contains the ground-truth set/],
      ['gap', [a, b, '--out', b], /--out .*\/b is the candidate set/],
      ['predict', ['--model', path.join(tmp, 'model'), '--data', a, '--out', path.join(a, 'training_xyz.json')], /--out .*\/a\/training_xyz\.json lies inside the data set/],
      ['prior', ['refine', '--model', path.join(tmp, 'model'), '--pred', pred, '--visibility', vis, '--out', pred], /--out .*pred\.json is the predictions file/],
    ];
    for (const [name, args, re] of cases) {
      const r = await runCommand(await cmd(name), ...args);
      assert.notEqual(r.status, 0, `${name} ${args.join(' ')}`);
      assert.match(r.stderr, re, `${name}: ${r.stderr}`);
    }
    assert.deepEqual(checksums(a), before.a);
    assert.deepEqual(checksums(b), before.b);
    assert.equal(fs.readFileSync(pred, 'utf8'), before.pred);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
