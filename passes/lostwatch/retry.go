package lostwatch

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// checkRetries reports the loops of fn that re-open a watch each time it
// ends without a pause, or from a revision that never advances.
func (c *checker) checkRetries(fn *ssa.Function) {
	loops := c.loopsOf(fn)
	reported := map[*dataflow.Loop]bool{}
	for _, s := range c.sites(fn) {
		b := s.call.Block()
		encl := dataflow.Enclosing(loops, b)
		if len(encl) == 0 {
			continue
		}
		l := encl[0]
		if reported[l] || !c.attempt(fn, s, l) || !c.retryLoop(l) {
			continue
		}
		noPause := c.cycleWithoutPause(l, s.call)
		sameRev := len(s.revs) > 0 && !dataflow.Varies(l, s.revs, nil) && !mentionsCompaction(l)
		if !noPause && !sameRev {
			continue
		}
		reported[l] = true
		var msg string
		switch {
		case noPause && sameRev:
			msg = "this loop re-opens the watch from the same revision as soon as it ends, without a pause: once that revision is compacted every attempt is cancelled at once with ErrCompacted and the loop spins against etcd forever; on ErrCompacted reload with a fresh Get (or resume from CompactRevision), advance the revision past the events applied, and back off between attempts"
		case noPause:
			msg = "this loop re-opens the watch as soon as it ends, without a pause: while etcd keeps cancelling it (no leader, permission denied, compaction) the loop hammers the server with Watch requests and burns a core; wait between attempts (a backoff's Wait, a timer or time.Sleep of at least 1ms, in a select with ctx.Done())"
		default:
			msg = "this loop re-opens the watch from a revision that never advances: once that revision is compacted every attempt is cancelled with ErrCompacted and the watch never recovers; on ErrCompacted reload with a fresh Get (or resume from CompactRevision) and advance the revision past the events applied"
		}
		related := []analysis.RelatedInformation{}
		if p := dataflow.LoopStmt(c.files, l); p.IsValid() {
			related = append(related, report.Related(p, "the retry loop"))
		}
		c.rep.Report(report.Diagnostic{Pos: s.call.Pos(), Message: msg, Category: "lostwatch", Related: related})
	}
}

// attempt reports whether s, in loop l, is an attempt to follow a watch
// to its end: a call of a function that does (until), or a watch whose
// channel a loop nested in l reads until it ends, opened on every
// iteration of l.
func (c *checker) attempt(fn *ssa.Function, s site, l *dataflow.Loop) bool {
	if s.until {
		return true
	}
	if !s.ch {
		return false
	}
	b := s.call.Block()
	for _, pred := range l.Header.Preds {
		if l.Contains(pred) && !b.Dominates(pred) {
			return false // opened on some iterations only
		}
	}
	loops := c.loopsOf(fn)
	for _, rcv := range c.receives(fn, s) {
		if rcv.fn != fn || !l.Contains(rcv.block) || len(rcv.ends) == 0 {
			continue
		}
		if in := dataflow.Enclosing(loops, rcv.block); len(in) > 0 && in[0] != l {
			return true
		}
	}
	return false
}

// retryLoop reports whether l is a loop that runs until something leaves
// it (for {}, for cond {}), not a range or a counted loop.
func (c *checker) retryLoop(l *dataflow.Loop) bool {
	p := dataflow.LoopStmt(c.files, l)
	if !p.IsValid() {
		return true
	}
	var stmt ast.Node
	for _, f := range c.files {
		if f.FileStart > p || p > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil || stmt != nil {
				return false
			}
			if n.Pos() == p {
				switch n.(type) {
				case *ast.ForStmt, *ast.RangeStmt:
					stmt = n
					return false
				}
			}
			return n.Pos() <= p && p < n.End()
		})
	}
	f, ok := stmt.(*ast.ForStmt)
	return ok && f.Post == nil
}

// cycleWithoutPause reports whether l can run from call back to call
// without a pause.
func (c *checker) cycleWithoutPause(l *dataflow.Loop, call ssa.CallInstruction) bool {
	start := call.Block()
	idx := -1
	for i, instr := range start.Instrs {
		if instr == call {
			idx = i
		}
	}
	for _, instr := range start.Instrs[idx+1:] {
		if c.pauses(instr) {
			return false
		}
	}
	for _, instr := range start.Instrs[:max(idx, 0)] {
		if c.pauses(instr) {
			return false
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), start.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == start {
			return true
		}
		if seen[b] || !l.Contains(b) || c.pausing(b) {
			continue
		}
		seen[b] = true
		work = append(work, b.Succs...)
	}
	return false
}

// mentionsCompaction reports whether l tells compaction apart: it refers
// to etcd's ErrCompacted or to a response's CompactRevision.
func mentionsCompaction(l *dataflow.Loop) bool {
	for b := range l.Body {
		for _, instr := range b.Instrs {
			for _, op := range instr.Operands(nil) {
				if op == nil {
					continue
				}
				if g, ok := (*op).(*ssa.Global); ok && etcdapi.IsCompactedErr(g.Object()) {
					return true
				}
			}
			switch x := instr.(type) {
			case *ssa.FieldAddr:
				if compactField(x.X.Type(), x.Field) {
					return true
				}
			case *ssa.Field:
				if compactField(x.X.Type(), x.Field) {
					return true
				}
			}
		}
	}
	return false
}
