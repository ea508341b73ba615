// Package program is the whole-program view that etcdlint's standalone
// whole-program mode (etcdlint -whole) gives the analyzers.
//
// Under go vet and golangci-lint no Index is set: an analyzer sees the facts
// of the packages its package imports, and an interface call resolves to the
// implementations in those packages only. In whole-program mode the driver
// first computes every package's facts, then sets an Index, so that an
// interface call also resolves to implementations in packages the caller does
// not import (the application wires them together in main), and their facts
// are visible.
package program

import (
	"go/token"
	"go/types"
	"reflect"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Index answers questions about the whole program.
type Index interface {
	// Implementations returns the concrete methods named name, declared
	// anywhere in the program, whose receiver type implements the interface
	// type recv, when recv is an interface of the program's own packages
	// (those of its main module). For an interface of another module (a
	// library's generic key-value store) it returns only the implementations
	// that act on etcd (that have a fact of what they do to it, more than
	// using its types), and for the standard library's (io.Closer) nil: they
	// have implementations all over the dependencies, and resolving them
	// over the whole program would make almost every package reach etcd.
	Implementations(recv types.Type, name string) []*types.Func
	// ObjectFact copies into ptr the fact of ptr's type about obj computed
	// for any package of the program, and reports whether there was one.
	ObjectFact(obj types.Object, ptr analysis.Fact) bool
	// FuncValues returns the functions and methods that the program's own
	// packages store into v, a package-level variable or a struct field of
	// function type: assigned (OnBlock = store.Save, in init or anywhere),
	// given as its initial value, or set in a composite literal
	// (Hooks{OnBlock: w.Save}). Function literals are not listed.
	FuncValues(v *types.Var) []*types.Func
}

var current atomic.Pointer[Index]

// Set installs ix as the current whole-program index (nil to clear).
func Set(ix Index) {
	if ix == nil {
		current.Store(nil)
		return
	}
	current.Store(&ix)
}

// Current returns the whole-program index, or nil outside whole-program mode.
func Current() Index {
	if p := current.Load(); p != nil {
		return *p
	}
	return nil
}

// CopyFact copies the fact src into dst, which must be a pointer of the same type.
func CopyFact(dst, src analysis.Fact) bool {
	dv, sv := reflect.ValueOf(dst), reflect.ValueOf(src)
	if dv.Type() != sv.Type() || dv.Kind() != reflect.Pointer {
		return false
	}
	dv.Elem().Set(sv.Elem())
	return true
}

// Implements reports whether the receiver type of the concrete method m (or
// a pointer to it) implements iface.
func Implements(m *types.Func, iface *types.Interface) bool {
	recv := m.Signature().Recv()
	if recv == nil || iface.NumMethods() == 0 {
		return false
	}
	t := recv.Type()
	if types.IsInterface(t) {
		return false
	}
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	return Implementer(t, iface) != nil
}

// Implementer returns the concrete type t, or else *t, if it implements
// iface, or nil: a value of t stored in iface, or a pointer to one.
func Implementer(t types.Type, iface *types.Interface) types.Type {
	if types.Implements(t, iface) {
		return t
	}
	if p := types.NewPointer(t); types.Implements(p, iface) {
		return p
	}
	return nil
}

// Implementations returns what a call of the method name of the interface
// type recv may reach: the methods of visible (those the caller's package
// sees, through facts) named name whose receiver implements recv and, in
// whole-program mode, the Index's, without repeats.
func Implementations(recv types.Type, name string, visible []*types.Func) []*types.Func {
	iface, ok := recv.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var out []*types.Func
	seen := map[*types.Func]bool{}
	for _, m := range visible {
		if m.Name() == name && !seen[m] && Implements(m, iface) {
			seen[m] = true
			out = append(out, m)
		}
	}
	if ix := Current(); ix != nil {
		for _, m := range ix.Implementations(recv, name) {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// FuncValues returns, in whole-program mode, the functions the program
// stores into the package-level variable or struct field v (see
// Index.FuncValues); nil outside it. Facts cannot carry this: the
// assignment is usually in a package (main) that imports both the variable's
// package and the function's, and neither of those sees it.
func FuncValues(v *types.Var) []*types.Func {
	if ix := Current(); ix != nil && v != nil {
		return ix.FuncValues(v.Origin())
	}
	return nil
}

// CalledVar returns the package-level variable or struct field whose
// value a dynamic call (not an interface method, no static callee) calls,
// or nil: OnBlock(b), h.OnBlock(b), hooks.OnBlock(b).
func CalledVar(call *ssa.CallCommon) *types.Var {
	if call.IsInvoke() || call.StaticCallee() != nil {
		return nil
	}
	load, ok := call.Value.(*ssa.UnOp)
	if ok && load.Op == token.MUL {
		switch addr := load.X.(type) {
		case *ssa.Global:
			v, _ := addr.Object().(*types.Var)
			return v
		case *ssa.FieldAddr:
			return structField(addr.X.Type(), addr.Field)
		}
		return nil
	}
	if f, ok := call.Value.(*ssa.Field); ok {
		return structField(f.X.Type(), f.Field)
	}
	return nil
}

// structField returns field i of the struct type t (or of what t points to).
func structField(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i < 0 || i >= st.NumFields() {
		return nil
	}
	return st.Field(i)
}

// FuncValueCallees returns, in whole-program mode, what a call through a
// function-valued variable or field may reach: the functions the program
// stores into it (FuncValues); nil for any other call and outside it.
func FuncValueCallees(call *ssa.CallCommon) []*types.Func {
	if Current() == nil {
		return nil
	}
	return FuncValues(CalledVar(call))
}
