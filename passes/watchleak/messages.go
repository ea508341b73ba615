package watchleak

// The diagnostics of the pass: what leaks, what it costs, what to do.

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/report"
)

func (c *Checker) reportClosable(o opening, v ssa.Value) {
	var msg string
	switch o.kind {
	case etcdapi.ResWatcher:
		msg = fmt.Sprintf("watcher from %s is never closed and not handed off: its watch streams and goroutines stay open, "+
			"and every watch on it keeps buffering events; call Close when done", o.name)
	case etcdapi.ResSession:
		msg = fmt.Sprintf("session from %s is never closed and not handed off: it holds an etcd lease (TTL %d s unless WithTTL) "+
			"that a goroutine keeps renewing, so the lease and every key attached to it outlive their use; call Close when done",
			o.name, etcdapi.SessionDefaultTTL)
	case etcdapi.ResClient:
		msg = fmt.Sprintf("etcd client from %s is never closed and not handed off: each call leaks a gRPC connection "+
			"and the client's goroutines (etcd: \"If the client is not closed, the connection will have leaky goroutines\"); "+
			"call Close when done", o.name)
	}
	d := c.diag(o, msg, categoryOf(o.kind))
	if ret := c.abandoningReturn(o); ret.IsValid() {
		d.Related = append(d.Related, report.Related(ret, "returns here without closing it"))
	}
	if fix, ok := c.fix(o, v); ok {
		d.Fixes = []analysis.SuggestedFix{fix}
	}
	c.Reporter.Report(d)
}

func (c *Checker) reportChannel(o opening, f *fate, ctx summary.Ctx, inLoop bool) {
	ctxDesc := ctx.Desc
	var msg string
	switch o.kind {
	case etcdapi.ResWatchChan:
		switch {
		case inLoop:
			msg = fmt.Sprintf("watch opened by %s on %s in a loop is never cancelled: every iteration opens another watch "+
				"and the earlier ones stay open on the server, the client buffering every event for each without bound "+
				"(etcd-io/etcd#9103); cancel each watch's context before opening the next", o.name, ctxDesc)
		case len(f.recvs) > 0:
			msg = fmt.Sprintf("watch opened by %s on %s is read once and then abandoned without being cancelled: "+
				"the watch stays open and the client buffers every later event for it without bound (etcd-io/etcd#9103); "+
				"cancel its context when done", o.name, ctxDesc)
		default:
			msg = fmt.Sprintf("watch opened by %s on %s is never cancelled and its channel is abandoned: "+
				"the watch stays open and the client buffers every event for it without bound (etcd-io/etcd#9103); "+
				"cancel its context when done", o.name, ctxDesc)
		}
	case etcdapi.ResKeepAlive:
		what := "is never received from"
		if len(f.recvs) > 0 {
			what = "is received from only once and then abandoned"
		}
		if inLoop {
			what += " in a loop"
		}
		msg = fmt.Sprintf("keep-alive channel from %s on %s %s: the client keeps renewing the lease and, once the "+
			"channel's %d-slot buffer is full, %s; drain it, e.g. in a goroutine with for range",
			o.name, ctxDesc, what, etcdapi.LeaseResponseChSize, dropped(o.era))
	}
	d := c.diag(o, msg, categoryOf(o.kind))
	for _, r := range f.recvs {
		if r.Pos().IsValid() {
			d.Related = append(d.Related, report.Related(r.Pos(), "received once here"))
			break
		}
	}
	if !inLoop {
		if ret := c.abandoningReturn(o); ret.IsValid() {
			d.Related = append(d.Related, report.Related(ret, "returns here and abandons the channel"))
		}
	}
	c.Reporter.Report(d)
}

// dropped says what a client of era e does with keep-alive responses once
// the channel is full.
func dropped(e etcdapi.Era) string {
	if !etcdapi.KeepAliveWarns(e) {
		return "drops every response silently (wasted work, not lease expiry)"
	}
	return fmt.Sprintf("drops every response and logs %q at warning level on each renewal "+
		"(log spam and wasted work, not lease expiry)", etcdapi.KeepAliveFullWarning)
}

