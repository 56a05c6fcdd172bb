/**
 * Builds lib/spectral/wasm/fft32.wasm from fft32.as (AssemblyScript, SIMD) with the pinned devDependency
 * assemblyscript. Deterministic: the committed .wasm must equal a rebuild (test/spectral/fft32.test.ts).
 *   node --import tsx lib/spectral/wasm/build.ts           (writes the .wasm)
 *   node --import tsx lib/spectral/wasm/build.ts --check   (exit 1 if the committed bytes differ)
 * The source keeps an `.as` extension so the project's tsc does not type-check it; asc sees it as `fft32.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileAtomic } from '../../util/fsx.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const FFT32_SOURCE = path.join(here, 'fft32.as');
export const FFT32_WASM = path.join(here, 'fft32.wasm');

/** asc options (also the determinism contract: same compiler version + options + source = same bytes). */
export const FFT32_ASC_OPTIONS = { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', enable: ['simd'], noAssert: true, initialMemory: 1 };

/**
 * Compile the kernel; returns the module bytes. Runs asc in a plain `node` child: under tsx's loader the 9 MB compiler
 * would be transformed first (16 s instead of 3 s).
 */
export function compileFft32(): Uint8Array {
  const ascJs = pathToFileURL(path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'dist', 'asc.js')).href;
  const code = `const asc = (await import(${JSON.stringify(ascJs)})).default; const fs = await import('node:fs');
const opts = JSON.parse(process.env.FFT32_ASC_OPTIONS);
if (process.env.FFT32_DEBUG) opts.debug = true;
const res = await asc.compileString({ 'fft32.ts': fs.readFileSync(process.env.FFT32_SOURCE, 'utf8') }, opts);
if (res.error || !res.binary) { process.stderr.write(String(res.error) + ' ' + res.stderr.toString()); process.exit(1); }
process.stdout.write(Buffer.from(res.binary).toString('base64'));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8', maxBuffer: 64 << 20,
    env: { ...process.env, NODE_OPTIONS: '', FFT32_SOURCE, FFT32_ASC_OPTIONS: JSON.stringify(FFT32_ASC_OPTIONS) },
  });
  if (r.status !== 0) throw new Error(`asc failed (${FFT32_SOURCE}): ${r.stderr || r.error?.message}`);
  return new Uint8Array(Buffer.from(r.stdout, 'base64'));
}

async function main(): Promise<void> {
  const bytes = compileFft32();
  if (process.argv.includes('--check')) {
    const same = Buffer.from(bytes).equals(fs.readFileSync(FFT32_WASM));
    console.log(same ? 'fft32.wasm matches its source' : 'fft32.wasm differs from a rebuild of fft32.as (run node --import tsx lib/spectral/wasm/build.ts)');
    process.exit(same ? 0 : 1);
  }
  writeFileAtomic(FFT32_WASM, Buffer.from(bytes));
  console.log(`wrote ${path.relative(process.cwd(), FFT32_WASM)} (${bytes.length} bytes)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main().catch((e) => { console.error(e); process.exit(1); });
