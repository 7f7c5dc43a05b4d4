#!/usr/bin/env bash
# `npm run demo`: sets up what it needs (Node 24, dependencies, build, Pulumi CLI), then runs
# scripts/demo.ts. Arguments go to the demo (`npm run demo -- --help`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# A failed setup must stop here (an eval of a failed $(...) would carry on).
setup_env="$(SETUP_SKIP_MOTO=1 bash scripts/setup.sh)"
eval "$setup_env"
exec node --no-experimental-strip-types -r ./scripts/ts-register.js scripts/demo.ts "$@"
