package watchleak

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// fix offers `defer x.Close()` for a Watcher, Session or Client held in a
// local variable x, opened outside any loop, right after the statement that
// opens it or, when the opening returns an error, right after the error
// check that returns (`if err != nil { ...; return ... }`). The resource is
// neither released nor handed off nor captured by a goroutine (check only
// reports such resources), so every use of it is in this function.
func (c *Checker) fix(o opening, v ssa.Value) (analysis.SuggestedFix, bool) {
	if v == nil || c.loopsOf(o.call.Parent()).InLoop(o.call.Block()) {
		return analysis.SuggestedFix{}, false
	}
	switch etcdapi.ResourceOf(v.Type()) {
	case etcdapi.ResClient, etcdapi.ResWatcher, etcdapi.ResSession:
	default:
		return analysis.SuggestedFix{}, false
	}
	ce := c.callExpr(o.call)
	if ce == nil {
		return analysis.SuggestedFix{}, false
	}
	path := c.pathTo(ce.Pos())
	var assign *ast.AssignStmt
	var block *ast.BlockStmt
	for i, n := range path {
		if n != ce {
			continue
		}
		if i+2 < len(path) {
			assign, _ = path[i+1].(*ast.AssignStmt)
			block, _ = path[i+2].(*ast.BlockStmt)
		}
		break
	}
	if assign == nil || block == nil || len(assign.Rhs) != 1 || ast.Unparen(assign.Rhs[0]) != ce {
		return analysis.SuggestedFix{}, false
	}
	results := 1
	if tup, ok := o.call.Type().(*types.Tuple); ok {
		results = tup.Len()
	}
	if len(assign.Lhs) != results || o.index >= len(assign.Lhs) {
		return analysis.SuggestedFix{}, false
	}
	id, ok := assign.Lhs[o.index].(*ast.Ident)
	if !ok || id.Name == "_" {
		return analysis.SuggestedFix{}, false
	}
	idx := -1
	for i, s := range block.List {
		if s == assign {
			idx = i
		}
	}
	if idx < 0 {
		return analysis.SuggestedFix{}, false
	}
	after := ast.Stmt(assign)
	if results > 1 {
		errID, ok := assign.Lhs[results-1].(*ast.Ident)
		if !ok || errID.Name == "_" || idx+1 >= len(block.List) {
			return analysis.SuggestedFix{}, false
		}
		ifs, ok := block.List[idx+1].(*ast.IfStmt)
		if !ok || !c.isErrCheck(ifs, errID) {
			return analysis.SuggestedFix{}, false
		}
		after = ifs
	}
	pos := c.Fset.Position(assign.Pos())
	if !pos.IsValid() || pos.Column < 1 {
		return analysis.SuggestedFix{}, false
	}
	at := c.endOfLine(after.End())
	if !at.IsValid() {
		return analysis.SuggestedFix{}, false
	}
	indent := strings.Repeat("\t", pos.Column-1)
	text := "\n" + indent + "defer " + id.Name + ".Close()"
	return analysis.SuggestedFix{
		Message:   "defer " + id.Name + ".Close()",
		TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte(text)}},
	}, true
}

// endOfLine returns the position of the newline that ends pos's line (after
// any trailing comment), or NoPos on the file's last line.
func (c *Checker) endOfLine(pos token.Pos) token.Pos {
	f := c.Fset.File(pos)
	if f == nil {
		return token.NoPos
	}
	line := f.Line(pos)
	if line >= f.LineCount() {
		return token.NoPos
	}
	return f.LineStart(line+1) - 1
}

// isErrCheck reports whether ifs is `if err != nil { ...; return ... }` on
// the variable errID, with no init and no else.
func (c *Checker) isErrCheck(ifs *ast.IfStmt, errID *ast.Ident) bool {
	if ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return false
	}
	if _, ok := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !ok {
		return false
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ {
		return false
	}
	x, ok := ast.Unparen(cond.X).(*ast.Ident)
	if !ok || c.objOf(x) == nil || c.objOf(x) != c.objOf(errID) {
		return false
	}
	y, ok := ast.Unparen(cond.Y).(*ast.Ident)
	return ok && y.Name == "nil" && c.Info.Uses[y] == types.Universe.Lookup("nil")
}

func (c *Checker) objOf(id *ast.Ident) types.Object {
	if o := c.Info.Defs[id]; o != nil {
		return o
	}
	return c.Info.Uses[id]
}
