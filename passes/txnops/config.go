package txnops

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// flagPackages are the command-line flag packages whose XxxVar(&v, name,
// default, usage) binds a variable to a flag.
var flagPackages = map[string]bool{
	"flag":                   true,
	"github.com/spf13/pflag": true,
}

// flagDefault returns the default of the flag the package-level variable v
// is bound to (flag.UintVar(&v, "max-txn-ops", 128, ...), pflag's
// FlagSet.UintVar or UintVarP), when that binding is the only thing that
// writes v: v holds the default unless the user passes the flag, and the
// default is what the program was written for.
func flagDefault(files []*ast.File, info *types.Info, v *types.Var) (ast.Expr, bool) {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	var def ast.Expr
	binds, other := 0, false
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for _, name := range n.Names {
					if info.Defs[name] == v && len(n.Values) > 0 {
						other = true
					}
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					other = other || is(lhs)
				}
			case *ast.IncDecStmt:
				other = other || is(n.X)
			case *ast.CallExpr:
				if len(n.Args) == 0 {
					return true
				}
				u, ok := ast.Unparen(n.Args[0]).(*ast.UnaryExpr)
				if !ok || u.Op != token.AND || !is(u.X) {
					return true
				}
				if d, ok := flagBinding(info, n); ok {
					binds++
					def = d
					return false // its &v is the binding, not another write
				}
				other = true
				return false
			case *ast.UnaryExpr:
				other = other || n.Op == token.AND && is(n.X)
			}
			return true
		})
	}
	return def, binds == 1 && !other && def != nil
}

// flagBinding returns the default argument of a call of a flag package's
// XxxVar or XxxVarP.
func flagBinding(info *types.Info, call *ast.CallExpr) (ast.Expr, bool) {
	var fn *types.Func
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		fn, _ = info.Uses[f.Sel].(*types.Func)
	case *ast.Ident:
		fn, _ = info.Uses[f].(*types.Func)
	}
	if fn == nil || fn.Pkg() == nil || !flagPackages[fn.Pkg().Path()] {
		return nil, false
	}
	switch {
	case strings.HasSuffix(fn.Name(), "VarP") && len(call.Args) == 5:
		return call.Args[3], true
	case strings.HasSuffix(fn.Name(), "Var") && len(call.Args) == 4:
		return call.Args[2], true
	}
	return nil, false
}
