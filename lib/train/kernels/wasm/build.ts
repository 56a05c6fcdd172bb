/**
 * Builds the training kernels' WebAssembly from train-kernels.as: one module importing a shared memory (the threaded
 * tfjs wasm build's) and one importing a plain memory (the single-threaded build's).
 *   node --import tsx lib/train/kernels/wasm/build.ts           (writes the .wasm files)
 *   node --import tsx lib/train/kernels/wasm/build.ts --check   (exit 1 if a committed file differs from a rebuild)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasmTargets, type WasmTarget } from '../../../util/asc.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const common = { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, importMemory: true, initialMemory: 1 };

export const TRAIN_KERNEL_TARGETS: { shared: WasmTarget; unshared: WasmTarget } = {
  // the threaded tfjs build's memory: shared, at most 4 GiB (65536 pages); an import must declare the same kind
  shared: { source: path.join(here, 'train-kernels.as'), wasm: path.join(here, 'train-kernels-shared.wasm'),
    options: { ...common, enable: ['simd', 'threads'], sharedMemory: true, maximumMemory: 65536 } },
  unshared: { source: path.join(here, 'train-kernels.as'), wasm: path.join(here, 'train-kernels.wasm'), options: { ...common, enable: ['simd'] } },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWasmTargets(Object.values(TRAIN_KERNEL_TARGETS), process.argv, 'node --import tsx lib/train/kernels/wasm/build.ts');
}
