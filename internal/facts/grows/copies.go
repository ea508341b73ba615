package grows

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// This file tells a field that grows as the program runs from one that
// copies a collection the function was handed (GrownFields).
//
// A value rewritten under one etcd key costs its full size on every write;
// it outgrows etcd when the collection it holds grows between writes: the
// program adds to it as it runs (a block per write, a member per join, an
// element per event). A function that builds a new object from another
// one, an element per element of a collection its caller handed it (a
// table's schema from the column definitions of a CREATE TABLE, a
// configuration's rules from the rules of its older format), makes a field
// exactly as large as that collection: the size is decided by whoever
// declared it, as for a decoded or cloned value. What is still evidence:
// a field appended to on an object that outlives the call (a receiver, a
// parameter, a global: each call adds to what earlier calls left), and a
// loop over anything but a collection handed in (the receiver's or a
// global's collections, which the program keeps and grows; a channel or a
// range-over-func iterator, data arriving over time; a loop with a
// condition; an iterating callback; a result that grows).

// copies reports whether every unbounded loop enclosing the statement being
// visited, up to the declaration of v (every loop when v is nil), ranges
// over a collection the function was handed, and there is at least one.
func (s *fnState) copies(v *types.Var) bool {
	if s.fd == nil {
		return false
	}
	found := false
	for i := len(s.loops) - 1; i >= 0; i-- {
		l := s.loops[i]
		if v != nil && l.node.Pos() <= v.Pos() && v.Pos() < l.node.End() {
			break
		}
		if l.bounded {
			continue
		}
		if !s.copyLoop(l.node) {
			return false
		}
		found = true
	}
	return found
}

// copyLoop reports whether n is a range statement over a slice, array or
// map that the function was handed.
func (s *fnState) copyLoop(n ast.Node) bool {
	r, ok := n.(*ast.RangeStmt)
	if !ok {
		return false
	}
	t := s.info.TypeOf(r.X)
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Slice, *types.Map, *types.Array:
	case *types.Pointer:
		if _, ok := u.Elem().Underlying().(*types.Array); !ok {
			return false
		}
	default:
		return false // a channel, an iterator, a count
	}
	return s.handedIn(r.X, 0)
}

// maxHandedInDepth bounds the descent of handedIn through definitions.
const maxHandedInDepth = 8

// handedIn reports whether e is a value the function's caller handed it (a
// parameter, what is reached from one) or one built from such values and
// constants (a call of a function with handed-in arguments, a local
// defined from them, a local filled in loops over them). The receiver, a
// global, a channel, a function of no arguments and a result that grows
// are what the program keeps or receives: not handed in.
func (s *fnState) handedIn(e ast.Expr, depth int) bool {
	if depth > maxHandedInDepth {
		return false
	}
	e = ast.Unparen(e)
	if _, ok := e.(*ast.FuncLit); ok {
		return true
	}
	if tv, ok := s.info.Types[e]; ok && tv.Type != nil {
		if tv.IsType() || tv.Value != nil || tv.IsNil() {
			return true
		}
		switch tv.Type.Underlying().(type) {
		case *types.Chan, *types.Signature:
			return false
		}
	}
	switch e := e.(type) {
	case *ast.BasicLit, *ast.CompositeLit:
		return true
	case *ast.Ident:
		v, ok := s.info.ObjectOf(e).(*types.Var)
		if !ok {
			return false
		}
		if param, ok := s.inputsOf()[v]; ok {
			return param
		}
		if !s.local(v) {
			return false
		}
		if g, ok := s.grown[v]; ok {
			return g.copied
		}
		if h, done := s.handed[v]; done {
			return h
		}
		d, ok := s.defsOf()[v]
		if !ok {
			return false
		}
		if s.handed == nil {
			s.handed = map[*types.Var]bool{}
		}
		// A definition that reaches v again (f(&v), v = g(v)) brings
		// nothing from elsewhere through v.
		s.handed[v] = true
		h := s.handedIn(d, depth+1)
		s.handed[v] = h
		return h
	case *ast.SelectorExpr:
		if sel := s.info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if typ, field, ok := fieldOf(s.info, e); ok && s.res.GrownField(typ, field) != nil {
				return false // a copy of a collection the program grows
			}
			return s.handedIn(e.X, depth+1)
		}
		return false
	case *ast.IndexExpr:
		return s.handedIn(e.X, depth+1)
	case *ast.SliceExpr:
		return s.handedIn(e.X, depth+1)
	case *ast.StarExpr:
		return s.handedIn(e.X, depth+1)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && s.handedIn(e.X, depth+1)
	case *ast.BinaryExpr:
		return s.handedIn(e.X, depth+1) && s.handedIn(e.Y, depth+1)
	case *ast.CallExpr:
		if tv, ok := s.info.Types[e.Fun]; ok && tv.IsType() {
			return len(e.Args) == 1 && s.handedIn(e.Args[0], depth+1)
		}
		fn := s.callee(e)
		if g := s.res.Of(fn); g != nil && !g.Copied {
			return false
		}
		return s.argsHandedIn(e, depth)
	}
	return false
}

