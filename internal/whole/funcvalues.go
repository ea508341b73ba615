package whole

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/packages"
)

// maxFuncValues bounds the functions recorded for one variable or field: a
// hook set to more than this many functions is a dispatch table the index
// does not pretend to resolve.
const maxFuncValues = 16

// funcValues indexes, over the syntax of the program's own packages (in
// the order given), the functions and methods stored into each
// package-level variable and struct field of function type.
func funcValues(pkgs []*packages.Package, own map[*types.Package]bool) map[*types.Var][]*types.Func {
	out := map[*types.Var][]*types.Func{}
	add := func(v *types.Var, fn *types.Func) {
		if v == nil || fn == nil {
			return
		}
		v = v.Origin()
		if _, ok := v.Type().Underlying().(*types.Signature); !ok {
			return
		}
		if !v.IsField() && (v.Pkg() == nil || v.Parent() != v.Pkg().Scope()) {
			return // a local variable: its calls are the function's own business
		}
		fn = fn.Origin()
		if len(out[v]) < maxFuncValues && !slices.Contains(out[v], fn) {
			out[v] = append(out[v], fn)
		}
	}
	for _, p := range pkgs {
		if p.Types == nil || p.TypesInfo == nil || !own[p.Types] {
			continue
		}
		info := p.TypesInfo
		for _, f := range p.Syntax {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) == len(n.Rhs) {
						for i, lhs := range n.Lhs {
							add(assignedVar(info, lhs), funcOf(info, n.Rhs[i]))
						}
					}
				case *ast.ValueSpec:
					if len(n.Names) == len(n.Values) {
						for i, name := range n.Names {
							v, _ := info.Defs[name].(*types.Var)
							add(v, funcOf(info, n.Values[i]))
						}
					}
				case *ast.CompositeLit:
					st, ok := types.Unalias(info.TypeOf(n)).Underlying().(*types.Struct)
					if !ok {
						return true
					}
					for i, elt := range n.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							if id, ok := kv.Key.(*ast.Ident); ok {
								v, _ := info.Uses[id].(*types.Var)
								add(v, funcOf(info, kv.Value))
							}
						} else if i < st.NumFields() {
							add(st.Field(i), funcOf(info, elt))
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// assignedVar returns the package-level variable or struct field an
// assignment's left-hand side names.
func assignedVar(info *types.Info, lhs ast.Expr) *types.Var {
	switch e := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		v, _ := info.Uses[e].(*types.Var)
		return v
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil {
			if sel.Kind() == types.FieldVal {
				v, _ := sel.Obj().(*types.Var)
				return v
			}
			return nil
		}
		v, _ := info.Uses[e.Sel].(*types.Var) // pkg.Var
		return v
	}
	return nil
}

// funcOf returns the function or method an expression denotes: a function
// name, a method value (w.Save) or expression ((*W).Save); nil otherwise.
func funcOf(info *types.Info, e ast.Expr) *types.Func {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[e].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil {
			if sel.Kind() == types.FieldVal {
				return nil
			}
			fn, _ := sel.Obj().(*types.Func)
			return fn
		}
		fn, _ := info.Uses[e.Sel].(*types.Func)
		return fn
	case *ast.IndexExpr: // an instantiated generic function
		return funcOf(info, e.X)
	}
	return nil
}
