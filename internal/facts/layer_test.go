package facts_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// layerOwners are the directories (from the module root) whose code may
// look facts of functions up itself and see the whole-program index: the
// layer (this package), the index (internal/program) and the driver that
// builds it from the facts of every package (internal/whole).
var layerOwners = []string{"internal/facts", "internal/program", "internal/whole"}

// objectFactCalls are the analysis.Pass functions that look up or export
// the facts of functions.
var objectFactCalls = []string{"ImportObjectFact", "ExportObjectFact", "AllObjectFacts"}

// TestOneLayer: no pass and no internal package other than the layer looks
// facts of functions up with the Pass's fact functions or imports the
// whole-program index; they use facts.Table (Of, Callees, Visible),
// facts.Export and the whole-program questions of this package, so that a
// fact has one lookup (local, imported, whole program) and one rule for
// interface calls. Test files are not checked: they check facts.
func TestOneLayer(t *testing.T) {
	root := filepath.Join("..", "..")
	const programPath = "github.com/etcdlint/etcdlint/internal/program"
	for _, top := range []string{"passes", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			if slices.Contains(layerOwners, filepath.ToSlash(filepath.Dir(rel))) {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, imp := range f.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); p == programPath {
					t.Errorf("%s imports %s: ask internal/facts (Table, WholeProgram, FuncValues) instead", rel, p)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && slices.Contains(objectFactCalls, sel.Sel.Name) {
					t.Errorf("%s: %s: look facts up through facts.Table and export them with facts.Export", rel, sel.Sel.Name)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
