// Package summary computes, bottom-up over SSA, what each function and
// method does with etcd through its parameters, and carries it across
// packages as an analysis fact, so that passes see through the application's
// own wrappers (store.Put(key, val), an interface over the client, a helper
// that closes a session).
//
// A Summary records, by parameter position (receiver excluded; -1 is the
// receiver):
//   - Key: the parameter becomes (part of) an etcd key written by a Put;
//   - Value: the parameter becomes (part of) an etcd value, possibly after
//     marshalling;
//   - ConstKeys: constant keys the function writes whatever its arguments;
//   - Releases: the parameter is closed, cancelled or drained (Close on a
//     Client/Watcher/Lease/Session, a call of a cancel func, a receive in a loop);
//   - Returns: results that hold an open etcd resource the caller must release.
//
// Calls through an interface method resolve to every implementation the
// analysis can see: methods of this package and those of every package this
// package depends on that carry a Summary. Under go vet's one-package-at-a-time
// model an implementation in a package the caller does not (transitively)
// import is invisible; the standalone command's whole-program mode sees it.
package summary

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/etcdssa"
	"github.com/etcdlint/etcdlint/internal/facts"
)

// Summary is the fact exported for a function or method.
type Summary struct {
	Key       []int
	Value     []int
	ConstKeys []string
	Releases  []int
	Returns   []Returned
}

// Returned is a result that holds an open etcd resource.
type Returned struct {
	Index    int
	Resource string // etcdapi.Resource.String()
	// Ctx is, for a watch or keep-alive, the context it is opened on:
	// "param:N" (the function's parameter N), "field" (a long-lived context
	// held in a struct field, a global or the client), "forever"
	// (Background, TODO), or "" (one the function ends, or unknown).
	Ctx string
	// On is, for a watch made on a Watcher or Client the function also
	// returns, 1 + the index of that result: closing it ends the watch. 0
	// when there is none.
	On int
}

func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	add := func(name string, xs []int) {
		if len(xs) > 0 {
			var ss []string
			for _, x := range xs {
				ss = append(ss, strconv.Itoa(x))
			}
			parts = append(parts, name+"("+strings.Join(ss, ",")+")")
		}
	}
	add("key", s.Key)
	add("value", s.Value)
	if len(s.ConstKeys) > 0 {
		var q []string
		for _, k := range s.ConstKeys {
			q = append(q, strconv.Quote(k))
		}
		parts = append(parts, "constkey("+strings.Join(q, ",")+")")
	}
	add("releases", s.Releases)
	for _, r := range s.Returns {
		if r.On > 0 {
			parts = append(parts, fmt.Sprintf("returns(%d:%s@%s on %d)", r.Index, r.Resource, r.Ctx, r.On-1))
		} else if r.Ctx != "" {
			parts = append(parts, fmt.Sprintf("returns(%d:%s@%s)", r.Index, r.Resource, r.Ctx))
		} else {
			parts = append(parts, fmt.Sprintf("returns(%d:%s)", r.Index, r.Resource))
		}
	}
	return strings.Join(parts, " ")
}

func (s *Summary) empty() bool {
	return len(s.Key) == 0 && len(s.Value) == 0 && len(s.ConstKeys) == 0 && len(s.Releases) == 0 && len(s.Returns) == 0
}

// Has reports whether xs holds i.
func Has(xs []int, i int) bool { return slices.Contains(xs, i) }

func (s *Summary) union(o *Summary) {
	s.Key = unionInts(s.Key, o.Key)
	s.Value = unionInts(s.Value, o.Value)
	s.Releases = unionInts(s.Releases, o.Releases)
	for _, k := range o.ConstKeys {
		if !slices.Contains(s.ConstKeys, k) {
			s.ConstKeys = append(s.ConstKeys, k)
		}
	}
	sort.Strings(s.ConstKeys)
	for _, r := range o.Returns {
		if !slices.Contains(s.Returns, r) {
			s.Returns = append(s.Returns, r)
		}
	}
	sort.Slice(s.Returns, func(i, j int) bool {
		if s.Returns[i].Index != s.Returns[j].Index {
			return s.Returns[i].Index < s.Returns[j].Index
		}
		return s.Returns[i].Resource < s.Returns[j].Resource
	})
}

