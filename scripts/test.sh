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
ETCDLINT_INTEGRATION=${ETCDLINT_INTEGRATION:-1} go test -count=1 -timeout 30m ./...
