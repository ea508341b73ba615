package analyzerdoc_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/internal/analyzerdoc"
)

const src = `// Package demo defines an Analyzer.
//
// # Analyzer demo
//
// demo: reports demonstrations
//
// It reports every demonstration.
//
// # Other heading
//
// Not part of the doc.
package demo
`

func TestExtract(t *testing.T) {
	doc, err := analyzerdoc.Extract(src, "demo")
	if err != nil {
		t.Fatal(err)
	}
	want := "demo: reports demonstrations\n\nIt reports every demonstration."
	if doc != want {
		t.Errorf("Extract = %q, want %q", doc, want)
	}
	if s := analyzerdoc.Summary(doc); s != "reports demonstrations" {
		t.Errorf("Summary = %q", s)
	}
	if _, err := analyzerdoc.Extract(src, "other"); err == nil {
		t.Error("Extract of a missing analyzer succeeded")
	}
	if _, err := analyzerdoc.Extract("package x\n", "demo"); err == nil {
		t.Error("Extract without a package comment succeeded")
	}
}
