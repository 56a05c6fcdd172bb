/**
 * Builds lib/spectral/wasm/fft32.wasm from fft32.as (AssemblyScript, SIMD) with the pinned devDependency
 * assemblyscript. Deterministic: the committed .wasm must equal a rebuild (test/spectral/fft32.test.ts).
 *   node --import tsx lib/spectral/wasm/build.ts           (writes the .wasm)
 *   node --import tsx lib/spectral/wasm/build.ts --check   (exit 1 if the committed bytes differ)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasmTargets, wasmMatchesSource, type WasmTarget } from '../../util/asc.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The source, output and asc options (the options are part of the determinism contract). */
export const FFT32_TARGET: WasmTarget = {
  source: path.join(here, 'fft32.as'), wasm: path.join(here, 'fft32.wasm'),
  options: { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', enable: ['simd'], noAssert: true, initialMemory: 1 },
};

export const fft32MatchesSource = (): boolean => wasmMatchesSource(FFT32_TARGET);

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWasmTargets([FFT32_TARGET], process.argv, 'node --import tsx lib/spectral/wasm/build.ts');
}
