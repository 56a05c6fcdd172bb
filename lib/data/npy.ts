/**
 * NumPy .npy and .npz in TypeScript: parse the header (descr, fortran_order, shape), return the data
 * as a C-order typed array; write arrays back (for fixtures and interchange).
 */
import fs from 'node:fs';
import { InputError } from '../util/errors.ts';
import { unzipBuffer, zipBuffer } from './zip.ts';
import { writeFileAtomic } from '../util/fsx.ts';

export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
export interface NpyArray { dtype: string; shape: number[]; data: NpyData }

const CTORS: Record<string, { ctor: new (n: number) => NpyData; size: number }> = {
  f4: { ctor: Float32Array, size: 4 }, f8: { ctor: Float64Array, size: 8 },
  i1: { ctor: Int8Array, size: 1 }, u1: { ctor: Uint8Array, size: 1 }, b1: { ctor: Uint8Array, size: 1 },
  i2: { ctor: Int16Array, size: 2 }, u2: { ctor: Uint16Array, size: 2 },
  i4: { ctor: Int32Array, size: 4 }, u4: { ctor: Uint32Array, size: 4 },
  i8: { ctor: BigInt64Array, size: 8 }, u8: { ctor: BigUint64Array, size: 8 },
};

/** Parse the bytes of one .npy file. */
export function parseNpy(buf: Uint8Array, where = 'npy'): NpyArray {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || b[0] !== 0x93 || b.toString('latin1', 1, 6) !== 'NUMPY') throw new InputError(where, 'not a .npy file (bad magic)');
  const major = b[6];
  const headerLen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = b.toString(major >= 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new InputError(where, `cannot parse .npy header: ${header.trim()}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const order = descr[0], kind = descr.slice(1);
  const t = CTORS[kind];
  if (!t) throw new InputError(where, `unsupported dtype ${descr} (supported: float32/64, (u)int8..64, bool)`);
  if (order === '>' && t.size > 1) throw new InputError(where, `big-endian dtype ${descr} is not supported`);
  const count = shape.reduce((a, c) => a * c, 1);
  const dataStart = start + headerLen;
  if (b.length < dataStart + count * t.size) throw new InputError(where, `data truncated: shape (${shape.join(', ')}) needs ${count * t.size} bytes, file has ${b.length - dataStart}`);
  const data = new t.ctor(count);
  new Uint8Array(data.buffer).set(b.subarray(dataStart, dataStart + count * t.size));
  return { dtype: descr, shape, data: fortran ? toCOrder(data, shape) : data };
}

function toCOrder(data: NpyData, shape: number[]): NpyData {
  const n = data.length;
  const out = new (data.constructor as new (n: number) => NpyData)(n);
  const nd = shape.length;
  const idx = new Array(nd).fill(0);
  for (let c = 0; c < n; c++) {
    // C-order index → Fortran offset
    let f = 0, stride = 1;
    for (let d = 0; d < nd; d++) { f += idx[d] * stride; stride *= shape[d]; }
    (out as any)[c] = (data as any)[f];
    for (let d = nd - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return out;
}

export function readNpy(file: string): NpyArray {
  let buf: Buffer;
  try { buf = fs.readFileSync(file); } catch (e) { throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code})`); }
  return parseNpy(buf, file);
}

/** Read every array of an .npz (stored or deflated). Keys without the .npy suffix. */
export function readNpz(file: string): Record<string, NpyArray> {
  let buf: Buffer;
  try { buf = fs.readFileSync(file); } catch (e) { throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code})`); }
  const out: Record<string, NpyArray> = {};
  for (const [name, bytes] of unzipBuffer(buf, file)) out[name.replace(/\.npy$/, '')] = parseNpy(bytes, `${file}: ${name}`);
  return out;
}

const DESCR: [new (n: number) => NpyData, string][] = [
  [Float32Array, '<f4'], [Float64Array, '<f8'], [Int8Array, '|i1'], [Uint8Array, '|u1'], [Int16Array, '<i2'], [Uint16Array, '<u2'],
  [Int32Array, '<i4'], [Uint32Array, '<u4'], [BigInt64Array, '<i8'], [BigUint64Array, '<u8'],
];

/** Encode one array as .npy (version 1.0, C order). */
export function encodeNpy(arr: { shape: number[]; data: NpyData }): Buffer {
  const descr = DESCR.find(([c]) => arr.data instanceof c)?.[1];
  if (!descr) throw new Error('encodeNpy: unsupported typed array');
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre[0] = 0x93; pre.write('NUMPY', 1, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength)]);
}

/** Write arrays as an .npz (np.savez: stored; np.savez_compressed: deflate). */
export function writeNpz(file: string, arrays: Record<string, { shape: number[]; data: NpyData }>, opts: { compress?: boolean } = {}): void {
  writeFileAtomic(file, zipBuffer(Object.entries(arrays).map(([k, a]) => ({ name: `${k}.npy`, data: encodeNpy(a) })), { deflate: opts.compress }));
}
