#!/usr/bin/env bash
# The test command (`npm test`, called by .ci/run): sets everything up, then runs every
# layer: unit, integration (cognito-local and moto) and end-to-end (the Pulumi engine).
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
eval "$(bash scripts/setup.sh)"
echo "[test] node $(node --version), moto ${MOTO_SERVER:-?}, pulumi ${PULUMI_CLI:-?}" >&2
exec node node_modules/vitest/vitest.mjs run "$@"
