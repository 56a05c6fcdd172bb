/** Worker threads that run TypeScript files (used by lib/spectral and lib/train). */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * A worker running a .ts file. Node 20 resolves a worker's entry before `--import tsx` hooks apply
 * (ERR_UNKNOWN_FILE_EXTENSION), so a small eval'd bootstrap registers tsx's loader first, then imports the file.
 */
export function startTsWorker(file: URL, workerData: unknown): Worker {
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(file.href)}); }).catch((e) => { throw e; });`;
  return new Worker(code, { eval: true, workerData });
}
