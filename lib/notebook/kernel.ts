/**
 * The tslab kernel as the notebooks run it: `node --import tsx lib/notebook/kernel.ts --config-path <file>`
 * (registered by scripts/bootstrap.sh in .handgap/jupyter).
 *
 * Why a launcher: tslab type-checks each cell with fixed compiler options (rootDir = the notebook
 * folder, no allowImportingTsExtensions), so `import { x } from '../lib/a.ts'` fails with
 * "not under rootDir" and ".ts extension" errors, and tslab would re-transpile lib itself. Here the
 * module resolution tslab's TypeScript uses is wrapped so that files under <project>/lib resolve as
 * external, already-checked library code (the project's own `tsc` checks them): cells still get
 * full types from lib, tslab emits a plain `require('../lib/a.ts')`, and node loads lib through
 * tsx (registered by --import tsx), with the same ESM semantics as the CLI and tests.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectRoot } from '../util/paths.ts';
import { displayTable } from '../plot/display.ts';
import { isDataFrameLike } from '../analysis/tables.ts';

const require = createRequire(import.meta.url);
const libDir = path.join(projectRoot, 'lib') + path.sep;

type Ts = typeof import('typescript');

/**
 * A view of tslab's TypeScript module whose createWatchCompilerHost resolves lib/**.ts as external
 * library code. (The module's exports are read-only getters, hence a view rather than a patch.)
 */
export function withLibResolution(ts: Ts): Ts {
  const view: Record<string, unknown> = {};
  for (const k of Object.keys(ts)) if (k !== 'createWatchCompilerHost') Object.defineProperty(view, k, { enumerable: true, get: () => (ts as unknown as Record<string, unknown>)[k] });
  const original = ts.createWatchCompilerHost as (...a: unknown[]) => import('typescript').WatchCompilerHostOfFilesAndCompilerOptions<import('typescript').BuilderProgram>;
  Object.defineProperty(view, 'createWatchCompilerHost', { enumerable: true, value: (...args: unknown[]) => {
    const host = original(...args);
    host.resolveModuleNames = (moduleNames, containingFile, _reused, _redirect, options) =>
      moduleNames.map((name) => {
        const r = ts.resolveModuleName(name, containingFile, options, host).resolvedModule;
        if (!r) return undefined;
        const file = path.resolve(r.resolvedFileName);
        if (file.startsWith(libDir) && file.endsWith('.ts') && !file.endsWith('.d.ts')) {
          return { ...r, resolvedUsingTsExtension: false, isExternalLibraryImport: true };
        }
        return r;
      });
    return host;
  } });
  return view as unknown as Ts;
}

/**
 * tslab prints a cell's last value with console.log (util.inspect), which dumps a danfojs DataFrame's
 * internals. A DataFrame or Series logged on its own is shown as an HTML table instead.
 */
export function installTableDisplayHook(): void {
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (args.length === 1 && isDataFrameLike(args[0])) { displayTable(args[0]); return; }
    log(...args);
  };
}

function main(): void {
  installTableDisplayHook();
  const tsPath = require.resolve('@tslab/typescript-for-tslab', { paths: [require.resolve('tslab')] });
  const ts = require(tsPath) as Ts;
  // tslab's converter requires this module later and gets the view from the cache.
  require.cache[tsPath]!.exports = withLibResolution(ts);
  const tslabMain = require('tslab/dist/main.js') as { main(): void };
  // tslab parses process.argv: `tslab kernel --config-path <file>`.
  process.argv = [process.argv[0], 'tslab', 'kernel', ...process.argv.slice(2)];
  tslabMain.main();
}

main();
