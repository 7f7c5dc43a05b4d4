#!/usr/bin/env bash
# Generates the provider plugin's SDKs from its schema: sdk/python (`pulumi_cognito_user_password`)
# and sdk/go/cognitouserpassword. Usage: gen-sdk.sh [output root, default sdk].
#   1. the schema comes from the TypeScript source (src/plugin/schema.ts, for package.json's
#      version), the same function the plugin serves;
#   2. tools/gen-sdk (pkg/v3's codegen/python and codegen/go; `pulumi package gen-sdk` needs
#      language hosts that cannot be had here) writes both SDKs. The Go build cache makes it a
#      few seconds after the first build (about a minute with the CLI's modules cached).
# Commit what it writes: test/consumer/sdk.test.ts fails when the committed SDKs differ.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/sdk}" && cd "${1:-$ROOT/sdk}" && pwd)"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
log() { echo "[gen-sdk] $*" >&2; }
command -v go >/dev/null 2>&1 || { log "no Go toolchain: install Go >= 1.26"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$ROOT" && node --no-experimental-strip-types -r ./scripts/ts-register.js -e '
  const { packageSchema } = require("./src/plugin/schema.ts");
  const { version } = require("./package.json");
  process.stdout.write(JSON.stringify(packageSchema(version), null, 2) + "\n");
') > "$work/schema.json"

tool="$CACHE_DIR/gen-sdk/gen-sdk"
mkdir -p "$(dirname "$tool")"
# `go build` is incremental: a no-op rebuild when nothing changed.
(cd "$ROOT/tools/gen-sdk" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -o "$tool.partial.$$" . && mv "$tool.partial.$$" "$tool") >&2
"$tool" -schema "$work/schema.json" -out "$OUT"
log "wrote $OUT/python and $OUT/go"
