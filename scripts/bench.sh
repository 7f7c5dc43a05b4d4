#!/usr/bin/env bash
# The benchmarks (`npm run bench`), see bench/README.md:
#   npm run bench              full mode: measures, writes bench/results/results.md + scaling.svg
#   npm run bench -- --quick   quick mode (CI): every benchmark once with tiny sizes, a minute or
#                              two; writes to bench/results/raw/quick/ (not committed)
#   npm run bench -- --render bench/results/results.json
#                              re-renders results.md and scaling.svg from a run's raw results
# BENCH_ONLY=overhead,engine,quota runs a subset; other arguments go to vitest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

mode="full"
args=()
while (( $# > 0 )); do
  case "$1" in
    --quick) mode="quick" ;;
    --full) mode="full" ;;
    --render) shift; export BENCH_RENDER="${1:?--render needs a raw JSON file}" ;;
    *) args+=("$1") ;;
  esac
  shift
done

# A failed setup must stop here (an eval of a failed $(...) would carry on).
setup_env="$(bash scripts/setup.sh)"
eval "$setup_env"
echo "[bench] mode $mode; node $(node --version), moto ${MOTO_SERVER:-?}, pulumi ${PULUMI_CLI:-?}" >&2
export BENCH_MODE="$mode"
exec node node_modules/vitest/vitest.mjs run --config bench/vitest.config.mts ${args[@]+"${args[@]}"}
