package dataflow

import "go/types"

// RecvName is the name of the named type fn is a method of, through a
// pointer receiver; "" for a function or a method of an unnamed type.
func RecvName(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// FuncName names fn in a message: Type.Method for a method of a named
// type, pkg.Func otherwise, "?" for nil.
func FuncName(fn *types.Func) string {
	if fn == nil {
		return "?"
	}
	if n := RecvName(fn); n != "" {
		return n + "." + fn.Name()
	}
	if fn.Pkg() != nil {
		return fn.Pkg().Name() + "." + fn.Name()
	}
	return fn.Name()
}

// QualifiedFuncName names fn with its package in front of a method too
// (pkg.Type.Method, pkg.Func), for a message that follows a value across
// packages; a method of an unnamed type is its bare name.
func QualifiedFuncName(fn *types.Func) string {
	pkg := ""
	if fn.Pkg() != nil {
		pkg = fn.Pkg().Name() + "."
	}
	if fn.Signature().Recv() != nil {
		if n := RecvName(fn); n != "" {
			return pkg + n + "." + fn.Name()
		}
		return fn.Name()
	}
	return pkg + fn.Name()
}
