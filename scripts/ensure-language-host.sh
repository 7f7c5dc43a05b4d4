#!/usr/bin/env bash
# Prints the path of the Node.js language host `pulumi-language-nodejs`, which plain
# `pulumi up` in a project folder needs (inline Automation API programs, as the tests and the
# demo use, do not). Looks for it:
#   1. $PULUMI_LANGUAGE_NODEJS if set; `pulumi-language-nodejs` on PATH; next to the pulumi CLI
#      (the official installer puts it there);
#   2. a cached build in $CACHE_DIR;
#   3. a build from the Go module proxy through tools/pulumi-language-nodejs. The language
#      host is a separate module that Pulumi never tags, so it is asked for at
#      $PULUMI_LANGUAGE_HOST_VERSION (a pseudo-version of a release commit,
#      v3.0.0-<yyyymmddhhmmss>-<12 hex>) or else at the CLI's version.
# Progress goes to stderr; only the path goes to stdout. Exits 1 with the reason when there is
# none to be had: callers treat the language host as optional.
set -euo pipefail

PULUMI_VERSION="v3.274.1"
MODULE="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
BIN_DIR="$CACHE_DIR/pulumi-language-nodejs-$PULUMI_VERSION/bin"
log() { echo "[ensure-language-host] $*" >&2; }

if [[ -n "${PULUMI_LANGUAGE_NODEJS:-}" ]]; then
  [[ -x "$PULUMI_LANGUAGE_NODEJS" ]] || { log "PULUMI_LANGUAGE_NODEJS=$PULUMI_LANGUAGE_NODEJS is not executable"; exit 1; }
  echo "$PULUMI_LANGUAGE_NODEJS"; exit 0
fi
if command -v pulumi-language-nodejs >/dev/null 2>&1; then command -v pulumi-language-nodejs; exit 0; fi
if command -v pulumi >/dev/null 2>&1; then
  beside="$(dirname "$(readlink -f "$(command -v pulumi)")")/pulumi-language-nodejs"
  if [[ -x "$beside" ]]; then echo "$beside"; exit 0; fi
fi
if [[ -x "$BIN_DIR/pulumi-language-nodejs" ]]; then echo "$BIN_DIR/pulumi-language-nodejs"; exit 0; fi

command -v go >/dev/null 2>&1 || { log "no pulumi-language-nodejs and no Go toolchain to build one: install Pulumi (https://www.pulumi.com/docs/install/)"; exit 1; }

versions=()
[[ -n "${PULUMI_LANGUAGE_HOST_VERSION:-}" ]] && versions+=("$PULUMI_LANGUAGE_HOST_VERSION")
versions+=("$PULUMI_VERSION")

errors=""
for version in "${versions[@]}"; do
  log "asking the Go module proxy for $MODULE@$version"
  if ! out="$(cd "$ROOT/tools/pulumi-language-nodejs" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go list -m -json "$MODULE@$version" 2>&1)"; then
    errors+="  $version: $(echo "$out" | tr '\n' ' ')"$'\n'
    continue
  fi
  log "building $MODULE@$version (cold: many minutes on 2 cores; cached afterwards in $BIN_DIR)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp "$ROOT/tools/pulumi-language-nodejs/go.mod" "$ROOT/tools/pulumi-language-nodejs/tools.go" "$work/"
  mkdir -p "$BIN_DIR"
  tmp="$BIN_DIR/pulumi-language-nodejs.partial.$$"
  if (
    cd "$work" &&
      GOTOOLCHAIN=local go mod edit -require="$MODULE@$version" &&
      GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
        -o "$tmp" "$MODULE"
  ) >&2; then
    mv "$tmp" "$BIN_DIR/pulumi-language-nodejs"
    log "built: $BIN_DIR/pulumi-language-nodejs"
    echo "$BIN_DIR/pulumi-language-nodejs"; exit 0
  fi
  rm -f "$tmp"
  errors+="  $version: go build failed (see above)"$'\n'
done

log "the Node.js language host cannot be had here; tried:"
printf '%s' "$errors" >&2
log "inline Automation API programs (npm test, npm run demo) do not need it; plain \`pulumi up\` in a project folder does"
exit 1
