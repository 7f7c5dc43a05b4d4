#!/usr/bin/env bash
# Makes plain `pulumi up` of YAML and Python projects work with the Pulumi CLI that
# scripts/ensure-pulumi.sh gives (the provider plugin's programs need them), like
# scripts/ensure-language-host.sh does for Node.js. Usage: ensure-language-hosts.sh <pulumi binary>.
# Prints one line per host, `<name> <path>`; progress goes to stderr.
#
# The hosts:
#   pulumi-language-yaml    github.com/pulumi/pulumi-yaml $YAML_VERSION, cmd/pulumi-language-yaml,
#                           through tools/pulumi-language-yaml (about 2-3 minutes cold);
#   pulumi-language-python  github.com/pulumi/pulumi/sdk/v3 $PYTHON_HOST_VERSION,
#                           python/cmd/pulumi-language-python, through tools/pulumi-language-python
#                           (about 1-2 minutes cold), with the script pulumi-language-python-exec
#                           from the same module, which the host runs beside itself.
# Where each comes from: beside the CLI already (an official install ships both there): used
# as it is; else a cached build in $CACHE_DIR; else a build from the Go module proxy. When the
# CLI is this project's cached build, the hosts are copied beside it (the engine looks there
# first). A host that cannot be had is an error, never a silent skip.
set -euo pipefail

YAML_VERSION="v1.25.0"
PYTHON_HOST_VERSION="v3.68.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${COGNITO_PW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-user-password}"
log() { echo "[ensure-language-hosts] $*" >&2; }

cli="${1:?usage: ensure-language-hosts.sh <path of the pulumi binary>}"
cli_dir="$(dirname "$(readlink -f "$cli")")"
own_cli=0
[[ "$cli_dir" == "$(readlink -f "$CACHE_DIR")"/* ]] && own_cli=1

if [[ $own_cli == 0 ]]; then
  for host in pulumi-language-yaml pulumi-language-python pulumi-language-python-exec; do
    [[ -x "$cli_dir/$host" ]] || { log "no $host beside $cli: use an official Pulumi install, or unset PULUMI_CLI"; exit 1; }
  done
  echo "pulumi-language-yaml $cli_dir/pulumi-language-yaml"
  echo "pulumi-language-python $cli_dir/pulumi-language-python"
  exit 0
fi

# go_build <wrapper module dir> <version ldflag package> <version> <package> <output>
go_build() {
  local module="$1" version_pkg="$2" version="$3" package="$4" out="$5"
  command -v go >/dev/null 2>&1 || { log "no Go toolchain to build $(basename "$out"): install Go >= 1.26 or an official Pulumi"; exit 1; }
  log "building $(basename "$out") from $package@$version (cached in $(dirname "$out"))"
  mkdir -p "$(dirname "$out")"
  local tmp="$out.partial.$$" start
  start=$(date +%s)
  if ! (
    cd "$ROOT/tools/$module" &&
      GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath \
        -ldflags "-s -w -X $version_pkg.Version=$version" -o "$tmp" "$package"
  ) >&2; then
    rm -f "$tmp"
    log "go build of $(basename "$out") failed (see above)"
    exit 1
  fi
  mv "$tmp" "$out" # atomic: a killed build leaves no half binary
  log "built $(basename "$out") in $(( $(date +%s) - start )) s"
}

YAML_DIR="$CACHE_DIR/pulumi-language-yaml-$YAML_VERSION/bin"
if [[ ! -x "$YAML_DIR/pulumi-language-yaml" ]]; then
  go_build pulumi-language-yaml github.com/pulumi/pulumi-yaml/pkg/version "$YAML_VERSION" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "$YAML_DIR/pulumi-language-yaml"
fi

PYTHON_DIR="$CACHE_DIR/pulumi-language-python-$PYTHON_HOST_VERSION/bin"
if [[ ! -x "$PYTHON_DIR/pulumi-language-python" || ! -x "$PYTHON_DIR/pulumi-language-python-exec" ]]; then
  go_build pulumi-language-python github.com/pulumi/pulumi/sdk/v3/go/common/version "$PYTHON_HOST_VERSION" \
    github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python "$PYTHON_DIR/pulumi-language-python"
  sdk_dir="$(cd "$ROOT/tools/pulumi-language-python" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
  exec_script="$sdk_dir/python/cmd/pulumi-language-python-exec"
  [[ -f "$exec_script" ]] || { log "no $exec_script in the module"; exit 1; }
  cp "$exec_script" "$PYTHON_DIR/.pulumi-language-python-exec.$$"
  chmod 755 "$PYTHON_DIR/.pulumi-language-python-exec.$$"
  mv "$PYTHON_DIR/.pulumi-language-python-exec.$$" "$PYTHON_DIR/pulumi-language-python-exec"
fi

# Beside the CLI. Copies (not links), written atomically, so concurrent runs never see half a file.
place() {
  local src="$1" name="$2"
  if ! cmp -s "$src" "$cli_dir/$name"; then
    cp "$src" "$cli_dir/.$name.$$" && chmod +x "$cli_dir/.$name.$$" && mv "$cli_dir/.$name.$$" "$cli_dir/$name"
  fi
}
place "$YAML_DIR/pulumi-language-yaml" pulumi-language-yaml
place "$PYTHON_DIR/pulumi-language-python" pulumi-language-python
place "$PYTHON_DIR/pulumi-language-python-exec" pulumi-language-python-exec
echo "pulumi-language-yaml $cli_dir/pulumi-language-yaml"
echo "pulumi-language-python $cli_dir/pulumi-language-python"
