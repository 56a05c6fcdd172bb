#!/usr/bin/env bash
# The README's test command (`npm test`): set up (idempotent), type-check, run the unit tests with
# node's test runner, then execute every notebook headless. Exit non-zero on any failure.
# Pass file names or a pattern to run a subset: `npm test -- test/hand/fit.test.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export CI="${CI:-}"

if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(find test -name '*.test.ts' | sort); fi

echo "== type check (tsc --noEmit)"
node_modules/.bin/tsc --noEmit -p .

echo "== unit tests (${#files[@]} files)"
node --import tsx --test --test-reporter=spec --test-concurrency=1 "${files[@]}"

if [ $# -eq 0 ] && [ "${HANDGAP_SKIP_NOTEBOOKS:-0}" != 1 ]; then
  echo "== notebooks"
  node --import tsx lib/cli/main.ts notebooks run
fi
