package lostwatch

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// checkDoneSpins reports select cases on a Done channel that etcd closes
// for good (rule 5 of doc.go): a concurrency.Session's Done, the Done of
// the client's own context (Client.Ctx), or of the lifetime context a
// type holding an etcd client hands out, in a loop whose case for it
// neither leaves the loop nor pauses.
func (c *checker) checkDoneSpins(r *report.Reporter) {
	for _, f := range c.files {
		if c.inTest(f.Pos()) {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			r.Guard(fd.Pos(), fd.Name.Name, func() {
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					loop, ok := n.(*ast.ForStmt)
					if !ok || loop.Post != nil || (loop.Cond != nil && c.mentionsContext(loop.Cond)) {
						return true
					}
					for _, st := range loop.Body.List {
						if sel, ok := st.(*ast.SelectStmt); ok {
							c.checkDoneSelect(loop, sel)
						}
					}
					return true
				})
			})
		}
	}
}

func (c *checker) checkDoneSelect(loop *ast.ForStmt, sel *ast.SelectStmt) {
	for _, cl := range sel.Body.List {
		cc, u, ok := caseRecv(cl)
		if !ok {
			continue
		}
		owner, what := c.lifetimeDone(u.X)
		if owner == nil {
			continue
		}
		if c.assignedIn(loop.Body, owner) {
			continue // the loop replaces the session or client
		}
		body := &ast.BlockStmt{List: cc.Body}
		if c.leaves(body, u.X, 1) || c.astPauses(body) {
			continue
		}
		c.rep.Report(report.Diagnostic{
			Pos: u.Pos(), End: u.End(), Category: "lostwatch",
			Message: "this loop waits on the Done channel of " + what + ", which stays closed once it is closed, and its case neither leaves the loop nor pauses: when the session or client is lost and the restart in this case does not replace it, every pass finds the channel closed again and the loop spins on a core (and logs, and calls etcd) until the process stops; leave the loop, or check that the restart worked and wait between attempts (a backoff, or time.Sleep of at least 1ms)",
		})
	}
}

// lifetimeDone reports whether e is X.Done() on a channel etcd closes for
// good, and returns the expression whose replacement would give a new
// channel (the session, the client, the holder), with a description.
func (c *checker) lifetimeDone(e ast.Expr) (ast.Expr, string) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil, ""
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" {
		return nil, ""
	}
	x := ast.Unparen(sel.X)
	if etcdapi.ResourceOf(c.info.TypeOf(x)) == etcdapi.ResSession {
		// Session.Done: closed when the session's lease is gone, for good
		return x, "an etcd session"
	}
	if !isContext(c.info.TypeOf(x)) {
		return nil, ""
	}
	ctxCall, ok := x.(*ast.CallExpr)
	if !ok || len(ctxCall.Args) != 0 {
		return nil, ""
	}
	csel, ok := ast.Unparen(ctxCall.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	fn, _ := c.info.Uses[csel.Sel].(*types.Func)
	if fn == nil {
		return nil, ""
	}
	if etcdapi.IsClientCtx(fn) {
		return ast.Unparen(csel.X), "the etcd client's context"
	}
	if holdsClient(c.info.TypeOf(csel.X)) {
		// the context a client wrapper lives on: cancelled when it closes
		// or loses its client
		return ast.Unparen(csel.X), "the lifetime context of an etcd client wrapper"
	}
	return nil, ""
}

// holdsClient reports whether t is (a pointer to) a struct with a field
// holding an etcd client.
func holdsClient(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if etcdapi.IsClient(f.Type()) {
			return true
		}
		if p, ok := f.Type().Underlying().(*types.Pointer); ok && etcdapi.IsClient(p.Elem()) {
			return true
		}
	}
	return false
}

// astPauses reports whether n waits on some path the way pauses does in
// SSA form: time.Sleep of a duration that is not a constant under
// minPauseNanos, a receive, a select without default, or a call of a
// function named as a wait (Wait*, Sleep*, Backoff, Pause).
func (c *checker) astPauses(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		switch m := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if m.Op == token.ARROW {
				found = true
			}
		case *ast.SelectStmt:
			found = true
			for _, cl := range m.Body.List {
				if cc, ok := cl.(*ast.CommClause); ok && cc.Comm == nil {
					found = false // a default: does not block
				}
			}
		case *ast.CallExpr:
			fn, _ := typeutilCallee(c.info, m).(*types.Func)
			if fn == nil {
				return true
			}
			if fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Sleep" && len(m.Args) == 1 {
				tv := c.info.Types[m.Args[0]]
				if tv.Value == nil {
					found = true
				} else if d, ok := constant.Int64Val(tv.Value); !ok || d >= minPauseNanos {
					found = true
				}
				return true
			}
			name := fn.Name()
			for _, p := range []string{"Wait", "Sleep", "Backoff", "Pause"} {
				if strings.HasPrefix(name, p) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
