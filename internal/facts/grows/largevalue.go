// Package grows computes, for every function and method, which of its
// results grow with a collection: a map or slice filled in a loop, a string
// or []byte appended to in a loop, a bytes.Buffer or strings.Builder written
// in a loop, or a struct literal holding one of these. It exports the answer
// as a Grows fact, so that the largevalue pass sees that json.Marshal(obj.Status())
// marshals a collection even when Status is declared in a package that never
// touches etcd.
//
// The analysis reads syntax only (no SSA), so it is cheap enough to run on
// every package. It follows local variables declared in the function, loops
// (for and range statements whose bound is not a constant, and function
// literals passed to a Range/Walk/ForEach/Each/Visit-style callee), and calls
// of functions that carry a Grows fact themselves.
package grows

import (
	"go/ast"
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
	"github.com/etcdlint/etcdlint/internal/facts"
)

// Grows is the fact on a function or method whose results, at the listed
// positions, grow with a collection.
type Grows struct {
	Results []int
	// How describes the growth, e.g. "a slice filled in a loop", and Over
	// what the loop iterates over ("" when unknown).
	How, Over string
	// Holders are the struct types, outermost first, of the literals that
	// hold the collection ("example.com/status.Status"): a caller that has
	// already taken one of them apart (a failed type assertion to it) does
	// not write the collection whole.
	Holders []string
	// Copied: every loop that fills those results ranges over a
	// collection the function was handed (a parameter, what is reached
	// from one): a result as large as what its caller passes, which a
	// field of an object built from it copies (GrownFields).
	Copied bool
}

func (*Grows) AFact() {}

func (g *Grows) String() string {
	var rs []string
	for _, r := range g.Results {
		rs = append(rs, strconv.Itoa(r))
	}
	s := "grows(" + strings.Join(rs, ",") + "): " + g.How
	if g.Over != "" {
		s += " over " + g.Over
	}
	return s
}

// Result gives the Grows facts of this package's functions and its dependencies'.
type Result struct {
	pkg   *types.Package
	local map[*types.Func]*Grows
	table *facts.Table[Grows, *Grows]
	fieldIndex
}

// Callees returns the functions call may reach that carry a Grows fact
// (facts.Table.Callees).
func (r *Result) Callees(call *ssa.CallCommon) []facts.Callee[*Grows] {
	if r == nil {
		return nil
	}
	return r.table.Callees(call)
}

// Of returns the Grows fact of fn, or nil.
func (r *Result) Of(fn *types.Func) *Grows {
	if r == nil {
		return nil
	}
	return r.table.Of(fn)
}

var Analyzer = &analysis.Analyzer{
	Name:             "etcdlargevaluefacts",
	Doc:              "finds functions whose results grow with a collection",
	URL:              "https://pkg.go.dev/github.com/etcdlint/etcdlint/internal/facts/grows",
	Run:              run,
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{new(Grows), new(GrownFields)},
	ResultType:       reflect.TypeFor[*Result](),
}

// maxRounds bounds the fixed point over functions of one package that call
// each other.
const maxRounds = 4

func run(pass *analysis.Pass) (any, error) {
	r := &Result{pkg: pass.Pkg, local: map[*types.Func]*Grows{}}
	r.table = facts.NewTable(pass, r.local)
	r.fieldIndex.pass = pass
	if isStd(pass.Pkg.Path()) {
		// The standard library's readers and builders grow with their
		// input, not with a collection of the program.
		return r, nil
	}
	var decls []*ast.FuncDecl
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && fd.Type.Results != nil {
				decls = append(decls, fd)
			}
		}
	}
	// Only a function whose analysis looked up a fact of this package can
	// change in the next round.
	facts.Rounds(decls, func(fd *ast.FuncDecl) *types.Func {
		obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		return obj
	}, r.local, maxRounds, func(fd *ast.FuncDecl) (*Grows, bool, bool) {
		g, usesLocal := analyse(pass.TypesInfo, fd, r)
		return g, g != nil, usesLocal
	}, func(old, new *Grows) bool { return reflect.DeepEqual(old, new) })
	facts.Export(pass, r.local, nil)
	exportInterfaces(pass, r)
	grownFields(pass, r)
	return r, nil
}

// exportInterfaces gives each interface method declared in this package the
// fact of the first of its implementations the package sees that has one
// (facts.Table.InterfaceFacts: by package path, then position).
//
// Policy: the first (facts.Some). A Grows fact names the collection a
// result grows with (Over, How, Holders), which a union could not merge
// into one; any implementation whose result grows makes the interface's
// result one that may, and the first is the one the report names, the
// same every run.
func exportInterfaces(pass *analysis.Pass, r *Result) {
	ifaces := r.table.InterfaceFacts(facts.Some(func(gs []*Grows) (*Grows, bool) { return gs[0], true }))
	for m, g := range ifaces {
		r.local[m] = g
	}
	facts.Export(pass, ifaces, nil)
}

// loopFrame is a loop enclosing the statement being visited.
type loopFrame struct {
	node    ast.Node
	over    string // for a callback's loop; a for or range statement's is computed when needed
	bounded bool
}

