#!/usr/bin/env bash
# Builds a golangci-lint v2 binary that includes etcdlint's module plugin
# (package github.com/etcdlint/etcdlint/plugin) from this checkout, and
# prints the binary's path on stdout.
#
# It does what `golangci-lint custom` does (see .custom-gcl.yml in the
# plugin's package documentation), from the Go module proxy's copy of
# golangci-lint instead of a git clone:
#
#   1. go mod download github.com/golangci/golangci-lint/v2@VERSION;
#   2. copy it to a writable build directory and add a file to
#      cmd/golangci-lint that imports the plugin;
#   3. go mod edit -replace github.com/etcdlint/etcdlint=<this checkout>;
#      go mod tidy; go build ./cmd/golangci-lint.
#
# The binary is cached, keyed by a hash of etcdlint's sources (go.mod,
# go.sum, every non-test .go file outside testdata), this script and the
# golangci-lint and Go versions, so a rerun with unchanged sources is
# immediate.
#
# Usage: scripts/build-golangci.sh [-o OUTPUT]
# Environment:
#   GOLANGCI_LINT_VERSION  golangci-lint version (default v2.15.0)
#   ETCDLINT_CACHE_DIR     cache directory (default $XDG_CACHE_HOME/etcdlint
#                          or ~/.cache/etcdlint)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=${GOLANGCI_LINT_VERSION:-v2.15.0}
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "build-golangci.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { echo "build-golangci.sh: $*" >&2; }

# The sources that go into the plugin.
sources() {
  cd "$root"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- go.mod go.sum '*.go'
  else
    find . -name '*.go' -o -name go.mod -o -name go.sum | sed 's|^\./||'
  fi | grep -v -e '/testdata/' -e '_test\.go$' -e '^examples/' -e '^integration/' | LC_ALL=C sort -u
}

hash=$(
  {
    echo "golangci-lint $version"
    go env GOVERSION GOOS GOARCH
    sha256sum "$0" | cut -d' ' -f1
    cd "$root"
    sources | while read -r f; do
      [ -f "$f" ] && printf '%s %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$f"
    done
  } | sha256sum | cut -c1-16
)

cache=${ETCDLINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/etcdlint}
bin="$cache/golangci-lint-$version-etcdlint-$hash"
if [ -x "$bin" ]; then
  log "cached: $bin"
else
  mkdir -p "$cache"
  work=$(mktemp -d)
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  export GOFLAGS=-mod=mod GOWORK=off

  log "downloading github.com/golangci/golangci-lint/v2@$version"
  src=$(cd "$work" && go mod download -json "github.com/golangci/golangci-lint/v2@$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  if [ -z "$src" ] || [ ! -d "$src" ]; then
    log "go mod download gave no directory for golangci-lint $version"
    exit 1
  fi

  build="$work/golangci-lint"
  cp -R "$src" "$build"
  chmod -R u+w "$build"
  cat >"$build/cmd/golangci-lint/plugin_etcdlint.go" <<'EOF'
package main

import _ "github.com/etcdlint/etcdlint/plugin"
EOF

  log "building golangci-lint $version with etcdlint from $root"
  (
    cd "$build"
    go mod edit -replace "github.com/etcdlint/etcdlint=$root"
    go mod tidy
    go build -trimpath -o "$bin.tmp.$$" \
      -ldflags "-s -w -X 'main.version=${version#v}-custom-gcl-etcdlint-$hash' -X 'main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)'" \
      ./cmd/golangci-lint
  )
  mv -f "$bin.tmp.$$" "$bin"
  # Keep only the newest build of each version.
  find "$cache" -maxdepth 1 -name "golangci-lint-$version-etcdlint-*" ! -name "$(basename "$bin")" -type f -delete
  log "built: $bin"
fi

if [ -n "$out" ]; then
  mkdir -p "$(dirname "$out")"
  cp -f "$bin" "$out"
  echo "$out"
else
  echo "$bin"
fi
