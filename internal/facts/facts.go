// Package facts runs every analysis of etcdlint that declares facts as the
// stages of one analyzer, etcdfacts, which is the only analyzer with facts
// that the passes require.
//
// Why one: an analyzer that declares facts runs on every dependency of every
// package analysed, and x/tools' drivers pay for each such analyzer on each
// dependency (an action, its fact maps, a goroutine per import edge) whether
// or not it has anything to say. With eight analyzers declaring facts, that
// cost alone was the whole of etcdlint's memory above the driver's floor on
// a module that cannot reach etcd. With one, the dependencies cost what the
// floor's one fact-declaring analyzer costs.
//
// A stage is an ordinary *analysis.Analyzer (etcdssa, the summaries, a
// pass's own fact computation) that keeps its Requires, FactTypes and Run,
// and can still be run on its own in its tests. etcdfacts runs the stages
// on each package, each as soon as the stages it requires are done
// (concurrently, as a driver would run separate analyzers), each with a
// Pass that is etcdfacts's own but for Analyzer, ResultOf (the results of
// its required stages) and Report (collected, not sent).
// Facts of every stage go through etcdfacts's Pass, so they flow between
// packages as etcdfacts's facts.
//
// A pass is declared with NewPass, which builds its analyzer and, for a
// pass that declares facts, its stage together (see Spec). Drivers name the
// passes they run with Select, so that etcdfacts runs only the stages those
// passes need.
//
// The stages share how they compute their facts: FixedPoint (a package's
// functions, bottom-up), Table.InterfaceFacts (an interface method's fact
// from its implementations', under a Policy) and Export (in source order).
//
// This package is also the only one that looks up facts of functions: a
// Table is one fact type's lookup (the package's own, the imported
// packages', and in whole-program mode the program's, from
// internal/program), the resolution of a call to the functions it may
// reach that carry the fact (Callees, FuncValueCallees) or that it may
// reach at all (Reachable, Implementations), and CallFact, an interface
// call's fact under the Policy its pass names (AllAgree, Some). A pass
// resolves calls by its own fact, never by another pass's: an
// implementation that has the pass's fact and no other is still seen.
// TestOneLayer fails when a pass or another internal package reads facts
// of functions or the whole-program index itself.
package facts

import (
	"errors"
	"fmt"
	"go/types"
	"reflect"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// Analyzer runs the registered stages on each package.
var Analyzer = &analysis.Analyzer{
	Name:             "etcdfacts",
	Doc:              "computes the facts of every etcdlint analysis, as one analyzer",
	URL:              "https://pkg.go.dev/github.com/etcdlint/etcdlint/internal/facts",
	Run:              run,
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*Result](),
}

// stages are the registered stages, each after the stages it requires.
var (
	stages     []*analysis.Analyzer
	registered = map[*analysis.Analyzer]bool{}
	// started is set when Analyzer first runs: from then on the stages,
	// and the fact types drivers have read, are fixed.
	started atomic.Bool
)

// register adds stage, and every analyzer it requires, to the stages
// Analyzer runs, and their fact types to Analyzer's. NewPass calls it as a
// pass is declared: drivers read Analyzer.FactTypes when they start. It
// panics once Analyzer has run.
func register(stage *analysis.Analyzer) {
	if registered[stage] {
		return
	}
	if stage == Analyzer {
		panic("facts: etcdfacts cannot be its own stage")
	}
	if started.Load() {
		// A driver has read Analyzer.FactTypes already: facts of stage's
		// types would not be encoded between processes, and packages
		// analysed before would lack stage's facts.
		panic("facts: stage " + stage.Name + " declared after " + Analyzer.Name + " has run; declare passes in package-level variables")
	}
	for _, req := range stage.Requires {
		register(req)
	}
	registered[stage] = true
	stages = append(stages, stage)
	Analyzer.FactTypes = append(Analyzer.FactTypes, stage.FactTypes...)
}

// Result holds what each stage produced on one package. It is complete,
// and read only, once Analyzer's Run returns.
type Result struct {
	mu      sync.Mutex // while the stages run
	results map[*analysis.Analyzer]any
	errs    map[*analysis.Analyzer]error
	diags   map[*analysis.Analyzer][]analysis.Diagnostic
}

