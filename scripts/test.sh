#!/usr/bin/env bash
# The test command (`npm test`, called by .ci/run): sets everything up, type-checks the whole
# repository (library, tests, examples, demo, benchmarks), lints it (ESLint + Prettier), then
# runs every test layer: unit, integration (cognito-local and moto) and end-to-end (the real
# Pulumi engine).
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# A failed setup must stop here (an eval of a failed $(...) would carry on).
setup_env="$(bash scripts/setup.sh)"
eval "$setup_env"
echo "[test] node $(node --version), moto ${MOTO_SERVER:-?}, pulumi ${PULUMI_CLI:-?}" >&2
echo "[test] type-checking" >&2
node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
echo "[test] lint (ESLint + Prettier)" >&2
# Two commands, not `a && b`: under `set -e` a failure on the left of && does not stop the script.
node node_modules/eslint/bin/eslint.js .
node node_modules/prettier/bin/prettier.cjs --check "**/*.{ts,mts}"
mkdir -p .tmp
results=".tmp/vitest-results.json"
rm -f "$results"
status=0
node node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line, whatever the runner printed above it.
if [[ -f "$results" ]]; then
  node -e '
    const r = require(require("path").resolve(process.argv[1]));
    const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
    if (r.numTotalTests === 0) process.exitCode = 1;
  ' "$results" || status=1
else
  echo "tests: no results written" >&2; status=1
fi
exit "$status"
