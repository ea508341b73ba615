package whole_test

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/etcdssa"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/whole"
)

// publishSummary returns the summary of writer.Publish in the graph, or nil.
func publishSummary(t *testing.T, g *checker.Graph) *summary.Summary {
	t.Helper()
	for act := range g.All() {
		if act.Analyzer != summary.Analyzer || act.Package.PkgPath != "example.com/fixture/writer" {
			continue
		}
		res, ok := act.Result.(*summary.Result)
		if !ok {
			t.Fatalf("summary result is %T", act.Result)
		}
		fn, _ := act.Package.Types.Scope().Lookup("Publish").(*types.Func)
		if fn == nil {
			t.Fatal("writer.Publish not found")
		}
		return res.Of(fn)
	}
	t.Fatal("no summary action for package writer")
	return nil
}

// TestInterfaceImplementedInUnimportedPackage: writer.Publish calls an
// interface whose only implementation is in a package writer does not
// import. Package by package (go vet's model) Publish writes nothing; in
// whole-program mode it writes the constant key "/status/all".
func TestInterfaceImplementedInUnimportedPackage(t *testing.T) {
	dir := analysistest.Fixture("v36")
	analysistest.Download(t, dir)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=readonly")
	pkgs, err := whole.Load(dir, false, "./...")
	if err != nil {
		t.Fatal(err)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.PkgPath, e)
		}
	})

	modular, err := checker.Analyze([]*analysis.Analyzer{summary.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := publishSummary(t, modular); s != nil {
		t.Errorf("package by package, Publish has summary %v; want none", s)
	}

	g, err := whole.Analyze([]*analysis.Analyzer{summary.Analyzer}, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	s := publishSummary(t, g)
	if s == nil || len(s.ConstKeys) != 1 || s.ConstKeys[0] != "/status/all" || !summary.Has(s.Value, 1) {
		t.Errorf("whole program: Publish summary = %v; want constkey(\"/status/all\") and value(1)", s)
	}

	// writer.Flush calls io.Writer.Write, which impl.EtcdSaver implements
	// with a Put: an interface of a dependency is not resolved over the
	// whole program, so Flush neither touches etcd nor gets a summary.
	for act := range g.All() {
		if act.Analyzer != etcdssa.Analyzer || act.Package.PkgPath != "example.com/fixture/writer" {
			continue
		}
		publish := false
		for _, of := range act.AllObjectFacts() {
			switch of.Object.Name() {
			case "Flush":
				t.Errorf("whole program: writer.Flush has fact %v; io.Writer's implementations are not the program's to resolve", of.Fact)
			case "Publish":
				_, publish = of.Fact.(*etcdssa.Touches)
			}
		}
		if !publish {
			t.Error("whole program: writer.Publish does not touch etcd")
		}
	}
}