// reportAbandoned reports a watch or keep-alive that a receive loop leaves
// behind.
func (c *Checker) reportAbandoned(o opening, ctx summary.Ctx, e exit) {
	var msg, rel string
	switch {
	case e.kind == exitStop && ctx.Class == summary.CtxParam:
		msg = fmt.Sprintf("watch opened by %s on %s is abandoned when the loop stops on another context's Done: "+
			"the function does not cancel the watch's own context, so the watch stays open on the server and the client "+
			"buffers every later event for it without bound (etcd-io/etcd#9103); open the watch on a context derived "+
			"from the one that stops the loop", o.name, ctx.Desc)
		rel = "stops here; the watch's context is not cancelled"
	default:
		msg = fmt.Sprintf("watch opened by %s on %s is abandoned when the loop receiving from it is left: "+
			"it is never cancelled, so the watch stays open on the server and the client buffers every later event "+
			"for it without bound (etcd-io/etcd#9103); cancel its context when leaving the loop", o.name, ctx.Desc)
		rel = "leaves the loop here"
	}
	d := c.diag(o, msg, categoryOf(o.kind))
	if e.pos.IsValid() {
		d.Related = append(d.Related, report.Related(e.pos, "%s", rel))
	}
	c.Reporter.Report(d)
}

// reportForever reports, at its go statement, a goroutine that drains a
// watch that is never cancelled and so never ends.
func (c *Checker) reportForever(o opening, ctx summary.Ctx, gs *ssa.Go) {
	fn := outermost(gs.Parent())
	msg := fmt.Sprintf("goroutine receives from a watch opened by %s on %s until the watch closes, which it never does: "+
		"every call of %s leaves one more goroutine and one more watch open on the server (etcd-io/etcd#9103); "+
		"open the watch on a context that is cancelled when the work is done", o.name, ctx.Desc, fn.Name())
	d := report.Diagnostic{Pos: gs.Pos(), Message: msg, Category: "watch"}
	d.Related = append(d.Related, report.Related(o.call.Pos(), "watch opened here"))
	c.Reporter.Report(d)
}

// reportPath reports a Watcher, Session or Client released or handed off
// on some paths only: at the return that abandons it, or at its opening
// when a loop opens the next one first.
func (c *Checker) reportPath(o opening, l leak) {
	what, conseq := closableWords(o)
	if l.again {
		msg := fmt.Sprintf("%s from %s is opened on every iteration of a loop and not closed before the next iteration "+
			"opens another (a deferred Close runs only when the function returns): %s", what, o.name, conseq)
		c.Reporter.Report(c.diag(o, msg, categoryOf(o.kind)))
		return
	}
	line := c.Fset.Position(o.call.Pos()).Line
	msg := fmt.Sprintf("%s from %s (line %d) is neither closed nor handed off on this return path: %s",
		what, o.name, line, conseq)
	d := report.Diagnostic{Pos: l.ret, Message: msg, Category: categoryOf(o.kind)}
	d.Related = append(d.Related, report.Related(o.call.Pos(), "opened here"))
	c.Reporter.Report(d)
}

// closableWords names a Watcher, Session or Client and what leaks with it.
func closableWords(o opening) (string, string) {
	switch o.kind {
	case etcdapi.ResWatcher:
		return "watcher", "its watch streams and goroutines stay open; call Close on this path"
	case etcdapi.ResSession:
		return "session", fmt.Sprintf("its lease (TTL %d s unless WithTTL) is renewed by a goroutine until Close, "+
			"so the lease and every key attached to it outlive their use; call Close on this path", etcdapi.SessionDefaultTTL)
	}
	return "etcd client", "its gRPC connection and goroutines leak (etcd: \"If the client is not closed, the connection " +
		"will have leaky goroutines\"); call Close on this path"
}

func categoryOf(r etcdapi.Resource) string {
	switch r {
	case etcdapi.ResWatchChan:
		return "watch"
	case etcdapi.ResWatcher:
		return "watcher"
	case etcdapi.ResKeepAlive:
		return "keepalive"
	case etcdapi.ResSession:
		return "session"
	case etcdapi.ResClient:
		return "client"
	}
	return ""
}

// diag positions a diagnostic on the call expression that opens o.
func (c *Checker) diag(o opening, msg, category string) report.Diagnostic {
	d := report.Diagnostic{Pos: o.call.Pos(), Message: msg, Category: category}
	if ce := c.callExpr(o.call); ce != nil {
		d.Pos, d.End = ce.Pos(), ce.End()
	}
	return d
}

// callExpr finds the call expression of an SSA call (whose Pos is its Lparen).
func (c *Checker) callExpr(call *ssa.Call) *ast.CallExpr {
	path := c.pathTo(call.Pos())
	for _, n := range path {
		if ce, ok := n.(*ast.CallExpr); ok && ce.Lparen == call.Pos() {
			return ce
		}
	}
	return nil
}

func (c *Checker) pathTo(pos token.Pos) []ast.Node {
	if !pos.IsValid() {
		return nil
	}
	for _, f := range c.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, pos, pos)
			return path
		}
	}
	return nil
}
