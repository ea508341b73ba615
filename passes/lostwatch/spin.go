package lostwatch

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// inTest reports whether pos lies in test code (report.TestCodeRule) and
// -include-tests is off.
func (c *checker) inTest(pos token.Pos) bool {
	return !includeTests && report.InTestCode(c.fset, pos, c.pkg.Path())
}

// checkSpins reports the receives from a watch's channel, in a loop, that
// keep the loop running once the channel is closed (rule 1 of doc.go).
func (c *checker) checkSpins(r *report.Reporter) {
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
				var stack []ast.Node
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if n == nil {
						stack = stack[:len(stack)-1]
						return false
					}
					if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW && etcdapi.IsWatchChan(c.info.TypeOf(u.X)) {
						c.checkSpin(fd, u, stack)
					}
					stack = append(stack, n)
					return true
				})
			})
		}
	}
}

func (c *checker) checkSpin(fd *ast.FuncDecl, u *ast.UnaryExpr, stack []ast.Node) {
	if len(stack) == 0 {
		return
	}
	var resp types.Object
	switch p := stack[len(stack)-1].(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != 1 {
			return // v, ok := <-wch
		}
		if id, ok := p.Lhs[0].(*ast.Ident); ok {
			resp = c.info.ObjectOf(id)
		}
	case *ast.ValueSpec:
		if len(p.Names) != 1 {
			return
		}
		resp = c.info.ObjectOf(p.Names[0])
	case *ast.ExprStmt:
	default:
		return // passed on: what the callee does with it is not seen here
	}
	// The innermost loop, within this function.
	li := -1
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncLit:
			i = -1
		case *ast.ForStmt, *ast.RangeStmt:
			li = i
		}
		if li >= 0 || i < 0 {
			break
		}
	}
	if li < 0 {
		return
	}
	loop, ok := stack[li].(*ast.ForStmt)
	if !ok || loop.Post != nil || (loop.Cond != nil && c.mentionsContext(loop.Cond)) {
		return
	}
	ch := ast.Unparen(u.X)
	if c.assignedIn(loop.Body, ch) || declaredIn(c.info, loop, ch) {
		return // a new channel each time round
	}
	if _, ok := ch.(*ast.CallExpr); ok {
		return
	}
	if resp != nil && c.leavesOn(loop, resp, ch) {
		return
	}
	if c.doneCase(fd, stack, li, ch) {
		return
	}
	c.rep.Report(report.Diagnostic{
		Pos: u.Pos(), End: u.End(), Category: "lostwatch",
		Message: "receive from a watch channel without the \", ok\" form, in a loop that nothing leaves when the channel is closed: once the watch ends (its context is cancelled, or etcd cancels it: compaction, lost leader, permission denied) every receive returns a zero WatchResponse at once and the loop spins on a core while the keys are no longer followed; use resp, ok := <-wch and leave or re-watch when !ok, and check resp.Err()",
	})
}

// mentionsContext reports whether e uses a context.Context.
func (c *checker) mentionsContext(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok && isContext(c.info.TypeOf(x)) {
			found = true
		}
		return !found
	})
	return found
}

// sameExpr reports whether a and b name the same variable or field path.
func (c *checker) sameExpr(a, b ast.Expr) bool {
	a, b = ast.Unparen(a), ast.Unparen(b)
	switch x := a.(type) {
	case *ast.Ident:
		y, ok := b.(*ast.Ident)
		return ok && c.info.ObjectOf(x) != nil && c.info.ObjectOf(x) == c.info.ObjectOf(y)
	case *ast.SelectorExpr:
		y, ok := b.(*ast.SelectorExpr)
		return ok && x.Sel.Name == y.Sel.Name && c.sameExpr(x.X, y.X)
	}
	return false
}

// assignedIn reports whether body assigns ch.
func (c *checker) assignedIn(body ast.Node, ch ast.Expr) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if c.sameExpr(l, ch) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func declaredIn(info *types.Info, loop ast.Node, ch ast.Expr) bool {
	id, ok := ch.(*ast.Ident)
	if !ok {
		return false
	}
	obj := info.ObjectOf(id)
	return obj != nil && loop.Pos() <= obj.Pos() && obj.Pos() < loop.End()
}

