/**
 * Faults around `handgap render` (64×64, 4 Cycles samples, 3 images): a concurrent writer into the same
 * --out is refused at once and the set stays byte-identical to a single run; a corrupt or missing HDRI
 * fails with a named error before any manifest is written and never blocks the corrected run; an
 * undecodable image inside Blender fails its sample by name (no retry, non-zero exit); a hung worker
 * costs exactly one attempt; SIGTERM to the npx launcher stops the CLI; a SIGKILLed worker's index-pass
 * folder is removed at the next start. (Kill-and-resume at 3 points: driver.test.ts.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { validateConfig } from '../../lib/synth/config.ts';
import { runRender } from '../../lib/synth/driver.ts';
import { BlenderWorker, SampleFailed } from '../../lib/synth/worker.ts';
import { projectRoot } from '../../lib/util/paths.ts';

const N = 3;
const USER_CONFIG = { seed: 5, n: N, image: { width: 64, height: 64 }, render: { samples: 4 } };
const cfg = validateConfig(USER_CONFIG);
let tmp: string, ref: string, configFile: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-synth-faults-'));
  ref = path.join(tmp, 'ref');
  configFile = path.join(tmp, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(USER_CONFIG));
  const r = await runRender({ config: cfg, out: ref, quiet: true });
  assert.ok(r.finalized);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file of a set below `dir` (relative name → bytes), without the render's own work folder. */
function snapshot(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'handgap_work') walk(p); } else m.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return m;
}

/** Same files, same bytes; `except`: files that legitimately differ (handgap_dataset.json records retry settings). */
function assertSameBytes(a: string, b: string, except: string[] = []): void {
  const sa = snapshot(a), sb = snapshot(b);
  for (const f of except) { sa.delete(f); sb.delete(f); }
  assert.deepEqual([...sb.keys()].sort(), [...sa.keys()].sort());
  for (const [k, v] of sa) assert.ok(v.equals(sb.get(k)!), `${k} differs`);
}

function cli(args: string[], opts: { launcher?: boolean; env?: Record<string, string> } = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }> } {
  const entry = opts.launcher ? [path.join(projectRoot, 'bin/handgap.mjs')] : ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts')];
  const t0 = Date.now();
  const child = spawn(process.execPath, [...entry, ...args], { cwd: projectRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - t0 })));
  return { child, done };
}