func unionInts(a, b []int) []int {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	sort.Ints(a)
	return a
}

func (s *Summary) equal(o *Summary) bool { return reflect.DeepEqual(s, o) }

// Callee is one function a call may reach, with its summary.
type Callee struct {
	Fn  *types.Func
	Sum *Summary
}

// Resolver answers what a call may reach. Under go vet and golangci-lint it
// is backed by facts (Result); the whole-program mode backs it with a call graph.
type Resolver interface {
	// Callees returns the summarised functions the call may reach: its static
	// callee, or every visible implementation of the interface method it invokes.
	Callees(call *ssa.CallCommon) []Callee
}

// Result is the analyzer's result: the package's summaries and a fact-backed Resolver.
type Result struct {
	SSA   *etcdssa.Result
	local map[*types.Func]*Summary
	// table resolves calls to the summarised functions they may reach. Its
	// candidates for an interface call are this package's methods that
	// have SSA (the only ones with a summary) and its dependencies' that
	// carry one.
	table *facts.Table[Summary, *Summary]
}

// Of returns the summary of fn (declared in this package or a dependency), or nil.
func (r *Result) Of(fn *types.Func) *Summary { return r.table.Of(fn) }

// Callees implements Resolver with facts (and, in whole-program mode, the
// program's implementations and the functions it stores into a called
// variable or field).
func (r *Result) Callees(call *ssa.CallCommon) []Callee {
	var cs []facts.Callee[*Summary]
	if dataflow.Callee(call) == nil {
		cs = r.table.FuncValueCallees(call)
	} else {
		cs = r.table.Callees(call)
	}
	var out []Callee
	for _, c := range cs {
		out = append(out, Callee{c.Fn, c.Fact})
	}
	return out
}

var Analyzer = &analysis.Analyzer{
	Name:             "etcdsummary",
	Doc:              "summarises what functions do with etcd through their parameters",
	URL:              "https://pkg.go.dev/github.com/etcdlint/etcdlint/internal/facts/summary",
	Run:              run,
	RunDespiteErrors: true,
	Requires:         []*analysis.Analyzer{etcdssa.Analyzer},
	FactTypes:        []analysis.Fact{new(Summary)},
	ResultType:       reflect.TypeFor[*Result](),
}

// maxRounds bounds the fixed point over mutually recursive functions; the
// summaries only grow, so it converges well before.
const maxRounds = 16

func run(pass *analysis.Pass) (any, error) {
	ssares := pass.ResultOf[etcdssa.Analyzer].(*etcdssa.Result)
	r := &Result{SSA: ssares, local: map[*types.Func]*Summary{}}
	r.table = facts.NewTable(pass, r.local)
	if ssares.Pkg == nil {
		return r, nil
	}
	r.table.Own = []*types.Func{}
	for _, fn := range ssares.Funcs {
		if fn.Parent() == nil && fn.Signature.Recv() != nil && !types.IsInterface(fn.Signature.Recv().Type()) {
			if obj, ok := fn.Object().(*types.Func); ok {
				r.table.Own = append(r.table.Own, obj)
			}
		}
	}
	// A function the summariser cannot handle gets no summary; nor does
	// one that does nothing with etcd.
	facts.FixedPoint(ssares.Funcs, r.local, maxRounds, func(fn *ssa.Function) (*Summary, bool) {
		s := Summarise(fn, r)
		_, had := r.local[fn.Object().(*types.Func)]
		return s, had || !s.empty()
	}, (*Summary).equal)
	facts.Export(pass, r.local, func(s *Summary) bool { return !s.empty() })
	exportInterfaceSummaries(pass, r)
	return r, nil
}

// exportInterfaceSummaries gives each interface method declared in this
// package the union of its visible implementations' summaries.
//
// Policy: union (facts.Some). What any implementation may do with etcd
// through a parameter, a caller of the interface may cause.
func exportInterfaceSummaries(pass *analysis.Pass, r *Result) {
	ifaces := r.table.InterfaceFacts(facts.Some(func(ss []*Summary) (*Summary, bool) {
		u := new(Summary)
		for _, s := range ss {
			u.union(s)
		}
		return u, !u.empty()
	}))
	for m, u := range ifaces {
		r.local[m] = u
	}
	facts.Export(pass, ifaces, nil)
}

