/** Fetcher against a local HTTP server on 127.0.0.1: range resume after an interrupted transfer, corrupt download, unpacking. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { zipBuffer } from '../../lib/data/zip.ts';
import { download, fetchSource } from '../../lib/data/fetch.ts';
import { InputError } from '../../lib/util/errors.ts';

// a small archive in FreiHAND layout (incompressible payload so the transfer has some size)
const payload = crypto.randomBytes(300_000);
const archive = zipBuffer([
  { name: 'evaluation_K.json', data: Buffer.from(JSON.stringify([[[500, 0, 112], [0, 500, 112], [0, 0, 1]]])) },
  { name: 'evaluation/rgb/00000000.jpg', data: payload },
], { deflate: true });
const sha = crypto.createHash('sha256').update(archive).digest('hex');
const log: { path: string; range?: string }[] = [];
let flakyCalls = 0;
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    log.push({ path: url, range: req.headers.range });
    const body = url.startsWith('/corrupt') ? Buffer.from(archive).fill(0, 1000, 1010) : archive;
    if (url.startsWith('/flaky') && flakyCalls++ === 0 && !req.headers.range) {
      // full length announced, a third sent, then the connection is dropped
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 3)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    if (m && !url.startsWith('/norange')) {
      const start = Number(m[1]);
      if (start >= body.length) { res.writeHead(416, { 'content-range': `bytes */${body.length}` }); res.end(); return; }
      res.writeHead(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': String(body.length - start) });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => { server.close(); });

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-test-data-'));
const tmp = (): string => fs.mkdtempSync(path.join(tmpRoot, 'd-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

test('interrupted transfer resumes with a Range request and verifies the SHA-256', async () => {
  const dir = tmp();
  log.length = 0;
  const r = await download(`${base}/flaky.zip`, path.join(dir, 'a.zip'), { sha256: sha, size: archive.length, progress: false });
  assert.equal(r.sha256, sha);
  assert.equal(r.attempts, 2);
  assert.ok(r.resumedFrom[0] > 0 && r.resumedFrom[0] < archive.length, `resumed from ${r.resumedFrom[0]}`);
  assert.match(log[1].range ?? '', /^bytes=\d+-$/);
  assert.ok(fs.readFileSync(path.join(dir, 'a.zip')).equals(archive));
  assert.ok(!fs.existsSync(path.join(dir, 'a.zip.part')));
});

test('a stale partial file is resumed; a server ignoring Range restarts cleanly', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'b.zip.part'), archive.subarray(0, 5000));
  log.length = 0;
  const r = await download(`${base}/ok.zip`, path.join(dir, 'b.zip'), { sha256: sha, progress: false });
  assert.deepEqual(r.resumedFrom, [5000]);
  assert.equal(log[0].range, 'bytes=5000-');
  fs.writeFileSync(path.join(dir, 'c.zip.part'), Buffer.from('garbage'));
  const r2 = await download(`${base}/norange.zip`, path.join(dir, 'c.zip'), { sha256: sha, progress: false });
  assert.deepEqual(r2.resumedFrom, [0]);
  assert.ok(fs.readFileSync(path.join(dir, 'c.zip')).equals(archive));
});

test('a corrupted download fails with the file and both hashes named, and is deleted', async () => {
  const dir = tmp();
  const f = path.join(dir, 'bad.zip');
  await assert.rejects(download(`${base}/corrupt.zip`, f, { sha256: sha, progress: false }),
    (e: Error) => e instanceof InputError && e.message.includes(f) && e.message.includes(sha) && /SHA-256/.test(e.message));
  assert.ok(!fs.existsSync(f) && !fs.existsSync(`${f}.part`));
  await assert.rejects(download(`${base}/ok.zip`, f, { size: archive.length + 1, progress: false }), /size/);
});

test('fetchSource unpacks into <data>/<into>, records the fetch, pins an unknown hash, and rejects a changed file later', async () => {
  const root = tmp();
  const src = { name: 'tiny', description: 'test', url: `${base}/ok.zip`, into: 'tiny' };
  const r = await fetchSource(src, root, { progress: false });
  assert.equal(r.pinned, true);
  assert.equal(r.files, 2);
  assert.ok(fs.readFileSync(path.join(root, 'tiny', 'evaluation', 'rgb', '00000000.jpg')).equals(payload));
  assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'tiny', '.handgap-fetch.json'), 'utf8')).sha256, sha);
  assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'fetch-lock.json'), 'utf8')).tiny.sha256, sha);
  // same source URL now serving different bytes: the pinned hash catches it
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'fetch-lock.json'), 'utf8'));
  lock.tiny.url = `${base}/corrupt.zip`;
  fs.writeFileSync(path.join(root, 'fetch-lock.json'), JSON.stringify(lock));
  await assert.rejects(fetchSource({ ...src, url: `${base}/corrupt.zip` }, root, { progress: false }), /SHA-256/);
});

test('handgap data fetch (CLI, in process) with --url/--sha256, and the licence message for Dex-YCB', async () => {
  const root = tmp();
  const { main } = await import('../../lib/cli/main.ts');
  const saved = process.env.HANDGAP_DATA;
  process.env.HANDGAP_DATA = root;
  const run = async (args: string[]) => {
    let out = '', err = '';
    const log = console.log, error = console.error;
    console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
    console.error = (...a: unknown[]) => { err += a.join(' ') + '\n'; };
    try { return { code: await main(args), out, err }; } finally { console.log = log; console.error = error; }
  };
  try {
    const ok = await run(['data', 'fetch', 'mini', '--url', `${base}/flaky.zip`, '--sha256', sha]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /verified/);
    assert.ok(fs.existsSync(path.join(root, 'mini', 'evaluation_K.json')));
    const bad = await run(['data', 'fetch', 'mini2', '--url', `${base}/corrupt.zip`, '--sha256', sha]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /SHA-256/);
    const dex = await run(['data', 'fetch', 'dex-ycb']);
    assert.notEqual(dex.code, 0);
    assert.match(dex.err, /licence/);
    assert.ok(dex.err.includes(path.join(root, 'dex-ycb')), dex.err);
  } finally {
    if (saved === undefined) delete process.env.HANDGAP_DATA; else process.env.HANDGAP_DATA = saved;
  }
});
