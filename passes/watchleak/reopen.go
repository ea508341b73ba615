package watchleak

import (
	"fmt"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// checkReopened reports a keep-alive drained until its channel closes and
// then opened again by the loop around it on the same lease, with nothing
// on the way back that learns whether the lease is gone.
//
// The channel of Lease.KeepAlive closes when its context ends and when the
// lease is gone: a response with TTL <= 0 (expired, revoked), or no
// response before the lease's deadline (client/v3/lease.go recvKeepAlive,
// deadlineLoop). A loop that re-opens the keep-alive on the same lease
// cannot tell the two apart: once the lease has expired every new channel
// closes after one round trip and the loop asks etcd again, for as long as
// it runs, while the keys attached to the lease are gone.
func (c *Checker) checkReopened(o opening, f *fate) {
	if o.kind != etcdapi.ResKeepAlive {
		return
	}
	loop := c.iteration(o)
	if loop == nil {
		return
	}
	id := leaseArg(o)
	if id == nil || dataflow.Varies(loop, []ssa.Value{id}, heldStill) {
		return
	}
	for _, p := range c.closedPoints(o, f, loop) {
		if c.comesRound(o, f, loop, p, leaseIDKey(id)) {
			c.reportReopened(o, f, loop)
			return
		}
	}
}

// point is a place in a block: the instructions of blk from index i on.
type point struct {
	blk *ssa.BasicBlock
	i   int
}

// closedPoints returns where, in loop, the keep-alive's channel has been
// found closed: the blocks entered when a receive reports it closed (a
// range over it ends), and the instruction after a call of a function
// that drains it (its summary releases the channel).
func (c *Checker) closedPoints(o opening, f *fate, loop *dataflow.Loop) []point {
	fn := o.call.Parent()
	var out []point
	for _, b := range closedSuccs(fn, f) {
		if loop.Contains(b) {
			out = append(out, point{b, 0})
		}
	}
	for _, b := range fn.Blocks {
		if !loop.Contains(b) {
			continue
		}
		for i, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if ok && c.drainsArg(&call.Call, f) {
				out = append(out, point{b, i + 1})
			}
		}
	}
	return out
}

// drainsArg reports whether the call, a function of the application, is
// given the channel at a position its summary releases (drains).
func (c *Checker) drainsArg(common *ssa.CallCommon, f *fate) bool {
	callee := dataflow.Callee(common)
	if callee != nil && callee.Pkg() != nil && etcdapi.IsEtcdModule(callee.Pkg().Path()) {
		return false
	}
	var positions []int
	for i := -1; i < len(common.Args); i++ {
		if a := dataflow.Arg(common, i); a != nil && f.vals[a] {
			positions = append(positions, i)
		}
	}
	if len(positions) == 0 {
		return false
	}
	for _, ce := range c.res.Callees(common) {
		for _, p := range positions {
			for _, rel := range ce.Sum.Releases {
				if rel == p {
					return true
				}
			}
		}
	}
	return false
}

// leaseArg returns the lease ID a keep-alive is opened for: the argument
// of Lease.KeepAlive, or the one lease ID a helper returning a keep-alive
// is given.
func leaseArg(o opening) ssa.Value {
	if o.op != nil {
		return dataflow.Arg(&o.call.Call, etcdapi.LeaseIDArg)
	}
	var id ssa.Value
	for _, a := range o.call.Call.Args {
		if _, area, name := etcdapi.NamedType(a.Type()); area == etcdapi.AreaClient && name == "LeaseID" {
			if id != nil {
				return nil
			}
			id = a
		}
	}
	return id
}

// heldStill reports whether a load from addr in a loop sees the same value
// on every iteration unless the loop itself stores to it: a captured
// variable, or a field of one of etcd's responses (a LeaseGrantResponse's
// ID), which the application reads and does not write.
func heldStill(addr ssa.Value) bool {
	switch a := addr.(type) {
	case *ssa.FreeVar:
		return true
	case *ssa.FieldAddr:
		_, area, _ := etcdapi.NamedType(a.X.Type())
		return area != etcdapi.AreaNone
	}
	return false
}