// leavesOn reports whether the loop tests the response resp (its
// Canceled, Err(), CompactRevision, events or header) in an if whose
// branch leaves the loop, panics, or opens the watch again.
func (c *checker) leavesOn(loop *ast.ForStmt, resp types.Object, ch ast.Expr) bool {
	found := false
	var walk func(n ast.Node, breakable int)
	walk = func(n ast.Node, breakable int) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil {
				return false
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.IfStmt:
				if c.uses(m.Cond, resp) || (m.Init != nil && c.uses(m.Init, resp)) {
					if c.leaves(m.Body, ch, breakable) || (m.Else != nil && c.leaves(m.Else, ch, breakable)) {
						found = true
						return false
					}
				}
			case *ast.SelectStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.ForStmt, *ast.RangeStmt:
				if m != ast.Node(loop) {
					for _, child := range childrenOf(m) {
						walk(child, breakable+1)
					}
					return false
				}
			}
			return true
		})
	}
	walk(loop.Body, 0)
	return found
}

// childrenOf returns the direct statement parts of a breakable statement.
func childrenOf(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.SelectStmt:
		return []ast.Node{n.Body}
	case *ast.SwitchStmt:
		return []ast.Node{n.Body}
	case *ast.TypeSwitchStmt:
		return []ast.Node{n.Body}
	case *ast.ForStmt:
		return []ast.Node{n.Body}
	case *ast.RangeStmt:
		return []ast.Node{n.Body}
	}
	return nil
}

func (c *checker) uses(n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && c.info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// leaves reports whether n holds a statement that leaves the loop: a
// return, a goto, a labelled branch, an unlabelled break not inside a
// breakable statement (breakable counts those around n within the loop),
// a panic or exit, or a new assignment of the channel.
func (c *checker) leaves(n ast.Node, ch ast.Expr, breakable int) bool {
	found := false
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil {
				return false
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				found = true
			case *ast.BranchStmt:
				switch {
				case m.Tok == token.GOTO, m.Label != nil && m.Tok != token.FALLTHROUGH:
					found = true
				case m.Tok == token.BREAK && depth == 0:
					found = true
				}
			case *ast.AssignStmt:
				for _, l := range m.Lhs {
					if c.sameExpr(l, ch) {
						found = true
					}
				}
			case *ast.CallExpr:
				if isExit(c.info, m) {
					found = true
				}
			case *ast.SelectStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.ForStmt, *ast.RangeStmt:
				for _, child := range childrenOf(m) {
					walk(child, depth+1)
				}
				return false
			}
			return !found
		})
	}
	walk(n, breakable)
	return found
}

// isExit reports a call that does not return: panic, os.Exit, log.Fatal*,
// log.Panic*.
func isExit(info *types.Info, call *ast.CallExpr) bool {
	switch fn := typeutilCallee(info, call).(type) {
	case *types.Builtin:
		return fn.Name() == "panic"
	case *types.Func:
		if fn.Pkg() == nil {
			return false
		}
		p, name := fn.Pkg().Path(), fn.Name()
		return p == "os" && name == "Exit" || p == "log" && (strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic"))
	}
	return false
}

func typeutilCallee(info *types.Info, call *ast.CallExpr) types.Object {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return info.Uses[f]
	case *ast.SelectorExpr:
		return info.Uses[f.Sel]
	}
	return nil
}

// doneCase reports whether the receive is a case of a select that also
// waits on the Done channel of the watch's own context (or a context
// derived from it or it from), which is ready whenever the watch ended
// with its context. When the watch's context is not seen here, any
// context's Done case counts.
func (c *checker) doneCase(fd *ast.FuncDecl, stack []ast.Node, li int, ch ast.Expr) bool {
	var sel *ast.SelectStmt
	for i := len(stack) - 1; i > li; i-- {
		if s, ok := stack[i].(*ast.SelectStmt); ok {
			sel = s
			break
		}
	}
	if sel == nil {
		return false
	}
	watch := c.watchCall(fd, ch)
	if watch != nil && c.endsWhileLive(fd, watch) {
		return false // the Done case is not ready when etcd ends the watch
	}
	var watchCtx ast.Expr
	if watch != nil {
		watchCtx = watch.Args[etcdapi.Arg("Watcher.Watch.ctx")]
	}
	for _, cl := range sel.Body.List {
		_, u, ok := caseRecv(cl)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(u.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		s, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || s.Sel.Name != "Done" || !isContext(c.info.TypeOf(s.X)) {
			continue
		}
		if watchCtx == nil {
			return true
		}
		a, b := c.family(fd, s.X, 0), c.family(fd, watchCtx, 0)
		for o := range a {
			if b[o] {
				return true
			}
		}
	}
	return false
}

// watchCall returns the Watch call ch is assigned from in fd, or nil.
func (c *checker) watchCall(fd *ast.FuncDecl, ch ast.Expr) *ast.CallExpr {
	var out *ast.CallExpr
	n := 0
	ast.Inspect(fd.Body, func(m ast.Node) bool {
		as, ok := m.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			if !c.sameExpr(l, ch) {
				continue
			}
			n++
			call, ok := ast.Unparen(as.Rhs[i]).(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				continue
			}
			if fn, ok := typeutilCallee(c.info, call).(*types.Func); ok {
				if op, ok := etcdapi.Lookup(fn); (ok && op.Kind == etcdapi.Watch) || etcdapi.IsWatchLike(fn) {
					out = call
				}
			}
		}
		return true
	})
	if n != 1 {
		return nil
	}
	return out
}

