#!/usr/bin/env bash
# The whole test suite: what CI runs (.ci/run) and what a developer runs.
# Hygiene on our own code (gofmt, go vet, staticcheck), then every test,
# including the end-to-end ones (go vet -vettool, go fix, golangci-lint
# plugin, pre-commit) that need ETCDLINT_INTEGRATION=1.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f scripts/install-test-deps.sh ]; then
  bash scripts/install-test-deps.sh
fi

echo "== gofmt"
unformatted=$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '/testdata/' | xargs gofmt -l)
if [ -n "$unformatted" ]; then
  echo "not gofmt-clean:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...
# The evidence benchmark is a module of its own (it depends on etcd's server).
(cd internal/evidence && go vet ./...)

echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== go test"
if [ -n "${ETCDLINT_TEST_JSON:-}" ]; then
  # go test's JSON events, for the slowest tests of a timed run; the
  # package lines still go to the terminal.
  ETCDLINT_INTEGRATION=${ETCDLINT_INTEGRATION:-1} go test -count=1 -timeout 30m -json ./... >"$ETCDLINT_TEST_JSON" ||
    { grep -h '"Action":"fail"' "$ETCDLINT_TEST_JSON" | head -20; exit 1; }
  grep -h '"Action":"\(pass\|fail\|skip\)","Package":"[^"]*","Elapsed"' "$ETCDLINT_TEST_JSON" || true
else
  ETCDLINT_INTEGRATION=${ETCDLINT_INTEGRATION:-1} go test -count=1 -timeout 30m ./...
fi
