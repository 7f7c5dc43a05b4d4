#!/usr/bin/env bash
# Prints the absolute path of a `moto_server` executable (moto's standalone AWS emulator),
# installing it once into a cached Python virtual environment:
#   ${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}/moto-<version>
# The environment is built in a temporary directory next to it and renamed into place only
# when complete, so an interrupted install never leaves a half environment in the cache.
# Progress goes to stderr; only the path goes to stdout. Needs Python >= 3.9 with venv.
set -euo pipefail

MOTO_VERSION="5.2.5"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
DEST="$CACHE_DIR/moto-$MOTO_VERSION"
log() { echo "[ensure-moto] $*" >&2; }
fail() { log "error: $*"; exit 1; }

# Already installed: the marker is written last, so its presence means a complete install.
if [[ -x "$DEST/bin/moto_server" && -f "$DEST/.complete" ]]; then
  echo "$DEST/bin/moto_server"; exit 0
fi

python=""
for candidate in "${PYTHON:-}" python3 python; do
  [[ -n "$candidate" ]] || continue
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 9) else 1)' >/dev/null 2>&1; then
    python="$(command -v "$candidate")"; break
  fi
done
[[ -n "$python" ]] || fail "need Python >= 3.9 with the venv module (set PYTHON=/path/to/python3); on Debian: apt-get install python3-venv"

mkdir -p "$CACHE_DIR"
tmp="$(mktemp -d "$CACHE_DIR/moto-$MOTO_VERSION.partial.XXXXXX")"
chmod 755 "$tmp"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

log "installing moto[server]==$MOTO_VERSION from PyPI into $DEST (using $python, $("$python" --version 2>&1))"
"$python" -m venv "$tmp" >&2 || fail "could not create a virtual environment with $python -m venv"
# The environment is renamed after the install: run pip through the venv's python here.
"$tmp/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
  "moto[server]==$MOTO_VERSION" >&2 || fail "pip install moto[server]==$MOTO_VERSION failed (see above)"

[[ -f "$tmp/bin/moto_server" ]] || fail "moto[server]==$MOTO_VERSION installed no bin/moto_server"
"$tmp/bin/python" -c 'import moto, moto.server, moto.cognitoidp' >&2 ||
  fail "the freshly installed moto does not import (see above)"
# The venv's scripts (moto_server, pip, activate...) and pyvenv.cfg hold its absolute path:
# point them at the final location before the rename.
grep -rlI --null -F "$tmp" "$tmp/bin" "$tmp/pyvenv.cfg" 2>/dev/null | xargs -0 -r sed -i "s|$tmp|$DEST|g" || true
touch "$tmp/.complete"

# Atomic publish. A concurrent installer may have finished first: then keep its copy.
if [[ -x "$DEST/bin/moto_server" && -f "$DEST/.complete" ]]; then
  log "another install finished first; using it"
else
  rm -rf "$DEST"   # an incomplete leftover (no marker) from an older, interrupted layout
  if ! mv -T "$tmp" "$DEST" 2>/dev/null; then
    [[ -x "$DEST/bin/moto_server" && -f "$DEST/.complete" ]] || fail "could not move the environment into $DEST"
  fi
fi
rm -rf "$tmp"
trap - EXIT

"$DEST/bin/moto_server" --help >/dev/null 2>&1 || fail "$DEST/bin/moto_server does not run"
log "moto $MOTO_VERSION ready: $DEST/bin/moto_server"
echo "$DEST/bin/moto_server"
