package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/etcdlint/etcdlint/passes/registry"
)

// TestChecksPageIsCurrent fails when docs/checks.md no longer matches the
// passes' doc.go files; regenerate with `go run ./internal/gendocs`.
func TestChecksPageIsCurrent(t *testing.T) {
	got, err := os.ReadFile("../../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	want := Generate(registry.Entries)
	if !bytes.Equal(got, want) {
		t.Errorf("docs/checks.md is stale: run `go run ./internal/gendocs -o docs/checks.md`")
	}
	for _, e := range registry.Entries {
		if !bytes.Contains(got, []byte("\n## "+e.Analyzer.Name+"\n")) {
			t.Errorf("docs/checks.md has no section for %s", e.Analyzer.Name)
		}
	}
}