// endsWhileLive reports whether etcd can end the watch opened by call while
// its context is live (see rule 2 of doc.go): an option WithRev(r) with r
// not a constant 0 (ErrCompacted), or a context that is or derives from
// clientv3.WithRequireLeader (ErrNoLeader).
func (c *checker) endsWhileLive(fd *ast.FuncDecl, call *ast.CallExpr) bool {
	for _, a := range call.Args {
		opt, ok := ast.Unparen(a).(*ast.CallExpr)
		if !ok || len(opt.Args) != 1 {
			continue
		}
		if fn, ok := typeutilCallee(c.info, opt).(*types.Func); ok && etcdapi.IsWithRev(fn) {
			if tv, ok := c.info.Types[opt.Args[0]]; !ok || tv.Value == nil || tv.Value.String() != "0" {
				return true
			}
		}
	}
	return c.requiresLeader(fd, call.Args[etcdapi.Arg("Watcher.Watch.ctx")], 0)
}

// requiresLeader reports whether the context e is, or derives by the
// assignments of fd from, clientv3.WithRequireLeader(...).
func (c *checker) requiresLeader(fd *ast.FuncDecl, e ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if fn, ok := typeutilCallee(c.info, x).(*types.Func); ok && etcdapi.IsWithRequireLeader(fn) {
			return true
		}
		return len(x.Args) > 0 && isContext(c.info.TypeOf(x.Args[0])) && c.requiresLeader(fd, x.Args[0], depth+1)
	case *ast.Ident:
		obj := c.info.ObjectOf(x)
		found := false
		ast.Inspect(fd.Body, func(m ast.Node) bool {
			as, ok := m.(*ast.AssignStmt)
			if found || !ok || len(as.Rhs) != 1 {
				return !found
			}
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && obj != nil && c.info.ObjectOf(id) == obj && c.requiresLeader(fd, as.Rhs[0], depth+1) {
					found = true
				}
			}
			return !found
		})
		return found
	}
	return false
}

// family returns the context variables e is, derives from, or is derived
// from by the assignments of fd (ctx2, cancel := context.WithCancel(ctx),
// clientv3.WithRequireLeader(ctx)).
func (c *checker) family(fd *ast.FuncDecl, e ast.Expr, depth int) map[types.Object]bool {
	out := map[types.Object]bool{}
	if depth > 8 {
		return out
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := c.info.ObjectOf(x)
		if obj == nil {
			return out
		}
		out[obj] = true
		ast.Inspect(fd.Body, func(m ast.Node) bool {
			as, ok := m.(*ast.AssignStmt)
			if !ok || len(as.Rhs) != 1 {
				return true
			}
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && c.info.ObjectOf(id) == obj {
					for o := range c.family(fd, as.Rhs[0], depth+1) {
						out[o] = true
					}
				}
			}
			return true
		})
	case *ast.CallExpr:
		if len(x.Args) > 0 && isContext(c.info.TypeOf(x.Args[0])) {
			return c.family(fd, x.Args[0], depth+1)
		}
	}
	return out
}

// caseRecv returns a select case that receives, and its receive (<-ch),
// whether the value is kept or not.
func caseRecv(cl ast.Stmt) (*ast.CommClause, *ast.UnaryExpr, bool) {
	cc, ok := cl.(*ast.CommClause)
	if !ok || cc.Comm == nil {
		return nil, nil, false
	}
	var e ast.Expr
	switch s := cc.Comm.(type) {
	case *ast.ExprStmt:
		e = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			e = s.Rhs[0]
		}
	}
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return nil, nil, false
	}
	return cc, u, true
}