// Write is one etcd write found in a function: a direct Put, an OpPut, a
// raw PutRequest field, or a call of a wrapper whose summary writes.
type Write struct {
	Instr ssa.Instruction
	// Keys are the arguments that become part of the key, Values those that
	// become part of the value (a wrapper may build either from several).
	Keys   []ssa.Value
	Values []ssa.Value
	// Via is the wrapper called (nil for a direct etcd API use), and Op the
	// etcd operation when direct.
	Via       *types.Func
	Op        etcdapi.Op
	ConstKeys []string // keys the wrapper writes whatever its arguments
}

// Writes returns the etcd writes in fn and its function literals.
func Writes(fn *ssa.Function, res Resolver) []Write {
	var out []Write
	forEachInstr(fn, func(instr ssa.Instruction) {
		switch instr := instr.(type) {
		case ssa.CallInstruction:
			call := instr.Common()
			callee := dataflow.Callee(call)
			if op, ok := etcdapi.Lookup(callee); ok {
				if op.Kind == etcdapi.Put && (op.Key >= 0 || op.Value >= 0) {
					w := Write{Instr: instr, Op: op}
					if v := dataflow.Arg(call, op.Key); op.Key >= 0 && v != nil {
						w.Keys = []ssa.Value{v}
					}
					if v := dataflow.Arg(call, op.Value); op.Value >= 0 && v != nil {
						w.Values = []ssa.Value{v}
					}
					out = append(out, w)
				}
				return
			}
			for _, c := range res.Callees(call) {
				if len(c.Sum.Key) == 0 && len(c.Sum.Value) == 0 && len(c.Sum.ConstKeys) == 0 {
					continue
				}
				w := Write{Instr: instr, Via: c.Fn, ConstKeys: c.Sum.ConstKeys}
				for _, i := range c.Sum.Key {
					if v := dataflow.Arg(call, i); v != nil {
						w.Keys = append(w.Keys, v)
					}
				}
				for _, i := range c.Sum.Value {
					if v := dataflow.Arg(call, i); v != nil {
						w.Values = append(w.Values, v)
					}
				}
				out = append(out, w)
				break
			}
		case *ssa.Store:
			if fa, ok := instr.Addr.(*ssa.FieldAddr); ok {
				if field := fieldOf(fa); field != nil {
					switch etcdapi.RequestField(field) {
					case etcdapi.FieldKey:
						out = append(out, Write{Instr: instr, Keys: []ssa.Value{instr.Val}, Op: etcdapi.Op{Kind: etcdapi.Put, Name: "etcdserverpb.PutRequest.Key"}})
					case etcdapi.FieldValue:
						out = append(out, Write{Instr: instr, Values: []ssa.Value{instr.Val}, Op: etcdapi.Op{Kind: etcdapi.Put, Name: "etcdserverpb.PutRequest.Value"}})
					}
				}
			}
		}
	})
	return out
}

// fieldOf returns the struct field a FieldAddr selects.
func fieldOf(fa *ssa.FieldAddr) *types.Var {
	t := fa.X.Type().Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	st, ok := t.(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}

// FieldOf is fieldOf for passes.
func FieldOf(fa *ssa.FieldAddr) *types.Var { return fieldOf(fa) }

func forEachInstr(fn *ssa.Function, f func(ssa.Instruction)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			f(instr)
		}
	}
	for _, anon := range fn.AnonFuncs {
		forEachInstr(anon, f)
	}
}

// ForEachInstr visits every instruction of fn and of its function literals.
func ForEachInstr(fn *ssa.Function, f func(ssa.Instruction)) { forEachInstr(fn, f) }

