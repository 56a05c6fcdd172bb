/** Output locks (lib/util/lock.ts): ranges, holders named, pid reuse, other hosts, wait timeout, overlap refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { tryAcquireLock, acquireOutputLock, waitForLock, OutputLock, processStartTicks, holderAlive, refuseOverlap, scratchDir, removeStaleScratch, UNNAMED_SCRATCH_STALE_MS } from '../../lib/util/lock.ts';
import { HandgapError } from '../../lib/util/errors.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-lock-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function foreignLock(dir: string, info: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${info.pid}-${info.token}.json`), JSON.stringify({ host: os.hostname(), acquiredAt: 1, command: 'test', ...info }));
}

test('ranges: disjoint writers share a folder, an overlapping or whole-folder writer is refused naming the holder', () => {
  const dir = path.join(tmp, 'ranges');
  const a = tryAcquireLock(dir, { command: 'a', range: [0, 10] });
  assert.ok(a instanceof OutputLock);
  const b = tryAcquireLock(dir, { command: 'b', range: [10, 20] });
  assert.ok(b instanceof OutputLock, 'disjoint range');
  const c = tryAcquireLock(dir, { command: 'c', range: [5, 15] });
  assert.ok(!(c instanceof OutputLock) && c.pid === process.pid && (c.command === 'a' || c.command === 'b'));
  assert.throws(() => acquireOutputLock(dir, '/some/out', { command: 'd' }), (e: Error) => e instanceof HandgapError && new RegExp(`/some/out is being written by another process: pid ${process.pid} on host ${os.hostname()} \\((a, samples \\[0, 10\\)|b, samples \\[10, 20\\))`).test(e.message));
  assert.equal(fs.readdirSync(dir).length, 2, 'refused attempts leave no lock file');
  a.release(); (b as OutputLock).release();
  assert.ok(!fs.existsSync(dir), 'released locks leave nothing behind');
});

test('liveness: a dead pid and a reused pid (live process, other start time) are stale; another host counts as live', async () => {
  const dir = path.join(tmp, 'stale');
  const sleeper = spawn('sleep', ['30']);
  await new Promise((r) => sleeper.once('spawn', r));
  try {
    const ticks = processStartTicks(sleeper.pid!);
    assert.ok(ticks && /^\d+$/.test(ticks));
    assert.equal(holderAlive({ pid: sleeper.pid!, startTicks: ticks, host: os.hostname() }), true);
    foreignLock(dir, { pid: sleeper.pid, startTicks: String(Number(ticks) - 1), token: 'reused' });
    foreignLock(dir, { pid: 2 ** 22 + 7, startTicks: '5', token: 'dead' });
    const l = tryAcquireLock(dir, { command: 'me' });
    assert.ok(l instanceof OutputLock, 'both stale locks taken over');
    assert.deepEqual(fs.readdirSync(dir), [path.basename(l.file)]);
    l.release();
    foreignLock(dir, { pid: sleeper.pid, startTicks: ticks, token: 'live' });
    assert.ok(!(tryAcquireLock(dir, { command: 'me' }) instanceof OutputLock), 'the true holder is live');
    fs.rmSync(dir, { recursive: true });
    foreignLock(dir, { pid: 1, startTicks: '1', token: 'far', host: 'elsewhere' });
    assert.throws(() => acquireOutputLock(dir, 'out', { command: 'me' }), /pid 1 on host elsewhere .*if that process is gone, remove/);
  } finally { sleeper.kill(); }
});

test('waiting: gives up after the timeout with a message naming the holder; returns when the work is done', async () => {
  const dir = path.join(tmp, 'wait');
  const held = tryAcquireLock(dir, { command: 'holder' }) as OutputLock;
  // a second lock of this same process stands in for another live process
  const said: string[] = [];
  await assert.rejects(waitForLock(dir, 'run x', { command: 'waiter', timeoutMs: 300, pollMs: 50, log: (m) => said.push(m) }), /run x: still held by pid \d+ on host .* \(holder, since .*\) after 0 s/);
  assert.equal(said.length, 1, 'says once whom it waits for');
  let done = false;
  setTimeout(() => { done = true; }, 100);
  assert.equal(await waitForLock(dir, 'run x', { command: 'waiter', timeoutMs: 10_000, pollMs: 20, done: () => done }), null);
  held.release();
  const got = await waitForLock(dir, 'run x', { command: 'waiter', timeoutMs: 1000 });
  assert.ok(got instanceof OutputLock);
  got.release();
});

test('scratch folders: one per process, stale ones of gone processes removed', () => {
  const parent = path.join(tmp, 'scratch');
  fs.mkdirSync(path.join(parent, `${2 ** 22 + 9}-123-abcd`), { recursive: true });
  const s = scratchDir(parent);
  assert.deepEqual(fs.readdirSync(parent), [path.basename(s.dir)]);
  assert.match(path.basename(s.dir), new RegExp(`^${process.pid}-\\d+-[0-9a-f]+$`));
  s.release();
  assert.ok(!fs.existsSync(parent));
});

test('stale per-process folders with a prefix (e.g. Blender workers\' handgap-index-*): dead pid, reused pid and old unnamed ones removed; live and recent ones kept', () => {
  const parent = path.join(tmp, 'tmpdir');
  fs.mkdirSync(parent, { recursive: true });
  const ticks = processStartTicks(process.pid)!;
  const names = {
    dead: `handgap-index-${2 ** 22 + 9}-123-ab_c9x`,
    reused: `handgap-index-${process.pid}-${Number(ticks) + 1}-qq12zz`, // this pid, another start time: not the process that made it
    live: `handgap-index-${process.pid}-${ticks}-k3j_8a`,
    oldUnnamed: 'handgap-index-tc34m48k', // older handgap named these without a pid
    recentUnnamed: 'handgap-index-wo4xup2z',
    other: 'handgap-kernelspec-123-456-abc',
  };
  for (const n of Object.values(names)) fs.mkdirSync(path.join(parent, n, 'inner'), { recursive: true });
  const old = (Date.now() - UNNAMED_SCRATCH_STALE_MS - 60_000) / 1000;
  fs.utimesSync(path.join(parent, names.oldUnnamed), old, old);
  const removed = removeStaleScratch(parent, 'handgap-index-');
  assert.deepEqual(removed.sort(), [names.dead, names.oldUnnamed, names.reused].sort());
  assert.deepEqual(fs.readdirSync(parent).sort(), [names.live, names.recentUnnamed, names.other].sort());
});

test('refuseOverlap: output equal to, inside or around an input is refused; a sibling is fine', () => {
  const inp = path.join(tmp, 'set');
  fs.mkdirSync(inp, { recursive: true });
  assert.throws(() => refuseOverlap(inp, [{ name: 'synthetic set', path: inp }]), /is the synthetic set/);
  assert.throws(() => refuseOverlap(path.join(inp, 'sub', 'new'), [{ name: 'synthetic set', path: inp }]), /lies inside the synthetic set/);
  assert.throws(() => refuseOverlap(tmp, [{ name: 'donor set', path: inp }]), /contains the donor set/);
  fs.symlinkSync(inp, path.join(tmp, 'link'));
  assert.throws(() => refuseOverlap(path.join(tmp, 'link'), [{ name: 'synthetic set', path: inp }]), /is the synthetic set/, 'through a symlink');
  refuseOverlap(path.join(tmp, 'set-composed'), [{ name: 'synthetic set', path: inp }, { name: 'masks', path: undefined }]);
});