// argsHandedIn reports whether the receiver and arguments of call are
// handed in (handedIn); a function of no arguments reads what the program
// keeps.
func (s *fnState) argsHandedIn(call *ast.CallExpr, depth int) bool {
	if s.fd == nil {
		return false
	}
	recv := false
	if f, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && s.info.Selections[f] != nil {
		if !s.handedIn(f.X, depth+1) {
			return false
		}
		recv = true
	}
	if !recv && len(call.Args) == 0 {
		return false
	}
	for _, a := range call.Args {
		if !s.handedIn(a, depth+1) {
			return false
		}
	}
	return true
}

// inputsOf returns the parameters and receiver of the function analysed.
func (s *fnState) inputsOf() map[*types.Var]bool {
	if s.inputs == nil && s.fd != nil {
		s.inputs = inputsOf(s.info, s.fd)
	}
	return s.inputs
}

// defsOf returns the first definitions of the function's locals.
func (s *fnState) defsOf() map[*types.Var]ast.Expr {
	if s.defs == nil && s.fd != nil {
		s.defs = definitions(s.info, s.fd.Body)
	}
	return s.defs
}

// local reports whether v is a variable of the function being analysed
// other than its parameters and receiver.
func (s *fnState) local(v *types.Var) bool {
	if _, input := s.inputsOf()[v]; input || v.IsField() || v.Pkg() == nil || v.Parent() == nil {
		return false
	}
	return v.Parent() != v.Pkg().Scope()
}

// builtHere reports whether v is an object the function makes rather than
// one that outlives the call: a local whose first definition is a
// composite literal, its address, the result of a call, or none (a zero
// value), not a name for a parameter's, the receiver's or a global's.
func (s *fnState) builtHere(v *types.Var) bool {
	if v == nil || !s.local(v) {
		return false
	}
	d, ok := s.defsOf()[v]
	if !ok {
		return true
	}
	switch d := ast.Unparen(d).(type) {
	case *ast.CompositeLit, *ast.CallExpr:
		return true
	case *ast.UnaryExpr:
		_, lit := ast.Unparen(d.X).(*ast.CompositeLit)
		return d.Op == token.AND && lit
	}
	return false
}

// inputsOf returns the parameters (true) and receiver (false) of fd.
func inputsOf(info *types.Info, fd *ast.FuncDecl) map[*types.Var]bool {
	in := map[*types.Var]bool{}
	add := func(fl *ast.FieldList, param bool) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				if v, ok := info.Defs[n].(*types.Var); ok {
					in[v] = param
				}
			}
		}
	}
	add(fd.Recv, false)
	add(fd.Type.Params, true)
	return in
}

// definitions returns the expression each local variable of body is first
// defined from: the right side of its first assignment or declaration,
// what its range statement ranges over, or a call that fills it through
// its address (var args []T; job.DecodeArgs(&args)).
func definitions(info *types.Info, body *ast.BlockStmt) map[*types.Var]ast.Expr {
	defs := map[*types.Var]ast.Expr{}
	set := func(lhs, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.IsField() {
			return
		}
		if _, done := defs[v]; !done {
			defs[v] = rhs
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				switch {
				case len(n.Rhs) == len(n.Lhs):
					set(l, n.Rhs[i])
				case len(n.Rhs) == 1:
					set(l, n.Rhs[0])
				}
			}
		case *ast.RangeStmt:
			if n.Key != nil {
				set(n.Key, n.X)
			}
			if n.Value != nil {
				set(n.Value, n.X)
			}
		case *ast.CallExpr:
			for _, a := range n.Args {
				if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
					set(u.X, n)
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				switch {
				case len(n.Values) == len(n.Names):
					set(name, n.Values[i])
				case len(n.Values) == 1:
					set(name, n.Values[0])
				}
			}
		}
		return true
	})
	return defs
}

// decoderHelpers returns the unexported functions and methods of the
// package that only decoders call, directly or through other such helpers
// (an older format's fill called from UnmarshalJSON): they fill a value
// from its encoding too. A function used other than by a call (a method
// value, a function stored in a variable) is not one.
func decoderHelpers(pass *analysis.Pass) map[*types.Func]bool {
	callers := map[*types.Func][]*types.Func{}
	escaped := map[*types.Func]bool{}
	decoders := map[*types.Func]bool{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			var cur *types.Func
			if fd, ok := d.(*ast.FuncDecl); ok {
				cur, _ = pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if cur != nil && isDecoder(fd.Name.Name) {
					decoders[cur] = true
				}
			}
			called := map[*ast.Ident]bool{}
			ast.Inspect(d, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					switch fun := ast.Unparen(n.Fun).(type) {
					case *ast.Ident:
						called[fun] = true
					case *ast.SelectorExpr:
						called[fun.Sel] = true
					}
				case *ast.Ident:
					fn, ok := pass.TypesInfo.Uses[n].(*types.Func)
					if !ok || fn.Pkg() != pass.Pkg {
						return true
					}
					fn = fn.Origin()
					if called[n] && cur != nil {
						callers[fn] = append(callers[fn], cur)
					} else {
						escaped[fn] = true
					}
				}
				return true
			})
		}
	}
	helpers := map[*types.Func]bool{}
	for changed := true; changed; {
		changed = false
		for fn, cs := range callers {
			if helpers[fn] || escaped[fn] || fn.Exported() {
				continue
			}
			all := true
			for _, c := range cs {
				if c != fn && !decoders[c] && !helpers[c] {
					all = false
					break
				}
			}
			if all {
				helpers[fn] = true
				changed = true
			}
		}
	}
	return helpers
}