// comesRound reports whether control goes from the block where the
// channel is found closed back to the keep-alive's opening without leaving
// loop and without learning anything of the lease: no call that is given
// the lease's ID (KeepAliveOnce, TimeToLive, Revoke, a function of the
// application), no Grant, no branch on a response received from the
// channel.
func (c *Checker) comesRound(o opening, f *fate, loop *dataflow.Loop, from point, id idKey) bool {
	open := o.call.Block()
	if learns(from.blk.Instrs[from.i:], o.call, f, id) {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	queue := append([]*ssa.BasicBlock(nil), from.blk.Succs...)
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if !loop.Contains(b) || seen[b] {
			continue
		}
		seen[b] = true
		if learns(b.Instrs, o.call, f, id) {
			continue
		}
		if b == open {
			return true
		}
		queue = append(queue, b.Succs...)
	}
	return false
}

// learns reports whether instrs, up to the keep-alive call open (when they
// hold it), ask about the lease or branch on what the channel delivered.
func learns(instrs []ssa.Instruction, open *ssa.Call, f *fate, id idKey) bool {
	for _, instr := range instrs {
		if instr == open {
			return false
		}
		switch x := instr.(type) {
		case ssa.CallInstruction:
			common := x.Common()
			if etcdapi.IsGrant(dataflow.Callee(common)) {
				return true
			}
			for _, a := range common.Args {
				if leaseIDKey(a) == id {
					return true
				}
			}
		case *ssa.If:
			if onResponse(x.Cond, f) {
				return true
			}
		}
	}
	return false
}

// onResponse reports whether cond is computed from a value received from
// the channel (a last response kept in a variable, compared with nil).
func onResponse(cond ssa.Value, f *fate) bool {
	found := false
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if v == nil || found || seen[v] || len(seen) > maxBase {
			return
		}
		seen[v] = true
		if isRecvValue(v, f) {
			found = true
			return
		}
		switch x := v.(type) {
		case *ssa.BinOp:
			walk(x.X)
			walk(x.Y)
		case *ssa.UnOp:
			walk(x.X)
		case *ssa.Phi:
			for _, e := range x.Edges {
				walk(e)
			}
		case *ssa.FieldAddr:
			walk(x.X)
		case *ssa.Field:
			walk(x.X)
		case *ssa.Alloc:
			if refs := x.Referrers(); refs != nil {
				for _, r := range *refs {
					if st, ok := r.(*ssa.Store); ok && st.Addr == x {
						walk(st.Val)
					}
				}
			}
		}
	}
	walk(cond)
	return found
}

func (c *Checker) reportReopened(o opening, f *fate, loop *dataflow.Loop) {
	msg := fmt.Sprintf("keep-alive from %s is opened again on the same lease every time its channel closes: "+
		"the channel closes when its context ends and when the lease is gone (etcd answers TTL <= 0, or no answer "+
		"comes before the lease's deadline), and nothing in the loop tells the two apart; once the lease has "+
		"expired each new keep-alive is sent within %d ms and closed by the answer, so the loop asks etcd to renew "+
		"a lease that no longer exists, about %d times a second for as long as it runs, while the keys attached to "+
		"it (a lock, a registration) are gone; renew with KeepAliveOnce and stop on its error (ErrLeaseNotFound), "+
		"or leave the loop when the channel closes and grant a new lease",
		o.name, etcdapi.KeepAliveSendWaitMillis, 1000/etcdapi.KeepAliveSendWaitMillis)
	d := c.diag(o, msg, categoryOf(o.kind))
	for _, r := range f.drains {
		if loop.Contains(r.Block()) && r.Pos().IsValid() {
			d.Related = append(d.Related, report.Related(r.Pos(), "received from until it closes, then the loop comes round"))
			break
		}
	}
	c.Reporter.Report(d)
}
