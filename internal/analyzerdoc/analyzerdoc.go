// Package analyzerdoc extracts an analyzer's documentation from the package
// comment of its doc.go, so that one text feeds pkg.go.dev, `etcdlint help
// NAME` and docs/checks.md.
//
// The package comment must contain a heading "# Analyzer NAME"; the text from
// the line after it to the next "# " heading (or the end) is the analyzer's
// Doc, whose first line is "NAME: summary".
package analyzerdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the documentation of analyzer name from the Go source of a
// doc.go file.
func Extract(src, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	text := f.Doc.Text()
	heading := "# Analyzer " + name + "\n"
	_, rest, ok := strings.Cut(text, heading)
	if !ok {
		return "", fmt.Errorf("doc.go has no %q heading", strings.TrimSpace(heading))
	}
	if i := strings.Index(rest, "\n# "); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, name+": ") {
		return "", fmt.Errorf("doc for %s must start with %q", name, name+": ")
	}
	return rest, nil
}

// MustExtract is Extract that panics on a malformed doc.go, so a broken doc
// fails every test of the pass at once.
func MustExtract(src, name string) string {
	doc, err := Extract(src, name)
	if err != nil {
		panic(fmt.Sprintf("analyzerdoc: %s: %v", name, err))
	}
	return doc
}

// Summary returns the first line of doc without the "NAME: " prefix.
func Summary(doc string) string {
	line, _, _ := strings.Cut(doc, "\n")
	_, s, _ := strings.Cut(line, ": ")
	return s
}
