package whole_test

import (
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/etcdssa"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/whole"
)

// fixture returns the packages of the v36 fixture module, loaded once per
// test process (analysistest.Load).
func fixture(t *testing.T) []*packages.Package {
	t.Helper()
	return analysistest.Load(t, analysistest.Fixture("v36"), "./...")
}

// publishSummary returns the summary of writer.Publish in the graph, or nil.
func publishSummary(t *testing.T, g *checker.Graph) *summary.Summary {
	t.Helper()
	return writerSummary(t, g, "Publish")
}

// writerSummary returns the summary of the function or method (Type.Method)
// name of package writer in the graph, or nil.
func writerSummary(t *testing.T, g *checker.Graph, name string) *summary.Summary {
	t.Helper()
	for act := range g.All() {
		if act.Analyzer != summary.Analyzer || act.Package.PkgPath != "example.com/fixture/writer" {
			continue
		}
		res, ok := act.Result.(*summary.Result)
		if !ok {
			t.Fatalf("summary result is %T", act.Result)
		}
		var fn *types.Func
		if typ, method, ok := strings.Cut(name, "."); ok {
			if tn, _ := act.Package.Types.Scope().Lookup(typ).(*types.TypeName); tn != nil {
				obj, _, _ := types.LookupFieldOrMethod(tn.Type(), true, tn.Pkg(), method)
				fn, _ = obj.(*types.Func)
			}
		} else {
			fn, _ = act.Package.Types.Scope().Lookup(name).(*types.Func)
		}
		if fn == nil {
			t.Fatalf("writer.%s not found", name)
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
	pkgs := fixture(t)
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

// TestCallThroughFunctionValue: writer.Tick calls the package variable
// OnTick in a loop and writer.Hooks.Fire calls the field OnSave; main sets
// both to impl.EtcdSaver.Save, in init and in a composite literal. Package
// by package neither writes; in whole-program mode both write their
// constant key.
func TestCallThroughFunctionValue(t *testing.T) {
	pkgs := fixture(t)
	analyzers := []*analysis.Analyzer{summary.Analyzer}
	modular, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := whole.Analyze(analyzers, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ fn, key string }{{"Tick", "/tick"}, {"Hooks.Fire", "/hook"}} {
		if s := writerSummary(t, modular, c.fn); s != nil {
			t.Errorf("package by package, %s has summary %v; want none", c.fn, s)
		}
		if s := writerSummary(t, g, c.fn); s == nil || !slices.Contains(s.ConstKeys, c.key) {
			t.Errorf("whole program: %s summary = %v; want constkey(%q)", c.fn, s, c.key)
		}
	}
}

// TestLibraryInterfaceResolvesToWhatActsOnEtcd: gogo protobuf's Marshal
// calls its Marshaler interface, which impl.Record implements by
// marshalling an mvccpb.KeyValue. Record uses etcd's types (it touches
// etcd) but does nothing to etcd, so in whole-program mode protobuf's
// Marshal must not resolve to it and come to touch etcd: every caller of
// protobuf would then reach etcd, and be analysed, for no fact.
func TestLibraryInterfaceResolvesToWhatActsOnEtcd(t *testing.T) {
	pkgs := fixture(t)
	g, err := whole.Analyze([]*analysis.Analyzer{summary.Analyzer}, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	var record, proto bool // whether each package's etcdssa action ran
	for act := range g.All() {
		if act.Analyzer != etcdssa.Analyzer {
			continue
		}
		switch act.Package.PkgPath {
		case "example.com/fixture/impl":
			record = true
			touching := map[string]bool{}
			for _, of := range act.AllObjectFacts() {
				if _, ok := of.Fact.(*etcdssa.Touches); ok && of.Object.Pkg() == act.Package.Types {
					touching[of.Object.Name()] = true
				}
			}
			if !touching["Marshal"] {
				t.Error("impl.Record.Marshal does not touch etcd; the test needs one that does")
			}
		case "github.com/gogo/protobuf/proto":
			proto = true
			for _, of := range act.AllObjectFacts() {
				if _, ok := of.Fact.(*etcdssa.Touches); ok && of.Object.Pkg() == act.Package.Types {
					t.Errorf("whole program: gogo protobuf's %s touches etcd; its interfaces resolve only to implementations that act on etcd", of.Object)
				}
			}
		}
	}
	if !record || !proto {
		t.Errorf("no etcdssa action for impl (%v) or gogo protobuf (%v)", record, proto)
	}
}