// overString names what the loop iterates over.
func (l loopFrame) overString() string {
	if n, ok := l.node.(ast.Stmt); ok {
		return dataflow.StmtOver(n)
	}
	return l.over
}

type growth struct {
	how, over string
	holders   []string
	// copied: every loop that filled the local ranges over a collection
	// the function was handed (GrownFields only; see copies).
	copied bool
}

type fnState struct {
	info  *types.Info
	res   *Result
	loops []loopFrame
	// grown maps a local variable to how it grew.
	grown map[*types.Var]growth
	steps int
	// usesLocal: the analysis looked up the fact of a function of this
	// package, so it can change when that fact does.
	usesLocal bool
	// onAssign, when set, sees each assignment after assign has.
	onAssign func(*ast.AssignStmt)
	// fd is the function analysed; inputs are its parameters (true) and
	// receiver (false), and defs the expression each local is first
	// defined from (for a range statement's variables, what it ranges
	// over), computed when first asked (see copies.go).
	fd     *ast.FuncDecl
	inputs map[*types.Var]bool
	defs   map[*types.Var]ast.Expr
	// handed remembers handedIn for the locals defined from another
	// expression.
	handed map[*types.Var]bool
}

const maxSteps = 4096

// analyse returns the Grows of fd, and whether it depends on the facts of
// this package's functions.
func analyse(info *types.Info, fd *ast.FuncDecl, res *Result) (*Grows, bool) {
	s := &fnState{info: info, res: res, grown: map[*types.Var]growth{}, fd: fd}
	s.visit(fd.Body)
	g := &Grows{Copied: true}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		ret, ok := n.(*ast.ReturnStmt)
		if !ok {
			return true
		}
		for i, e := range ret.Results {
			if gr := s.exprGrows(e, 0); gr.how != "" && !slices.Contains(g.Results, i) {
				g.Results = append(g.Results, i)
				g.Copied = g.Copied && gr.copied
				if g.How == "" {
					g.How, g.Over, g.Holders = gr.how, gr.over, gr.holders
				}
			}
		}
		return true
	})
	if len(g.Results) == 0 {
		return nil, s.usesLocal
	}
	sort.Ints(g.Results)
	return g, s.usesLocal
}

// visit walks statements, keeping the stack of enclosing loops.
func (s *fnState) visit(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		s.steps++
		if s.steps > maxSteps || n == nil {
			return false
		}
		switch n := n.(type) {
		case *ast.ForStmt:
			s.push(loopFrame{node: n, bounded: dataflow.StmtConstant(s.info, n)})
			s.visit(n.Body)
			s.pop()
			return false
		case *ast.RangeStmt:
			s.push(loopFrame{node: n, bounded: dataflow.StmtConstant(s.info, n)})
			s.visit(n.Body)
			s.pop()
			return false
		case *ast.CallExpr:
			if name, recv := CallbackCallee(n); name != "" {
				for _, a := range n.Args {
					if lit, ok := a.(*ast.FuncLit); ok {
						s.push(loopFrame{node: n, over: recv})
						s.visit(lit.Body)
						s.pop()
					}
				}
			}
			s.fill(n)
		case *ast.FuncLit:
			return false // a literal not passed to an iterating callee
		case *ast.AssignStmt:
			s.assign(n)
			if s.onAssign != nil {
				s.onAssign(n)
			}
		}
		return true
	})
}

func (s *fnState) push(f loopFrame) { s.loops = append(s.loops, f) }
func (s *fnState) pop()             { s.loops = s.loops[:len(s.loops)-1] }

// loopFor returns the innermost unbounded loop enclosing the current
// statement that does not enclose the declaration of v.
func (s *fnState) loopFor(v *types.Var) (loopFrame, bool) {
	for i := len(s.loops) - 1; i >= 0; i-- {
		l := s.loops[i]
		if l.node.Pos() <= v.Pos() && v.Pos() < l.node.End() {
			break
		}
		if !l.bounded {
			return l, true
		}
	}
	return loopFrame{}, false
}

func (s *fnState) localVar(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := s.info.ObjectOf(id).(*types.Var)
	if v == nil || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

func (s *fnState) mark(v *types.Var, kind string) {
	if v == nil {
		return
	}
	if _, done := s.grown[v]; done {
		return
	}
	if l, ok := s.loopFor(v); ok {
		s.grown[v] = growth{how: kind + " filled in a loop", over: l.overString(), copied: s.copies(v)}
	}
}

// assign records v = append(v, ...), v[k] = x on a map, v += x.
func (s *fnState) assign(a *ast.AssignStmt) {
	for i, lhs := range a.Lhs {
		switch l := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			v := s.localVar(l)
			if v == nil || i >= len(a.Rhs) && len(a.Rhs) != 1 {
				continue
			}
			if a.Tok == token.ADD_ASSIGN {
				if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
					s.mark(v, "a string")
				}
				continue
			}
			if i < len(a.Rhs) {
				if call, ok := ast.Unparen(a.Rhs[i]).(*ast.CallExpr); ok && s.isBuiltin(call, "append") && len(call.Args) > 0 && s.localVar(call.Args[0]) == v {
					s.mark(v, "a slice")
				}
			}
		case *ast.IndexExpr:
			if v := s.localVar(l.X); v != nil {
				if _, ok := v.Type().Underlying().(*types.Map); ok {
					s.mark(v, "a map")
				}
			}
		}
	}
}