const lockFiles = (out: string) => { const d = path.join(out, 'handgap_work', 'locks'); return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.json')) : []; };
async function until(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) { if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`); await new Promise((r) => setTimeout(r, 100)); }
}
const pidAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('concurrent writer: a second render into the same --out is refused at once, naming the holder; the set equals a single run', async () => {
  const out = path.join(tmp, 'concurrent');
  const first = cli(['render', '--config', configFile, '--out', out]);
  await until(() => lockFiles(out).length > 0, 'the first render to take its lock');
  const holder = JSON.parse(fs.readFileSync(path.join(out, 'handgap_work', 'locks', lockFiles(out)[0]), 'utf8'));
  const second = await cli(['render', '--config', configFile, '--out', out]).done;
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, new RegExp(`being written by another process: pid ${holder.pid} on host ${os.hostname()}`));
  assert.ok(!/\n\s+at /.test(second.stderr), 'no stack trace');
  const r = await first.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lockFiles(out), [], 'the lock is released');
  assertSameBytes(ref, out);
  assert.ok(!fs.existsSync(path.join(out, 'handgap_work', 'scratch')), 'per-process scratch removed');
});

test('stale lock of a reused pid (a live, unrelated process) is taken over', async () => {
  const out = path.join(tmp, 'stale');
  fs.mkdirSync(path.join(out, 'handgap_work', 'locks'), { recursive: true });
  const sleeper = spawn('sleep', ['60']);
  try {
    // the pid is alive but started at another time than the lock records
    fs.writeFileSync(path.join(out, 'handgap_work', 'locks', `${sleeper.pid}-abc.json`), JSON.stringify({ pid: sleeper.pid, startTicks: '1', host: os.hostname(), token: 'abc', acquiredAt: 1, command: 'handgap render' }));
    const r = await runRender({ config: cfg, out, quiet: true });
    assert.ok(r.finalized);
    assertSameBytes(ref, out);
  } finally { sleeper.kill(); }
});

test('HDRI library: a missing folder or a corrupt file fails at once by name, writes no manifest, and the corrected run proceeds', async () => {
  const out = path.join(tmp, 'hdri');
  const lib = path.join(tmp, 'hdris');
  fs.mkdirSync(lib);
  const missing = path.join(tmp, 'hdri-missing.json');
  fs.writeFileSync(missing, JSON.stringify({ ...USER_CONFIG, hdri: { library: path.join(tmp, 'no-such-folder') } }));
  const r1 = await cli(['render', '--config', missing, '--out', out]).done;
  assert.notEqual(r1.code, 0);
  assert.ok(r1.ms < 90_000, `exits (took ${r1.ms} ms)`);
  assert.match(r1.stderr, /config\.hdri\.library: folder .*no-such-folder does not exist/);
  fs.writeFileSync(path.join(lib, 'broken.hdr'), Buffer.from('this is not an image'));
  const corrupt = path.join(tmp, 'hdri-corrupt.json');
  fs.writeFileSync(corrupt, JSON.stringify({ ...USER_CONFIG, hdri: { library: lib } }));
  const r2 = await cli(['render', '--config', corrupt, '--out', out]).done;
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /broken\.hdr: not a Radiance \.hdr image/);
  assert.ok(!fs.existsSync(path.join(out, 'handgap_work', 'manifest.json')), 'no manifest written');
  assert.ok(!fs.existsSync(path.join(out, 'training')), 'no image written');
  const r3 = await runRender({ config: cfg, out, quiet: true });
  assert.ok(r3.finalized, 'the corrected run is not blocked');
  assertSameBytes(ref, out);
});

test('an image Blender cannot decode fails its sample by name: no magenta render, no retry, non-zero exit', async () => {
  const out = path.join(tmp, 'undecodable');
  const lib = path.join(tmp, 'hdris-bad-body');
  fs.mkdirSync(lib);
  // passes the header check (OpenEXR magic) but does not decode
  fs.writeFileSync(path.join(lib, 'garbage.exr'), Buffer.concat([Buffer.from([0x76, 0x2f, 0x31, 0x01]), Buffer.alloc(2000, 7)]));
  const file = path.join(tmp, 'hdri-undecodable.json');
  fs.writeFileSync(file, JSON.stringify({ ...USER_CONFIG, n: 1, hdri: { library: lib }, render: { samples: 4, retries: 2 } }));
  const r = await cli(['render', '--config', file, '--out', out]).done;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /sample 0 attempt 1 failed: sample 0: HDRI .*garbage\.exr: not a readable image \(decoded 0x0/);
  assert.ok(!/attempt 2/.test(r.stderr), 'not retried');
  const failed = JSON.parse(fs.readFileSync(path.join(out, 'handgap_work', 'failed.json'), 'utf8'));
  assert.deepEqual(failed.failed, [0]);
  assert.match(failed.errors['0'], /garbage\.exr/);
  assert.ok(!fs.existsSync(path.join(out, 'training', 'rgb', '00000000.jpg')), 'no image written for the failed sample');
});

test('a skin texture that does not decode is a named asset error of that sample; the worker stays up', async () => {
  const w = new BlenderWorker({ threads: 1 });
  await w.start();
  try {
    const empty = path.join(tmp, 'empty.png');
    fs.writeFileSync(empty, '');
    const { prepareSample } = await import('../../lib/synth/driver.ts');
    const { loadTextureModel } = await import('../../lib/synth/texture-io.ts');
    const ctx = { cfg, out: path.join(tmp, 'tex-test'), scratch: path.join(tmp, 'tex-test'), hdris: [], texture: await loadTextureModel(cfg.texture), blender: '' };
    const { spec } = await prepareSample({ ...ctx, cfg: { ...cfg, hdri: { ...cfg.hdri, enabled: false } } }, 0);
    const err = await w.render({ ...spec, hand: { ...spec.hand, skin: { ...spec.hand.skin, albedoMap: empty } }, outputs: {} as never }, 60_000).then(() => null, (e) => e);
    assert.ok(err instanceof SampleFailed && err.asset, `asset error expected, got ${err}`);
    assert.match(err.message, /skin texture .*empty\.png: file is empty/);
    assert.ok(w.alive());
  } finally { await w.stop(); }
});

test('a hung worker costs exactly one attempt (retries: 1 suffices)', async () => {
  const out = path.join(tmp, 'hang');
  const hang = path.join(tmp, 'hang.flag');
  const r = await runRender({ config: { ...cfg, render: { ...cfg.render, timeoutSec: 20, retries: 1 } }, out, quiet: true, env: { HANDGAP_TEST_HANG_ONCE: hang, HANDGAP_TEST_HANG_INDEX: '1' } });
  assert.ok(fs.existsSync(hang), 'the hang hook fired');
  assert.deepEqual(r.failed, []);
  assert.ok(r.finalized);
  assertSameBytes(ref, out, ['handgap_dataset.json']);
});

test('SIGTERM to the npx launcher reaches the CLI: rendering stops, the lock is released, a re-run completes', async () => {
  const out = path.join(tmp, 'launcher');
  const run = cli(['render', '--config', configFile, '--out', out], { launcher: true });
  await until(() => lockFiles(out).length > 0, 'the CLI to take its lock');
  const cliPid = JSON.parse(fs.readFileSync(path.join(out, 'handgap_work', 'locks', lockFiles(out)[0]), 'utf8')).pid as number;
  assert.notEqual(cliPid, run.child.pid, 'the lock is held by the CLI process, not the launcher');
  run.child.kill('SIGTERM');
  const r = await run.done;
  assert.ok(r.code !== 0 || r.signal, 'the launcher reports the interruption');
  await until(() => !pidAlive(cliPid), 'the CLI to exit', 20_000);
  const records = fs.readdirSync(path.join(out, 'handgap_work', 'records')).length;
  await new Promise((res) => setTimeout(res, 3000));
  assert.equal(fs.readdirSync(path.join(out, 'handgap_work', 'records')).length, records, 'nothing rendered after the signal');
  const again = await runRender({ config: cfg, out, quiet: true });
  assert.ok(again.finalized);
  assertSameBytes(ref, out);
});

test('a SIGKILLed worker leaves no /tmp/handgap-index-* folder after the next start', async () => {
  const indexDirs = (pid: number) => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`handgap-index-${pid}-`));
  const a = new BlenderWorker({ threads: 1 });
  const ra = await a.start();
  assert.equal(indexDirs(ra.pid).length, 1, 'the worker names its folder by pid');
  process.kill(ra.pid, 'SIGKILL');
  await until(() => !pidAlive(ra.pid), 'the worker to die', 10_000);
  assert.equal(indexDirs(ra.pid).length, 1, 'SIGKILL left it');
  // a folder of an older handgap (no pid in its name), untouched for long, goes too
  const legacy = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-index-'));
  const old = (Date.now() - 2 * 3600_000) / 1000;
  fs.utimesSync(legacy, old, old);
  const b = new BlenderWorker({ threads: 1 });
  const rb = await b.start();
  try {
    assert.equal(indexDirs(ra.pid).length, 0, 'removed at the next start');
    assert.ok(!fs.existsSync(legacy), 'an old folder without a pid removed too');
    assert.match(indexDirs(rb.pid)[0] ?? '', new RegExp(`^handgap-index-${rb.pid}-\\d+-`), 'named by pid and start time');
  } finally { await b.stop(); }
});
