package dataflow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Functions that run once per process.
//
// A resource that lives until the process exits costs nothing more when the
// process exits as soon as the function that opened it is done: a command
// line tool's command, a program's main. Passes that judge how long
// something lives ask Once.
//
// A function runs once per process when it is:
//   - main.main;
//   - stored in a hook of a github.com/spf13/cobra Command (Run, RunE and
//     the PreRun, PostRun, PersistentPreRun and PersistentPostRun hooks,
//     with their E forms), in a composite literal or by an assignment,
//     and used nowhere else in the package but in such hooks and in static
//     calls as below: cobra runs the hooks of the one command a process
//     executes, once;
//   - an unexported function, an unexported method that no interface of
//     the package names (an unexported method can only satisfy an interface
//     of its own package), or a function literal, whose every use in the
//     package is a static call (also in a go or defer statement) from a
//     function that runs once per process, outside any loop of that
//     function (a for or range body or condition; a function with a goto is
//     taken as a loop throughout).
//
// What this cannot see: a program that executes its cobra command tree
// more than once (a shell that calls Execute per line it reads), and a
// hook stored from another package that is also called there in a loop.
// Recursive functions never qualify.

// cobraPath is the import path of the cobra command-line library.
const cobraPath = "github.com/spf13/cobra"

// cobraHooks are the fields of cobra.Command that hold a function the
// command runs when it is executed.
var cobraHooks = map[string]bool{
	"Run": true, "RunE": true,
	"PreRun": true, "PreRunE": true, "PostRun": true, "PostRunE": true,
	"PersistentPreRun": true, "PersistentPreRunE": true,
	"PersistentPostRun": true, "PersistentPostRunE": true,
}

// Once tells which functions of a package run once per process. It reads
// the package's syntax on the first question.
type Once struct {
	files []*ast.File
	info  *types.Info
	once  map[token.Pos]bool // the position of a declared function's name or a literal's func keyword
}

// onceUse is one use of a function or literal in the package's syntax.
type onceUse struct {
	hook   bool      // stored in a cobra.Command hook
	call   bool      // the callee of a static call
	caller token.Pos // the function the call is in (NoPos at package level)
	inLoop bool      // the call can repeat within caller
}

// NewOnce returns the functions of a package (its files and their type
// information) that run once per process.
func NewOnce(files []*ast.File, info *types.Info) *Once {
	return &Once{files: files, info: info}
}

// compute finds the functions that run once per process.
func (o *Once) compute() {
	o.once = map[token.Pos]bool{}
	files, info := o.files, o.info
	if info == nil {
		return
	}
	uses := map[token.Pos][]onceUse{}
	eligible := map[token.Pos]bool{} // unexported, or stored in a hook
	exported := map[token.Pos]bool{}
	loopy := map[token.Pos]bool{} // functions with a goto
	ifaceNames := interfaceMethodNames(info)
	for _, f := range files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			switch n := n.(type) {
			case *ast.FuncDecl:
				fn, _ := info.Defs[n.Name].(*types.Func)
				if fn != nil {
					switch {
					case n.Recv == nil && n.Name.Name == "main" && fn.Pkg() != nil && fn.Pkg().Name() == "main" &&
						n.Type.TypeParams == nil:
						o.once[n.Name.Pos()] = true
					case n.Name.IsExported():
						exported[n.Name.Pos()] = true
					case n.Recv != nil && ifaceNames[n.Name.Name]:
						// may be called through an interface
					default:
						eligible[n.Name.Pos()] = true
					}
				}
			case *ast.FuncLit:
				eligible[n.Pos()] = true
				uses[n.Pos()] = append(uses[n.Pos()], classifyUse(info, n, stack))
			case *ast.BranchStmt:
				if n.Tok == token.GOTO {
					if c := enclosingFunc(stack, len(stack)); c.IsValid() {
						loopy[c] = true
					}
				}
			case *ast.Ident:
				fn, ok := info.Uses[n].(*types.Func)
				if !ok || fn.Pkg() == nil || !declaredIn(fn, files) {
					break
				}
				var u onceUse
				if len(stack) > 0 {
					if sel, ok := stack[len(stack)-1].(*ast.SelectorExpr); ok && sel.Sel == n {
						u = classifyUse(info, sel, stack[:len(stack)-1])
					} else {
						u = classifyUse(info, n, stack)
					}
				}
				pos := fn.Origin().Pos()
				uses[pos] = append(uses[pos], u)
			}
			stack = append(stack, n)
			return true
		})
	}
	for changed := true; changed; {
		changed = false
		for pos, us := range uses {
			if o.once[pos] || len(us) == 0 {
				continue
			}
			ok, hooked := true, false
			for _, u := range us {
				switch {
				case u.hook:
					hooked = true
				case u.call && !u.inLoop && !loopy[u.caller] && o.once[u.caller]:
				default:
					ok = false
				}
			}
			if ok && (hooked || (eligible[pos] && !exported[pos])) {
				o.once[pos] = true
				changed = true
			}
		}
	}
}