// fill records writes into a local bytes.Buffer or strings.Builder.
func (s *fnState) fill(call *ast.CallExpr) {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		if v := s.localVar(fun.X); v != nil && IsBuffer(v.Type()) && strings.HasPrefix(fun.Sel.Name, "Write") {
			s.mark(v, "a buffer")
			return
		}
		if fn, ok := s.info.Uses[fun.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "fmt" && strings.HasPrefix(fn.Name(), "Fprint") && len(call.Args) > 0 {
			arg := ast.Unparen(call.Args[0])
			if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
				arg = u.X
			}
			if v := s.localVar(arg); v != nil && IsBuffer(v.Type()) {
				s.mark(v, "a buffer")
			}
		}
	}
}

func (s *fnState) isBuiltin(call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := s.info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// exprGrows describes how a returned expression grows (zero when it does not).
func (s *fnState) exprGrows(e ast.Expr, depth int) growth {
	if depth > 4 {
		return growth{}
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v := s.localVar(e); v != nil {
			return s.grown[v]
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return s.exprGrows(e.X, depth+1)
		}
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if gr := s.exprGrows(elt, depth+1); gr.how != "" {
				gr.how = "a struct holding " + gr.how
				if tv, ok := s.info.Types[e]; ok {
					if name := QualifiedName(tv.Type); name != "" {
						gr.holders = append([]string{name}, gr.holders...)
					}
				}
				return gr
			}
		}
	case *ast.CallExpr:
		if tv, ok := s.info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return s.exprGrows(e.Args[0], depth+1) // string(b)
		}
		if sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "String" || sel.Sel.Name == "Bytes") && len(e.Args) == 0 {
			if v := s.localVar(sel.X); v != nil && IsBuffer(v.Type()) {
				return s.grown[v]
			}
		}
		fn := s.callee(e)
		if g := s.res.Of(fn); g != nil && slices.Contains(g.Results, 0) {
			return growth{how: g.How, over: g.Over, holders: g.Holders, copied: g.Copied && s.argsHandedIn(e, 0)}
		}
	}
	return growth{}
}

// QualifiedName returns "path.Name" for a named type or a pointer to one,
// and "" for other types.
func QualifiedName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// IsBuffer reports whether t is bytes.Buffer or strings.Builder (or a pointer to one).
func IsBuffer(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path, name := n.Obj().Pkg().Path(), n.Obj().Name()
	return (path == "bytes" && name == "Buffer") || (path == "strings" && name == "Builder")
}

// CallbackCallee reports whether call passes a function literal to a callee
// that calls it once per element (Range, Walk, ForEach, Each, Visit,
// Iterate...), and returns the callee's name and what it iterates over (the
// receiver expression of a method, or the first argument of a function).
func CallbackCallee(call *ast.CallExpr) (name, over string) {
	var recv ast.Expr
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		name, recv = f.Sel.Name, f.X
	case *ast.Ident:
		name = f.Name
	default:
		return "", ""
	}
	if !IsCallbackName(name) {
		return "", ""
	}
	switch {
	case recv != nil:
		over = types.ExprString(recv)
	case len(call.Args) > 1:
		over = types.ExprString(call.Args[0])
	default:
		over = name
	}
	return name, over
}

// IsCallbackName reports whether a function of this name calls its function
// argument once per element of something.
func IsCallbackName(name string) bool {
	for _, p := range callbackWords {
		if strings.HasPrefix(name, p.exported) || strings.HasSuffix(name, p.exported) ||
			strings.HasPrefix(name, p.unexported) {
			return true
		}
	}
	return false
}

// callbackWords are the words of IsCallbackName, as an exported name's
// prefix or suffix and an unexported name's prefix. It is called for every
// call in every package, so the words are not rebuilt per call.
var callbackWords = []struct{ exported, unexported string }{
	{"Range", "range"}, {"Walk", "walk"}, {"ForEach", "forEach"},
	{"Each", "each"}, {"Visit", "visit"}, {"Iterate", "iterate"},
}

// callee returns the function a call names (nil for a function value),
// and notes when it is one of this package's: the fact the analysis then
// reads may change in a later round of the fixed point.
func (s *fnState) callee(e *ast.CallExpr) *types.Func {
	var fn *types.Func
	switch f := ast.Unparen(e.Fun).(type) {
	case *ast.Ident:
		fn, _ = s.info.Uses[f].(*types.Func)
	case *ast.SelectorExpr:
		fn, _ = s.info.Uses[f.Sel].(*types.Func)
	}
	if fn != nil && fn.Origin().Pkg() == s.res.pkg {
		s.usesLocal = true
	}
	return fn
}
