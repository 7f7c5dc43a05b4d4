#!/usr/bin/env bash
# Makes plain `pulumi up` in a project folder work with the Pulumi CLI that
# scripts/ensure-pulumi.sh gives, and prints the path of the Node.js language host
# (`pulumi-language-nodejs`). Usage: ensure-language-host.sh <path of the pulumi binary>.
#
# Where the host comes from:
#   1. $PULUMI_LANGUAGE_NODEJS if set, or one already beside the CLI (an official install
#      ships it there): used as it is;
#   2. a cached build in $CACHE_DIR;
#   3. a build from the Go module proxy through tools/pulumi-language-nodejs, from
#      github.com/pulumi/pulumi/sdk/v3 at $HOST_VERSION (the last release that holds the host;
#      newer hosts are a separate module that the proxy does not serve). About a minute cold.
#
# When the CLI is this project's cached build, the host and the dynamic provider plugin
# `pulumi-resource-pulumi-nodejs` (a small script in the @pulumi/pulumi npm package that runs
# the provider through the program's own @pulumi/pulumi) are placed beside it: the engine
# looks there first, and prints no "using ... from $PATH" warning. An official install is
# never touched.
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

HOST_VERSION="v3.68.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
HOST_DIR="$CACHE_DIR/pulumi-language-nodejs-$HOST_VERSION/bin"
log() { echo "[ensure-language-host] $*" >&2; }

cli="${1:?usage: ensure-language-host.sh <path of the pulumi binary>}"
cli_dir="$(dirname "$(readlink -f "$cli")")"

if [[ -n "${PULUMI_LANGUAGE_NODEJS:-}" ]]; then
  [[ -x "$PULUMI_LANGUAGE_NODEJS" ]] || { log "PULUMI_LANGUAGE_NODEJS=$PULUMI_LANGUAGE_NODEJS is not executable"; exit 1; }
  echo "$PULUMI_LANGUAGE_NODEJS"; exit 0
fi
# Our own cached CLI lives under $CACHE_DIR; anything else is someone's install.
own_cli=0
[[ "$cli_dir" == "$(readlink -f "$CACHE_DIR")"/* ]] && own_cli=1

if [[ $own_cli == 0 ]]; then
  [[ -x "$cli_dir/pulumi-language-nodejs" ]] || { log "no pulumi-language-nodejs beside $cli: use an official Pulumi install, or unset PULUMI_CLI"; exit 1; }
  echo "$cli_dir/pulumi-language-nodejs"; exit 0
fi

if [[ ! -x "$HOST_DIR/pulumi-language-nodejs" ]]; then
  command -v go >/dev/null 2>&1 || { log "no Go toolchain to build pulumi-language-nodejs: install Go >= 1.26 or an official Pulumi"; exit 1; }
  log "building pulumi-language-nodejs from github.com/pulumi/pulumi/sdk/v3@$HOST_VERSION (cold: about a minute; cached in $HOST_DIR)"
  mkdir -p "$HOST_DIR"
  tmp="$HOST_DIR/pulumi-language-nodejs.partial.$$"
  start=$(date +%s)
  if ! (
    cd "$ROOT/tools/pulumi-language-nodejs" &&
      GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$HOST_VERSION" \
        -o "$tmp" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
  ) >&2; then
    rm -f "$tmp"
    log "go build of pulumi-language-nodejs failed (see above)"
    exit 1
  fi
  mv "$tmp" "$HOST_DIR/pulumi-language-nodejs" # atomic: a killed build leaves no half binary
  log "built in $(( $(date +%s) - start )) s"
fi

# Beside the CLI. Copies (not links), written atomically, so concurrent runs never see half a file.
place() {
  local src="$1" name="$2"
  if ! cmp -s "$src" "$cli_dir/$name"; then
    cp "$src" "$cli_dir/.$name.$$" && chmod +x "$cli_dir/.$name.$$" && mv "$cli_dir/.$name.$$" "$cli_dir/$name"
  fi
}
place "$HOST_DIR/pulumi-language-nodejs" pulumi-language-nodejs
plugin="$(cd "$ROOT" && node -e 'console.log(require("path").join(require("path").dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs"))')"
[[ -f "$plugin" ]] || { log "no $plugin: run npm ci first"; exit 1; }
place "$plugin" pulumi-resource-pulumi-nodejs
echo "$cli_dir/pulumi-language-nodejs"
