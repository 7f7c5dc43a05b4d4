#!/usr/bin/env bash
# Prints the path of a pnpm executable for the consumer tests' pnpm cell: `pnpm` on PATH,
# else the npm package pnpm installed into the cache once. Progress goes to stderr.
set -euo pipefail

PNPM_VERSION="12.21.0"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
DEST="$CACHE_DIR/pnpm-$PNPM_VERSION"
log() { echo "[ensure-pnpm] $*" >&2; }

if command -v pnpm >/dev/null 2>&1; then command -v pnpm; exit 0; fi
if [[ -x "$DEST/node_modules/.bin/pnpm" ]]; then echo "$DEST/node_modules/.bin/pnpm"; exit 0; fi
log "installing pnpm@$PNPM_VERSION from npm into $DEST"
tmp="$DEST.partial.$$"
rm -rf "$tmp"; mkdir -p "$tmp"
( cd "$tmp" && npm install --no-save --no-audit --no-fund --no-package-lock "pnpm@$PNPM_VERSION" >&2 )
rm -rf "$DEST"; mv "$tmp" "$DEST"
"$DEST/node_modules/.bin/pnpm" --version >&2
echo "$DEST/node_modules/.bin/pnpm"
