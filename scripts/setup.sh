#!/usr/bin/env bash
# Sets up everything the demo and the tests need, idempotently, caching tools outside the
# repository: Node.js >= 22, npm dependencies, the build, moto (virtualenv), the Pulumi CLI and
# its Node.js, YAML and Python language hosts (the last two run the provider plugin's programs).
# Prints `export PATH=...` lines for the caller to eval; progress goes to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "[setup] $*" >&2; }

NODE_BIN="$(bash scripts/ensure-node.sh)"
export PATH="$NODE_BIN:$PATH"
if [[ ! -d node_modules/@pulumi/pulumi || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund >&2
fi
log "building (and installing the build into node_modules)"
npm run --silent build >&2
if [[ "${SETUP_SKIP_MOTO:-}" != "1" ]]; then MOTO_BIN="$(bash scripts/ensure-moto.sh)"; echo "export MOTO_SERVER=$MOTO_BIN"; fi
if [[ "${SETUP_SKIP_PULUMI:-}" != "1" ]]; then
  PULUMI_BIN="$(bash scripts/ensure-pulumi.sh)"
  echo "export PULUMI_CLI=$PULUMI_BIN"
  # Plain `pulumi up` in a project folder (the demo, the consumer tests) needs the language host.
  LANGUAGE_HOST="$(bash scripts/ensure-language-host.sh "$PULUMI_BIN")"
  echo "export PULUMI_LANGUAGE_NODEJS=$LANGUAGE_HOST"
  # Plain `pulumi up` of YAML and Python projects (the provider plugin's): the hosts go beside
  # the CLI. A host that cannot be had fails the setup.
  HOSTS="$(bash scripts/ensure-language-hosts.sh "$PULUMI_BIN")"
  echo "export PULUMI_LANGUAGE_YAML=$(awk '$1 == "pulumi-language-yaml" { print $2 }' <<<"$HOSTS")"
  echo "export PULUMI_LANGUAGE_PYTHON=$(awk '$1 == "pulumi-language-python" { print $2 }' <<<"$HOSTS")"
fi
echo "export PATH=$NODE_BIN:\$PATH"
