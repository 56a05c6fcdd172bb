#!/usr/bin/env bash
# The README's main command (`npm run main`): set up (idempotent), then run the reproducibility
# walkthrough at the scale given by HANDGAP_SCALE (default: demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node --import tsx lib/cli/main.ts reproduce "$@"
