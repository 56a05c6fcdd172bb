import type { Command } from '../command.ts';
import { optFlag, optString } from '../args.ts';
import { installKernelSpec, kernelSpec, listKernelSpecs, KERNEL_NAME, staleSpecProblem } from '../../notebook/kernelspec.ts';
import { HandgapError } from '../../util/errors.ts';

const command: Command = {
  name: 'kernel',
  summary: 'register the project\'s TypeScript kernel for your own Jupyter, VS Code or JupyterHub',
  usage: `handgap kernel install [--user | --prefix P]
handgap kernel show

install  registers the "${KERNEL_NAME}" kernelspec (tslab with the project's lib/ imports, under this
         checkout's node) through \`jupyter kernelspec install\`:
           --user      in your Jupyter data dir (~/.local/share/jupyter): every Jupyter front end of
                       your account finds it (\`jupyter kernelspec list\`, VS Code, JupyterHub)
           --prefix P  in P/share/jupyter (e.g. a venv or conda env: --prefix "$VIRTUAL_ENV")
         Without an option it does --user. Re-run after moving the checkout or changing node.
show     prints the kernel.json this checkout would register and where Jupyter sees it now.`,
  options: {},
  subcommands: {
    install: { options: {
      user: { type: 'boolean', description: 'install in your Jupyter data dir (the default)' },
      prefix: { type: 'string', value: 'P', description: 'install in P/share/jupyter' },
    } },
    show: { options: {} },
  },
  async run(args) {
    const [sub] = args.positionals;
    if (sub === 'show') {
      console.log(JSON.stringify(kernelSpec(), null, 1));
      const found = listKernelSpecs()[KERNEL_NAME];
      console.log(found ? `registered: ${found.resource_dir}${staleSpecProblem(found.spec) ? ` (stale: ${staleSpecProblem(found.spec)})` : ''}` : `not registered for this user (run: handgap kernel install --user)`);
      return 0;
    }
    if (sub !== 'install') throw new HandgapError(sub ? `unknown subcommand "${sub}" (use install or show)` : 'missing subcommand (use install or show)');
    const prefix = optString(args, 'prefix');
    if (prefix !== undefined && optFlag(args, 'user')) throw new HandgapError('--user and --prefix exclude each other');
    const dir = installKernelSpec(prefix !== undefined ? { kind: 'prefix', prefix } : { kind: 'user' });
    console.log(`installed kernelspec "${KERNEL_NAME}" in ${dir}`);
    return 0;
  },
};
export default command;
