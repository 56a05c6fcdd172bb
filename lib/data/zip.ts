/**
 * Minimal ZIP support (stored and deflated entries, zip64 sizes/offsets) for .npz files and
 * downloaded archives: list entries, read one into memory, extract to disk streaming, and write
 * small archives. Errors name the archive and the entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { InputError } from '../util/errors.ts';

export interface ZipEntry {
  name: string;
  method: number; // 0 stored, 8 deflate
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
}

/** Random access to the bytes of an archive (a Buffer or an open file). */
interface ByteSource { size: number; read(pos: number, len: number): Buffer }

function bufferSource(b: Buffer): ByteSource { return { size: b.length, read: (p, l) => b.subarray(p, p + l) }; }
function fileSource(fd: number): ByteSource {
  const size = fs.fstatSync(fd).size;
  return { size, read: (p, l) => { const b = Buffer.alloc(l); const n = fs.readSync(fd, b, 0, l, p); return b.subarray(0, n); } };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; }
  return t;
})();
export function crc32(data: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function listFrom(src: ByteSource, where: string): ZipEntry[] {
  // End of central directory: last 22..(22+65535) bytes
  const tailLen = Math.min(src.size, 22 + 65535);
  const tail = src.read(src.size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new InputError(where, 'not a ZIP archive (no end-of-central-directory record; truncated or corrupt download?)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    // zip64 locator sits just before the EOCD
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new InputError(where, 'zip64 archive without a zip64 locator');
    const z64 = Number(tail.readBigUInt64LE(loc + 8));
    const rec = src.read(z64, 56);
    if (rec.readUInt32LE(0) !== 0x06064b50) throw new InputError(where, 'bad zip64 end-of-central-directory record');
    count = Number(rec.readBigUInt64LE(32)); cdSize = Number(rec.readBigUInt64LE(40)); cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > src.size) throw new InputError(where, `central directory (offset ${cdOffset}, ${cdSize} bytes) lies beyond the end of the file (${src.size} bytes): truncated`);
  const cd = src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) throw new InputError(where, `corrupt central directory at entry ${i}`);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let csize = cd.readUInt32LE(p + 20), size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
    let off = cd.readUInt32LE(p + 42);
    const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    // zip64 extended information (0x0001): present fields follow the order size, csize, offset
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e), len = cd.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) { size = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (off === 0xffffffff) { off = Number(cd.readBigUInt64LE(q)); q += 8; }
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize: csize, size, crc32: crc, localHeaderOffset: off });
    p = eEnd + commentLen;
  }
  return entries;
}

function dataOffset(src: ByteSource, e: ZipEntry, where: string): number {
  const h = src.read(e.localHeaderOffset, 30);
  if (h.length < 30 || h.readUInt32LE(0) !== 0x04034b50) throw new InputError(`${where}: ${e.name}`, 'bad local file header');
  return e.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
}

function inflateEntry(src: ByteSource, e: ZipEntry, where: string): Buffer {
  const start = dataOffset(src, e, where);
  if (start + e.compressedSize > src.size) throw new InputError(`${where}: ${e.name}`, 'entry data runs past the end of the archive (truncated)');
  const raw = src.read(start, e.compressedSize);
  let out: Buffer;
  if (e.method === 0) out = raw;
  else if (e.method === 8) {
    try { out = zlib.inflateRawSync(raw); } catch (err) { throw new InputError(`${where}: ${e.name}`, `cannot inflate (${(err as Error).message})`); }
  } else throw new InputError(`${where}: ${e.name}`, `unsupported compression method ${e.method} (only stored and deflate)`);
  if (out.length !== e.size) throw new InputError(`${where}: ${e.name}`, `size ${out.length} differs from the directory's ${e.size}`);
  if (crc32(out) !== e.crc32) throw new InputError(`${where}: ${e.name}`, 'CRC-32 mismatch (corrupt archive)');
  return out;
}

/** All entries of an in-memory archive, decompressed. */
export function unzipBuffer(buf: Buffer, where = 'zip'): Map<string, Buffer> {
  const src = bufferSource(buf);
  const out = new Map<string, Buffer>();
  for (const e of listFrom(src, where)) if (!e.name.endsWith('/')) out.set(e.name, inflateEntry(src, e, where));
  return out;
}

/**
 * Extract an archive on disk into `destDir`, streaming each entry (archives of several GB are fine).
 * Entry names that would escape destDir are refused. `onEntry` reports progress by entry.
 */
export async function extractZip(file: string, destDir: string, onEntry?: (done: number, total: number, name: string) => void): Promise<string[]> {
  const fd = fs.openSync(file, 'r');
  const src = fileSource(fd);
  const entries = listFrom(src, file);
  const written: string[] = [];
  const root = path.resolve(destDir);
  try {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const target = path.resolve(root, e.name);
      if (target !== root && !target.startsWith(root + path.sep)) throw new InputError(`${file}: ${e.name}`, 'entry path escapes the destination folder');
      if (e.name.endsWith('/')) { fs.mkdirSync(target, { recursive: true }); onEntry?.(i + 1, entries.length, e.name); continue; }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const start = dataOffset(src, e, file);
      if (start + e.compressedSize > src.size) throw new InputError(`${file}: ${e.name}`, 'entry data runs past the end of the archive (truncated)');
      const tmp = `${target}.${process.pid}.part`;
      let crc = 0, size = 0;
      const input = fs.createReadStream(file, { start, end: start + e.compressedSize - 1 });
      const check = new Transform({
        transform(chunk: Buffer, _enc, cb) { crc = crc32(chunk, crc); size += chunk.length; cb(null, chunk); },
      });
      if (e.method !== 0 && e.method !== 8) throw new InputError(`${file}: ${e.name}`, `unsupported compression method ${e.method}`);
      try {
        if (e.method === 8) await pipeline(input, zlib.createInflateRaw(), check, fs.createWriteStream(tmp));
        else await pipeline(input, check, fs.createWriteStream(tmp));
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw new InputError(`${file}: ${e.name}`, `cannot extract (${(err as Error).message})`);
      }
      if (size !== e.size || crc !== e.crc32) { fs.rmSync(tmp, { force: true }); throw new InputError(`${file}: ${e.name}`, 'CRC-32 or size mismatch (corrupt archive)'); }
      fs.renameSync(tmp, target);
      written.push(target);
      onEntry?.(i + 1, entries.length, e.name);
    }
  } finally { fs.closeSync(fd); }
  return written;
}

/** Build a ZIP archive in memory (no zip64: for small archives such as .npz and test fixtures). */
export function zipBuffer(files: { name: string; data: Uint8Array }[], opts: { deflate?: boolean } = {}): Buffer {
  const locals: Buffer[] = [], centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const crc = crc32(f.data);
    const body = opts.deflate ? zlib.deflateRawSync(f.data) : Buffer.from(f.data);
    const method = opts.deflate ? 8 : 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6); lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(0, 10); lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(body.length, 18); lh.writeUInt32LE(f.data.length, 22);
    lh.writeUInt16LE(name.length, 26); lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0, 8); ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(0, 12); ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(body.length, 20); ch.writeUInt32LE(f.data.length, 24);
    ch.writeUInt16LE(name.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(files.length, 8); eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

