package facts

import (
	"fmt"
	"go/types"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// Spec declares a pass for NewPass.
type Spec struct {
	// Name, Doc and URL are the pass's, as in analysis.Analyzer:
	// suppression comments, flags (-NAME) and reports go by Name.
	Name, Doc, URL string
	// Requires are the stages whose results Run reads, in pass.ResultOf
	// (etcdssa.Analyzer, summary.Analyzer, ...). They run as stages of
	// Analyzer, never as analyzers of their own.
	Requires []*analysis.Analyzer
	// FactTypes are the facts Run exports. A pass that declares facts runs
	// as a stage of Analyzer, on every package a fact may come from, and
	// its findings are reported on the packages analysed. A pass without
	// facts runs on the packages analysed only, once Analyzer is done.
	FactTypes []analysis.Fact
	// RunDespiteErrors is as in analysis.Analyzer.
	RunDespiteErrors bool
	// Run computes the pass's facts and findings; its result is ignored.
	Run func(*analysis.Pass) (any, error)
}

// pass is a pass declared with NewPass.
type pass struct {
	analyzer *analysis.Analyzer
	// stage is the pass's own stage, if it declares facts.
	stage *analysis.Analyzer
	// reads are the stages whose results the pass reads.
	reads []*analysis.Analyzer
}

// passes are the passes declared with NewPass, by analyzer.
var passes = map[*analysis.Analyzer]*pass{}

// NewPass builds the analyzer of the pass spec declares and, if the pass
// declares facts, its stage, and adds the stages it needs to Analyzer's.
// Passes are declared in package-level variables: x/tools' drivers take
// analyzers as static values and read Analyzer.FactTypes as they start, so
// Analyzer must know every stage by then.
//
// The analyzer requires Analyzer alone. Its Run runs spec.Run, with the
// results of spec.Requires in pass.ResultOf, or, for a pass that declares
// facts, reports what the pass's stage (spec.Run, run by Analyzer) found on
// the package.
func NewPass(spec Spec) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:             spec.Name,
		Doc:              spec.Doc,
		URL:              spec.URL,
		Requires:         []*analysis.Analyzer{Analyzer},
		RunDespiteErrors: spec.RunDespiteErrors,
	}
	p := &pass{analyzer: a, reads: spec.Requires}
	if len(spec.FactTypes) > 0 {
		p.stage = &analysis.Analyzer{
			Name:             spec.Name,
			Doc:              "the facts and findings of " + spec.Name,
			Requires:         spec.Requires,
			FactTypes:        spec.FactTypes,
			RunDespiteErrors: spec.RunDespiteErrors,
			Run:              spec.Run,
		}
		register(p.stage)
		a.Run = p.reportStage
	} else {
		for _, st := range spec.Requires {
			register(st)
		}
		a.Run = func(ap *analysis.Pass) (any, error) { return p.runOnResults(ap, spec.Run) }
	}
	passes[a] = p
	return a
}

// StageOf returns the stage whose findings a reports, if a is a pass
// declared with facts. Tests run the stage itself to check its facts as
// well as its findings.
func StageOf(a *analysis.Analyzer) *analysis.Analyzer {
	if p := passes[a]; p != nil {
		return p.stage
	}
	return nil
}

// selected holds the stages the passes named by Select need; nil until
// Select is called.
var selected atomic.Pointer[map[*analysis.Analyzer]bool]

// Select names the passes a driver runs, so that a pass turned off does no
// work of its own: from then on Analyzer runs only the stages those passes
// need (a pass's own stage, the stages it reads, and what they require).
// Until Select is called Analyzer runs every stage. Drivers call it before
// they start, with the passes they run; analyzers not declared with NewPass
// need no stage.
func Select(analyzers []*analysis.Analyzer) {
	need := map[*analysis.Analyzer]bool{}
	var visit func(st *analysis.Analyzer)
	visit = func(st *analysis.Analyzer) {
		if need[st] {
			return
		}
		need[st] = true
		for _, req := range st.Requires {
			visit(req)
		}
	}
	for _, a := range analyzers {
		p := passes[a]
		if p == nil {
			continue
		}
		if p.stage != nil {
			visit(p.stage)
		}
		for _, st := range p.reads {
			visit(st)
		}
	}
	selected.Store(&need)
}

// selectedStages returns the stages Analyzer runs, each after the stages
// it requires.
func selectedStages() []*analysis.Analyzer {
	need := selected.Load()
	if need == nil {
		return stages
	}
	var out []*analysis.Analyzer
	for _, st := range stages {
		if (*need)[st] {
			out = append(out, st)
		}
	}
	return out
}

// OnStage, when not nil, is called as each stage starts on a package. Tests
// set it, before any driver runs, to count the work done.
var OnStage func(stage *analysis.Analyzer, pkg *types.Package)

// reportStage reports what the pass's stage found on the package.
func (p *pass) reportStage(ap *analysis.Pass) (any, error) {
	res, err := resultOf(ap)
	if err != nil {
		return nil, err
	}
	if _, err := res.of(p.stage); err != nil {
		return nil, err
	}
	for _, d := range res.diags[p.stage] {
		ap.Report(d)
	}
	return nil, nil
}

// runOnResults runs run with the results of the stages the pass reads in
// ResultOf.
func (p *pass) runOnResults(ap *analysis.Pass, run func(*analysis.Pass) (any, error)) (any, error) {
	res, err := resultOf(ap)
	if err != nil {
		return nil, err
	}
	inputs := make(map[*analysis.Analyzer]any, len(p.reads))
	for _, st := range p.reads {
		v, err := res.of(st)
		if err != nil {
			return nil, err
		}
		inputs[st] = v
	}
	sp := *ap
	sp.ResultOf = inputs
	return run(&sp)
}

// resultOf returns Analyzer's result on pass's package.
func resultOf(pass *analysis.Pass) (*Result, error) {
	res, ok := pass.ResultOf[Analyzer].(*Result)
	if !ok {
		return nil, fmt.Errorf("internal error: %s does not require %s", pass.Analyzer.Name, Analyzer.Name)
	}
	return res, nil
}

// of returns stage's result, or its error (or that of a stage it
// requires).
func (res *Result) of(stage *analysis.Analyzer) (any, error) {
	if err := res.errs[stage]; err != nil {
		return nil, err
	}
	v, ran := res.results[stage]
	if !ran {
		return nil, fmt.Errorf("internal error: stage %s did not run: its pass was not named to facts.Select", stage.Name)
	}
	return v, nil
}
