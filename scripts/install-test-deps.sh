#!/usr/bin/env bash
# Installs what the end-to-end tests in integration/ need beyond Go:
#
#   - pre-commit, from Debian's packages, when it is missing (the hook test
#     is skipped without it);
#   - the golangci-lint binary with etcdlint's plugin
#     (scripts/build-golangci.sh), built ahead of go test so that the test
#     finds it in the cache; skipped with ETCDLINT_INTEGRATION=0.
#
# Safe to run repeatedly: each step does nothing when its result is there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "install-test-deps.sh: $*" >&2; }

if ! command -v pre-commit >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    fi
    log "installing pre-commit from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q --no-install-recommends pre-commit >/dev/null
  else
    log "pre-commit is missing and apt-get is not available; the pre-commit test will be skipped"
  fi
fi
if command -v pre-commit >/dev/null 2>&1; then
  log "$(pre-commit --version)"
fi

if [ "${ETCDLINT_INTEGRATION:-1}" != 0 ]; then
  bash scripts/build-golangci.sh >/dev/null
fi