// errSkipped is the error of a stage that does not run on ill-typed code,
// in the words x/tools' drivers use.
var errSkipped = errors.New("analysis skipped due to errors in package")

// run runs each stage as soon as the stages it requires are done, each in
// a goroutine of its own, as a driver runs separate analyzers: a package's
// passes do not wait for one another, and the facts of one do not wait for
// the findings of another. The fact functions the stages share are
// serialised.
func run(pass *analysis.Pass) (any, error) {
	started.Store(true)
	stages := selectedStages()
	res := &Result{
		results: make(map[*analysis.Analyzer]any, len(stages)),
		errs:    map[*analysis.Analyzer]error{},
		diags:   map[*analysis.Analyzer][]analysis.Diagnostic{},
	}
	shared := serialised(pass)
	done := make(map[*analysis.Analyzer]chan struct{}, len(stages))
	for _, st := range stages {
		done[st] = make(chan struct{})
	}
	var wg sync.WaitGroup
	for _, st := range stages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[st])
			for _, req := range st.Requires {
				<-done[req]
			}
			out, err := res.runStage(shared, st)
			res.mu.Lock()
			defer res.mu.Unlock()
			res.results[st] = out
			if err != nil {
				res.errs[st] = err
			}
		}()
	}
	wg.Wait()
	ownCache.Delete(pass.Pkg)
	if separate.Load() {
		exportHidden(shared)
	}
	return res, nil
}

// serialised returns pass with its fact functions under one lock: the
// driver's fact maps of the package are not safe for concurrent use.
func serialised(pass *analysis.Pass) *analysis.Pass {
	var mu sync.Mutex
	sp := *pass
	sp.ImportObjectFact = func(obj types.Object, f analysis.Fact) bool {
		mu.Lock()
		defer mu.Unlock()
		return pass.ImportObjectFact(obj, f)
	}
	sp.ExportObjectFact = func(obj types.Object, f analysis.Fact) {
		mu.Lock()
		defer mu.Unlock()
		pass.ExportObjectFact(obj, f)
	}
	sp.ImportPackageFact = func(pkg *types.Package, f analysis.Fact) bool {
		mu.Lock()
		defer mu.Unlock()
		return pass.ImportPackageFact(pkg, f)
	}
	sp.ExportPackageFact = func(f analysis.Fact) {
		mu.Lock()
		defer mu.Unlock()
		pass.ExportPackageFact(f)
	}
	sp.AllObjectFacts = func() []analysis.ObjectFact {
		mu.Lock()
		defer mu.Unlock()
		return pass.AllObjectFacts()
	}
	sp.AllPackageFacts = func() []analysis.PackageFact {
		mu.Lock()
		defer mu.Unlock()
		return pass.AllPackageFacts()
	}
	return &sp
}

func (res *Result) runStage(pass *analysis.Pass, st *analysis.Analyzer) (any, error) {
	res.mu.Lock()
	var failed []string
	for _, req := range st.Requires {
		if res.errs[req] != nil {
			failed = append(failed, req.Name)
		}
	}
	inputs := make(map[*analysis.Analyzer]any, len(st.Requires))
	for _, req := range st.Requires {
		inputs[req] = res.results[req]
	}
	res.mu.Unlock()
	if failed != nil {
		return nil, fmt.Errorf("failed prerequisites: %v", failed)
	}
	if len(pass.TypeErrors) > 0 && !st.RunDespiteErrors {
		return nil, errSkipped
	}
	sp := *pass
	sp.Analyzer = st
	sp.ResultOf = inputs
	sp.Report = func(d analysis.Diagnostic) {
		res.mu.Lock()
		defer res.mu.Unlock()
		res.diags[st] = append(res.diags[st], d)
	}
	if OnStage != nil {
		OnStage(st, pass.Pkg)
	}
	out, err := st.Run(&sp)
	if err != nil {
		return nil, err
	}
	if got := reflect.TypeOf(out); got != st.ResultType {
		return nil, fmt.Errorf("internal error: on package %s, stage %s returned a result of type %v, but declared ResultType %v",
			pass.Pkg.Path(), st.Name, got, st.ResultType)
	}
	return out, nil
}
