// Package integration holds etcdlint's end-to-end tests: every way a user
// runs it, on a real module pinned to etcd 3.6 (testdata/mod).
//
//   - the standalone command: text, -json, -sarif (validated against the
//     SARIF 2.1.0 schema), -fix, -diff, -NAME=false, a pass's flag, help,
//     exit codes 0, 3 and 1;
//   - go vet -vettool (text, -json, a pass's flag, -fix) and go fix
//     -fixtool, whose fixes must leave the module building and gofmt-clean;
//   - a golangci-lint v2 binary built with the module plugin
//     (scripts/build-golangci.sh) and a .golangci.yml that enables and
//     configures it;
//   - the pre-commit hook of .pre-commit-hooks.yaml through pre-commit
//     try-repo.
//   - the cache of the standalone command (go vet's): what a changed
//     flag, file, wrapper or suppression analyses again, outputs byte for
//     byte the uncached command's (TestCache), and a second runner served
//     from a GOCACHEPROG cache program (TestSharedCache).
//
// All of them are skipped by go test -short. The golangci-lint, pre-commit
// and cache tests also need ETCDLINT_INTEGRATION=1, because they build
// golangci-lint (cached afterwards), install etcdlint with go install, or
// build every dependency with an empty cache.
package integration