// Runs reports whether fn runs once per process.
func (o *Once) Runs(fn *ssa.Function) bool {
	if o == nil || fn == nil || fn.Synthetic != "" {
		return false
	}
	if orig := fn.Origin(); orig != nil {
		fn = orig
	}
	if o.once == nil {
		o.compute()
	}
	return o.once[fn.Pos()]
}

// classifyUse says how the expression e (a function's name, a selector of
// it, or a function literal), whose ancestors are stack, uses the function.
func classifyUse(info *types.Info, e ast.Expr, stack []ast.Node) onceUse {
	i := len(stack) - 1
	for i >= 0 {
		if p, ok := stack[i].(*ast.ParenExpr); ok {
			e = p
			i--
			continue
		}
		break
	}
	if i < 0 {
		return onceUse{}
	}
	switch p := stack[i].(type) {
	case *ast.CallExpr:
		if p.Fun != e {
			return onceUse{}
		}
		caller := enclosingFunc(stack, i)
		return onceUse{call: true, caller: caller, inLoop: inLoop(stack, i)}
	case *ast.KeyValueExpr:
		if p.Value != e || i == 0 {
			return onceUse{}
		}
		key, ok := p.Key.(*ast.Ident)
		lit, ok2 := stack[i-1].(*ast.CompositeLit)
		if ok && ok2 && cobraHooks[key.Name] && isCobraCommand(info.TypeOf(lit)) {
			return onceUse{hook: true}
		}
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) || p.Tok != token.ASSIGN {
			return onceUse{}
		}
		for k, r := range p.Rhs {
			if r != e {
				continue
			}
			sel, ok := ast.Unparen(p.Lhs[k]).(*ast.SelectorExpr)
			if !ok || !cobraHooks[sel.Sel.Name] {
				return onceUse{}
			}
			if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal && isCobraCommand(s.Recv()) {
				return onceUse{hook: true}
			}
		}
	}
	return onceUse{}
}

// enclosingFunc returns the position of the innermost function declaration
// or literal among stack[:i], or NoPos.
func enclosingFunc(stack []ast.Node, i int) token.Pos {
	for j := i - 1; j >= 0; j-- {
		switch f := stack[j].(type) {
		case *ast.FuncLit:
			return f.Pos()
		case *ast.FuncDecl:
			return f.Name.Pos()
		}
	}
	return token.NoPos
}

// inLoop reports whether stack[i] lies in a part of a for or range
// statement that repeats, within the innermost function around it.
func inLoop(stack []ast.Node, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch s := stack[j].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt:
			if stack[j+1] != s.Init {
				return true
			}
		case *ast.RangeStmt:
			if stack[j+1] == s.Body {
				return true
			}
		}
	}
	return false
}

// isCobraCommand reports whether t is cobra.Command or a pointer to it.
func isCobraCommand(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == cobraPath && n.Obj().Name() == "Command"
}

// interfaceMethodNames returns the names of the methods of the interface
// types the package mentions.
func interfaceMethodNames(info *types.Info) map[string]bool {
	out := map[string]bool{}
	add := func(t types.Type) {
		if t == nil {
			return
		}
		it, ok := t.Underlying().(*types.Interface)
		if !ok {
			return
		}
		for m := range it.Methods() {
			out[m.Name()] = true
		}
	}
	for _, obj := range info.Defs {
		if tn, ok := obj.(*types.TypeName); ok {
			add(tn.Type())
		}
	}
	for _, tv := range info.Types {
		add(tv.Type)
	}
	return out
}

// declaredIn reports whether fn is declared in one of files.
func declaredIn(fn *types.Func, files []*ast.File) bool {
	pos := fn.Pos()
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return true
		}
	}
	return false
}
