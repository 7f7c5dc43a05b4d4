#!/usr/bin/env bash
# Prints the path of a Pulumi CLI, obtaining one if needed:
#   1. $PULUMI_CLI if set, else `pulumi` on PATH (the official installer's);
#   2. a cached build in $CACHE_DIR;
#   3. a build from the Go module proxy through tools/pulumi-cli (15-35 min cold on 2 cores).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

PULUMI_VERSION="v3.274.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
BIN_DIR="$CACHE_DIR/pulumi-$PULUMI_VERSION/bin"

log() { echo "[ensure-pulumi] $*" >&2; }

if [[ -n "${PULUMI_CLI:-}" ]]; then
  [[ -x "$PULUMI_CLI" ]] || { log "PULUMI_CLI=$PULUMI_CLI is not executable"; exit 1; }
  echo "$PULUMI_CLI"; exit 0
fi
if [[ "${COGNITO_PW_IGNORE_PATH_PULUMI:-}" != "1" ]] && command -v pulumi >/dev/null 2>&1; then
  command -v pulumi; exit 0
fi
if [[ -x "$BIN_DIR/pulumi" ]]; then
  echo "$BIN_DIR/pulumi"; exit 0
fi

command -v go >/dev/null 2>&1 || { log "no pulumi on PATH and no Go toolchain to build one: install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.26.6"; exit 1; }

log "building Pulumi CLI $PULUMI_VERSION from the Go module proxy (cold: 15-35 minutes on 2 cores; cached afterwards in $BIN_DIR)"
mkdir -p "$BIN_DIR"
tmp="$BIN_DIR/pulumi.partial.$$"
start=$(date +%s)
(
  cd "$ROOT/tools/pulumi-cli"
  GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
) >&2 &
build_pid=$!
# Progress while the build runs: a line a minute, so a pipeline log shows life.
while kill -0 "$build_pid" 2>/dev/null; do
  sleep 60 & wait $! || true
  kill -0 "$build_pid" 2>/dev/null && log "still building... $(( ($(date +%s) - start) / 60 )) min"
done
if ! wait "$build_pid"; then
  rm -f "$tmp"
  log "go build of the Pulumi CLI failed (see above)"
  exit 1
fi
mv "$tmp" "$BIN_DIR/pulumi"   # atomic: a killed build never leaves a half binary in the cache
log "built in $(( $(date +%s) - start )) s: $BIN_DIR/pulumi ($("$BIN_DIR/pulumi" version))"
echo "$BIN_DIR/pulumi"
