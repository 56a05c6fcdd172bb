/**
 * Compiling the project's AssemblyScript kernels (`.as` sources, committed `.wasm` outputs) with the pinned
 * devDependency assemblyscript. Deterministic: same compiler version + options + source = same bytes, which the
 * tests check against the committed files. The sources keep an `.as` extension so the project's tsc does not
 * type-check them; asc sees each as `<name>.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileAtomic } from './fsx.ts';

const require = createRequire(import.meta.url);

/** One kernel module: its source, where the .wasm goes, and the asc options (part of the determinism contract). */
export interface WasmTarget { source: string; wasm: string; options: Record<string, unknown> }

/**
 * Compile one source; returns the module bytes. Runs asc in a plain `node` child: under tsx's loader the 9 MB
 * compiler would be transformed first (16 s instead of 3 s).
 */
function compileAssemblyScript(target: WasmTarget): Uint8Array {
  const ascJs = pathToFileURL(path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'dist', 'asc.js')).href;
  const name = path.basename(target.source).replace(/\.as$/, '.ts');
  const code = `const asc = (await import(${JSON.stringify(ascJs)})).default; const fs = await import('node:fs');
const opts = JSON.parse(process.env.HANDGAP_ASC_OPTIONS);
const res = await asc.compileString({ ${JSON.stringify(name)}: fs.readFileSync(process.env.HANDGAP_ASC_SOURCE, 'utf8') }, opts);
if (res.error || !res.binary) { process.stderr.write(String(res.error) + ' ' + res.stderr.toString()); process.exit(1); }
process.stdout.write(Buffer.from(res.binary).toString('base64'));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8', maxBuffer: 64 << 20,
    env: { ...process.env, NODE_OPTIONS: '', HANDGAP_ASC_SOURCE: target.source, HANDGAP_ASC_OPTIONS: JSON.stringify(target.options) },
  });
  if (r.status !== 0) throw new Error(`asc failed (${target.source}): ${r.stderr || r.error?.message}`);
  return new Uint8Array(Buffer.from(r.stdout, 'base64'));
}

/** True when the committed .wasm equals a rebuild of its source. */
export function wasmMatchesSource(target: WasmTarget): boolean {
  return fs.existsSync(target.wasm) && Buffer.from(compileAssemblyScript(target)).equals(fs.readFileSync(target.wasm));
}

/** The body of a build script: write every target's .wasm, or with --check exit 1 when a committed one is stale. */
export function buildWasmTargets(targets: WasmTarget[], argv: string[], rebuildCommand: string): void {
  let stale = 0;
  for (const t of targets) {
    const rel = path.relative(process.cwd(), t.wasm);
    if (argv.includes('--check')) {
      const same = wasmMatchesSource(t);
      if (!same) stale++;
      console.log(same ? `${rel} matches its source` : `${rel} differs from a rebuild of ${path.basename(t.source)} (run ${rebuildCommand})`);
    } else {
      const bytes = compileAssemblyScript(t);
      writeFileAtomic(t.wasm, Buffer.from(bytes));
      console.log(`wrote ${rel} (${bytes.length} bytes)`);
    }
  }
  if (stale) process.exit(1);
}
