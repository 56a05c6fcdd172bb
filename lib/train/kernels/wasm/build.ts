/**
 * Builds the training kernels' WebAssembly from train-kernels.as, in four variants: importing a shared memory (the
 * threaded tfjs wasm build's) or a plain one (the single-threaded build's), each with plain SIMD or with relaxed SIMD
 * (fused multiply-add; on by default from Node 22, behind a V8 flag in Node 20, see heap-kernels.ts).
 *   node --import tsx lib/train/kernels/wasm/build.ts           (writes the .wasm files)
 *   node --import tsx lib/train/kernels/wasm/build.ts --check   (exit 1 if a committed file differs from a rebuild)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasmTargets, type WasmTarget } from '../../../util/asc.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, 'train-kernels.as');
const common = { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, importMemory: true, initialMemory: 1 };
// the threaded tfjs build's memory: shared, at most 4 GiB (65536 pages); an import must declare the same kind
const sharedMemory = { sharedMemory: true, maximumMemory: 65536 };

export type TrainKernelVariant = 'shared' | 'unshared' | 'shared-relaxed' | 'unshared-relaxed';
export const trainKernelsWasm = (variant: TrainKernelVariant): string => path.join(here, `train-kernels-${variant}.wasm`);

export const TRAIN_KERNEL_TARGETS: Record<TrainKernelVariant, WasmTarget> = {
  shared: { source, wasm: trainKernelsWasm('shared'), options: { ...common, ...sharedMemory, enable: ['simd', 'threads'] } },
  unshared: { source, wasm: trainKernelsWasm('unshared'), options: { ...common, enable: ['simd'] } },
  'shared-relaxed': { source, wasm: trainKernelsWasm('shared-relaxed'), options: { ...common, ...sharedMemory, enable: ['simd', 'threads', 'relaxed-simd'] } },
  'unshared-relaxed': { source, wasm: trainKernelsWasm('unshared-relaxed'), options: { ...common, enable: ['simd', 'relaxed-simd'] } },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWasmTargets(Object.values(TRAIN_KERNEL_TARGETS), process.argv, 'node --import tsx lib/train/kernels/wasm/build.ts');
}
