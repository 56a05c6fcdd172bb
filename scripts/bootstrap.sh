#!/usr/bin/env bash
# Idempotent set-up used by both README commands. A second run does no work (a few seconds):
#  1. npm packages, reinstalled only when package-lock.json changed;
#  2. Debian packages the toolkit needs, installed only when missing (as root; otherwise one clear
#     message naming them and the command to run);
#  3. the project's Jupyter kernelspec ("handgap"), registered in a project-local Jupyter path
#     (.handgap/jupyter); `handgap kernel install --user` registers it for your own Jupyter.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.handgap/stamps"
mkdir -p "$state"

say() { printf '[setup] %s\n' "$*" >&2; }

# --- Node ---------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then say "missing dependency: Node.js >= 20 (install: apt-get install nodejs npm, or from nodejs.org)"; exit 3; fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then say "Node.js >= 20 is required, found $(node --version)"; exit 3; fi

# --- Debian packages ----------------------------------------------------------------------------
# blender: synthesis; jupyter-notebook: the notebook server (`handgap notebook`); jupyter-nbconvert/
# python3-nbclient/python3-ipykernel: headless notebooks; chromium: static figure export and the
# browser test; python3-numpy/scipy: benchmark baselines, export and MANO conversion tests; python3-yaml:
# the cluster manifest test; fonts-dejavu-core: text in figures.
apt_pkgs=(blender jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel chromium python3-numpy python3-scipy python3-yaml fonts-dejavu-core)
# optional, for benchmarks only (HANDGAP_BENCH=1): python3-torch, the PyTorch twin of the pose estimator in bench/train.ts
# (bench/train.ts says so and skips that row where it is missing)
if [ "${HANDGAP_BENCH:-0}" = 1 ]; then apt_pkgs+=(python3-torch); fi
if [ -n "${HANDGAP_APT_EXTRA:-}" ]; then read -r -a extra <<<"$HANDGAP_APT_EXTRA"; apt_pkgs+=("${extra[@]}"); fi
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing system packages: ${missing[*]}"
    say "install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
    exit 3
  fi
fi

# --- npm ----------------------------------------------------------------------------------------
lock_sum=$( (cat package.json package-lock.json; node --version) | sha256sum | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$state/npm" 2>/dev/null)" != "$lock_sum" ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$state/npm"
fi

# --- Jupyter kernel -----------------------------------------------------------------------------
# The kernel runs tslab through lib/notebook/kernel.ts under `node --import tsx`, so notebooks import
# the shared code as `../lib/*.ts` with full types (see docs/notebooks-and-figures.md). kernel.json is
# written by lib/notebook/kernelspec.ts (its one owner) through `jupyter kernelspec install`.
jupyter_dir="$root/.handgap/jupyter"
node_bin=$(command -v node)
kernel_sum=$( (cat scripts/bootstrap.sh lib/notebook/kernelspec.ts; echo "$root $node_bin") | sha256sum | cut -d' ' -f1)
kernel_json="$jupyter_dir/share/jupyter/kernels/handgap/kernel.json"
if [ ! -f "$kernel_json" ] || [ "$(cat "$state/kernel" 2>/dev/null)" != "$kernel_sum" ]; then
  say "registering the handgap kernel in .handgap/jupyter (JUPYTER_PATH=$jupyter_dir/share/jupyter)"
  rm -rf "$jupyter_dir/share/jupyter/kernels/tslab"   # the kernel's name before it was "handgap"
  node --import tsx lib/cli/main.ts kernel install --prefix "$jupyter_dir" >/dev/null
  echo "$kernel_sum" > "$state/kernel"
fi
say "ready"