// Summarise computes fn's summary with res resolving its calls.
func Summarise(fn *ssa.Function, res Resolver) *Summary {
	s := new(Summary)
	params := func(v ssa.Value, add func(i int)) (allConst bool) {
		allConst = true
		dataflow.Roots(v, func(root ssa.Value) {
			switch root := root.(type) {
			case *ssa.Parameter:
				if i, ok := dataflow.ParamIndex(root, fn); ok {
					add(i)
				}
				allConst = false
			case *ssa.Const:
			default:
				allConst = false
			}
		})
		return allConst
	}
	for _, w := range Writes(fn, res) {
		for _, k := range w.Keys {
			params(k, func(i int) { s.Key = unionInts(s.Key, []int{i}) })
		}
		if len(w.Keys) == 1 {
			if k, ok := dataflow.ConstString(w.Keys[0]); ok && !slices.Contains(s.ConstKeys, k) {
				s.ConstKeys = append(s.ConstKeys, k)
			}
		}
		for _, k := range w.ConstKeys {
			if !slices.Contains(s.ConstKeys, k) {
				s.ConstKeys = append(s.ConstKeys, k)
			}
		}
		for _, v := range w.Values {
			params(v, func(i int) { s.Value = unionInts(s.Value, []int{i}) })
		}
	}
	sort.Strings(s.ConstKeys)
	for _, v := range Releases(fn, res) {
		params(v, func(i int) { s.Releases = unionInts(s.Releases, []int{i}) })
	}
	s.Returns = returns(fn, res)
	return s
}

// Releases returns the values fn (or its literals) closes, cancels or drains:
// receivers of Close/Orphan on an etcd resource, called function values
// (cancel funcs), channels received from inside a loop or ranged over, and
// arguments of callees whose summary releases them.
func Releases(fn *ssa.Function, res Resolver) []ssa.Value {
	var out []ssa.Value
	loops := map[*ssa.Function]*dataflow.Loops{}
	inLoop := func(b *ssa.BasicBlock) bool {
		l := loops[b.Parent()]
		if l == nil {
			l = dataflow.NewLoops(b.Parent())
			loops[b.Parent()] = l
		}
		return l.InLoop(b)
	}
	forEachInstr(fn, func(instr ssa.Instruction) {
		switch instr := instr.(type) {
		case ssa.CallInstruction:
			call := instr.Common()
			if op, ok := etcdapi.Lookup(dataflow.Callee(call)); ok {
				if op.Kind == etcdapi.Close || op.Kind == etcdapi.Orphan {
					if v := dataflow.Arg(call, -1); v != nil {
						out = append(out, v)
					}
				}
				return
			}
			if !call.IsInvoke() && call.StaticCallee() == nil {
				if _, ok := call.Value.(*ssa.MakeClosure); !ok {
					out = append(out, call.Value) // cancel(), a func value
				}
			}
			for _, c := range res.Callees(call) {
				for _, i := range c.Sum.Releases {
					if v := dataflow.Arg(call, i); v != nil {
						out = append(out, v)
					}
				}
			}
		case *ssa.UnOp:
			if instr.Op == token.ARROW && inLoop(instr.Block()) {
				out = append(out, instr.X)
			}
		case *ssa.Select:
			if inLoop(instr.Block()) {
				for _, st := range instr.States {
					if st.Dir == types.RecvOnly {
						out = append(out, st.Chan)
					}
				}
			}
		}
	})
	return out
}

// returns finds results of fn that hold an etcd resource opened in fn or
// returned open by a callee.
func returns(fn *ssa.Function, res Resolver) []Returned {
	var out []Returned
	results := fn.Signature.Results()
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for i, v := range ret.Results {
			if i < results.Len() && !mayHold(results.At(i).Type()) {
				continue
			}
			dataflow.Roots(v, func(root ssa.Value) {
				call, ok := root.(*ssa.Call)
				if !ok || keptBy(call) {
					return
				}
				for _, ri := range openedCtx(fn, &call.Call, res) {
					ri.Index = i
					ri.On = watchedResult(ret, i, call)
					if !slices.Contains(out, ri) {
						out = append(out, ri)
					}
				}
			})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Index != out[j].Index {
			return out[i].Index < out[j].Index
		}
		if out[i].Resource != out[j].Resource {
			return out[i].Resource < out[j].Resource
		}
		return out[i].Ctx < out[j].Ctx
	})
	return out
}

