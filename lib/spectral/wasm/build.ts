/**
 * Builds lib/spectral/wasm/fft32.wasm from fft32.as (AssemblyScript, SIMD) with the pinned devDependency
 * assemblyscript. Deterministic: the committed .wasm must equal a rebuild (test/spectral/fft32.test.ts).
 *   node --import tsx lib/spectral/wasm/build.ts           (writes the .wasm)
 *   node --import tsx lib/spectral/wasm/build.ts --check   (exit 1 if the committed bytes differ)
 * The source keeps an `.as` extension so the project's tsc does not type-check it; asc sees it as `fft32.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../util/fsx.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FFT32_SOURCE = path.join(here, 'fft32.as');
export const FFT32_WASM = path.join(here, 'fft32.wasm');

/** Compile the kernel; returns the module bytes. */
export async function compileFft32(): Promise<Uint8Array> {
  const asc = (await import('assemblyscript/asc')).default;
  const res = await asc.compileString({ 'fft32.ts': fs.readFileSync(FFT32_SOURCE, 'utf8') },
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', enable: ['simd'], noAssert: true, initialMemory: 1, debug: !!process.env.FFT32_DEBUG });
  if (res.error || !res.binary) throw new Error(`asc failed: ${res.error?.message ?? ''}\n${res.stderr.toString()}`);
  return res.binary;
}

async function main(): Promise<void> {
  const bytes = await compileFft32();
  if (process.argv.includes('--check')) {
    const same = Buffer.from(bytes).equals(fs.readFileSync(FFT32_WASM));
    console.log(same ? 'fft32.wasm matches its source' : 'fft32.wasm differs from a rebuild of fft32.as (run node --import tsx lib/spectral/wasm/build.ts)');
    process.exit(same ? 0 : 1);
  }
  writeFileAtomic(FFT32_WASM, Buffer.from(bytes));
  console.log(`wrote ${path.relative(process.cwd(), FFT32_WASM)} (${bytes.length} bytes)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main().catch((e) => { console.error(e); process.exit(1); });