// openedCtx is OpenedBy with, for watches and keep-alives, the context
// each is opened on in the terms of fn's parameters (Returned.Ctx).
func openedCtx(fn *ssa.Function, call *ssa.CallCommon, res Resolver) []Returned {
	if op, ok := etcdapi.Lookup(dataflow.Callee(call)); ok {
		if op.Result == etcdapi.ResNone {
			return nil
		}
		r := Returned{Resource: op.Result.String()}
		if op.Ctx >= 0 && (op.Result == etcdapi.ResWatchChan || op.Result == etcdapi.ResKeepAlive) {
			r.Ctx = ctxOf(fn, dataflow.Arg(call, op.Ctx))
		}
		return []Returned{r}
	}
	var out []Returned
	for _, c := range res.Callees(call) {
		for _, r := range c.Sum.Returns {
			if etcdapi.ParseResource(r.Resource) == etcdapi.ResNone {
				continue
			}
			ri := Returned{Resource: r.Resource, Ctx: r.Ctx}
			if j, ok := strings.CutPrefix(r.Ctx, "param:"); ok {
				ri.Ctx = ""
				if n, err := strconv.Atoi(j); err == nil {
					ri.Ctx = ctxOf(fn, dataflow.Arg(call, n))
				}
			}
			if !slices.Contains(out, ri) {
				out = append(out, ri)
			}
		}
	}
	return out
}

// ctxOf describes the context v as Returned.Ctx does, for a function fn.
func ctxOf(fn *ssa.Function, v ssa.Value) string {
	c := ClassifyCtx(v)
	switch c.Class {
	case CtxParam:
		if i, ok := dataflow.ParamIndex(c.Param, fn); ok {
			return "param:" + strconv.Itoa(i)
		}
	case CtxLongLived:
		return "field"
	case CtxForever:
		return "forever"
	}
	return ""
}

// keptBy reports whether the resource a call returns is also stored where
// it outlives the function: a struct field, a global or a map. A function
// that caches a client in a field and returns it (a lazy getter) hands out
// a shared resource that its owner closes, not one the caller must release.
func keptBy(call *ssa.Call) bool {
	vals := []ssa.Value{call}
	if refs := call.Referrers(); refs != nil {
		for _, r := range *refs {
			if e, ok := r.(*ssa.Extract); ok && e.Index == 0 {
				vals = append(vals, e)
			}
		}
	}
	for i := 0; i < len(vals) && i < 16; i++ {
		refs := vals[i].Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Val != vals[i] {
					continue
				}
				switch r.Addr.(type) {
				case *ssa.FieldAddr, *ssa.Global:
					return true
				}
			case *ssa.MapUpdate:
				if r.Value == vals[i] {
					return true
				}
			case *ssa.ChangeType, *ssa.MakeInterface, *ssa.Phi:
				vals = append(vals, r.(ssa.Value))
			}
		}
	}
	return false
}

// mayHold reports whether a result of type t can carry a resource (not an
// error, a number, a string or a bool).
func mayHold(t types.Type) bool {
	if types.Identical(t, types.Universe.Lookup("error").Type()) {
		return false
	}
	_, basic := t.Underlying().(*types.Basic)
	return !basic
}

// OpenedBy reports the etcd resources a call opens and returns: an etcd API
// constructor (clientv3.New, NewWatcher, NewSession, Watch, KeepAlive,
// Observe, StartEtcd) or a callee whose summary returns one.
func OpenedBy(call *ssa.CallCommon, res Resolver) []etcdapi.Resource {
	if op, ok := etcdapi.Lookup(dataflow.Callee(call)); ok {
		if op.Result != etcdapi.ResNone {
			return []etcdapi.Resource{op.Result}
		}
		return nil
	}
	var out []etcdapi.Resource
	for _, c := range res.Callees(call) {
		for _, r := range c.Sum.Returns {
			if rr := etcdapi.ParseResource(r.Resource); rr != etcdapi.ResNone && !slices.Contains(out, rr) {
				out = append(out, rr)
			}
		}
	}
	return out
}
