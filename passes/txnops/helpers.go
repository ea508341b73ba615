package txnops

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/report"
)

// helperSite is a Txn list that grows with the parameters of fn: a helper
// that commits one operation per element of what its caller passes. It is
// judged at fn's calls.
type helperSite struct {
	call ssa.CallInstruction // the Txn list call, or the call of another package's helper
	s    listSite            // the list (Txn site)
	via  *types.Func         // another package's helper called at call (via site)
	n    count               // what the list grows with, in fn
	fn   *ssa.Function
	// params are fn's parameters the list grows with.
	params []int
	// chain is the calls that passed the collection down to the site.
	chain []analysis.RelatedInformation
	depth int
}

// maxChain bounds how many callers up a helper's list is followed.
const maxChain = 4

// otherHelper checks a call, in fn, of another package's helper whose
// fact says its Txn list grows with parameter q (OpsFrom): the call is
// reported when it passes a collection nothing bounds or chunks above the
// limit; when it passes fn's own parameter, fn is judged at its callers.
func (c *checker) otherHelper(fn *ssa.Function, call ssa.CallInstruction) (*report.Diagnostic, *helperSite) {
	callee := dataflow.Callee(call.Common())
	if callee == nil || c.pkg == nil || callee.Pkg() == c.pkg.Pkg {
		return nil, nil
	}
	f := c.factFor(call.Common())
	if f == nil {
		return nil, nil
	}
	k := c.counter(fn)
	for _, q := range f.OpsFrom {
		a := k.sizeOf(dataflow.Arg(call.Common(), q))
		if a.kind == unbounded && a.fromFn != nil {
			return nil, &helperSite{call: call, via: callee, n: a, fn: a.fromFn, params: a.from}
		}
		if how, ok := passes(a); ok {
			d := report.Diagnostic{
				Pos: call.Pos(),
				Message: message(fmt.Sprintf("this call passes %s to %s, which commits one Txn with an entry per element",
					how, dataflow.FuncName(callee))),
				Category: categoryOf(a),
				Related:  []analysis.RelatedInformation{report.Related(callee.Pos(), "%s builds the list here", dataflow.FuncName(callee))},
			}
			if a.loop.IsValid() {
				d.Related = append(d.Related, report.Related(a.loop, "the loop that grows the collection"))
			}
			return &d, nil
		}
	}
	return nil, nil
}

// passes describes what a caller passes for a helper's collection, when
// that is too long: a collection nothing bounds, or chunks above the limit.
func passes(a count) (string, bool) {
	switch {
	case a.kind == unbounded && a.coll != "" && a.via != nil:
		return fmt.Sprintf("a collection that grows with every element of %s (built by %s)", a.coll, dataflow.FuncName(a.via)), true
	case a.kind == unbounded && a.coll != "":
		return "a collection that grows with every element of " + a.coll, true
	case a.kind == unbounded:
		return "a collection nothing bounds", true
	case (a.kind == chunked || a.kind == exact) && a.n > int64(maxOps):
		return fmt.Sprintf("chunks of up to %d elements", a.n), true
	}
	return "", false
}

// judgeAtCallers reports the helper sites that some caller, in this
// package, feeds with a collection nothing bounds (or with chunks above
// the limit): at the site, with the calls as related information. A site
// whose every caller passes a bounded chunk, or that has no caller here,
// is not reported; another package's call is judged there, through the
// OpsFrom fact.
func (c *checker) judgeAtCallers(funcs []*ssa.Function, sites []*helperSite) []report.Diagnostic {
	if len(sites) == 0 {
		return nil
	}
	callers := map[*ssa.Function][]ssa.CallInstruction{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					if callee := call.Common().StaticCallee(); callee != nil {
						if o := callee.Origin(); o != nil {
							callee = o
						}
						callers[callee] = append(callers[callee], call)
					}
				}
			}
		}
	}
	type found struct {
		site    *helperSite
		how     string
		cat     string
		related []analysis.RelatedInformation
	}
	byPos := map[token.Pos]map[string]*found{}
	var order []*found
	seen := map[[3]any]bool{}
	queue := append([]*helperSite(nil), sites...)
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		key := [3]any{h.call, h.s.list, h.fn}
		if seen[key] {
			continue
		}
		seen[key] = true
		for _, call := range callers[h.fn] {
			caller := call.Parent()
			c.rep.Guard(call.Pos(), "call of "+h.fn.Name(), func() {
				k := c.counter(caller)
				for _, p := range h.params {
					a := k.sizeOf(argOf(call.Common(), p))
					if a.kind == unbounded && a.fromFn != nil {
						if h.depth < maxChain {
							chain := append(append([]analysis.RelatedInformation(nil), h.chain...),
								report.Related(call.Pos(), "%s passes its %s on here", ssaName(caller), a.coll))
							queue = append(queue, &helperSite{call: h.call, s: h.s, via: h.via, n: h.n,
								fn: a.fromFn, params: a.from, chain: chain, depth: h.depth + 1})
						}
						continue
					}
					how, ok := passes(a)
					if !ok {
						continue
					}
					lists := byPos[h.call.Pos()]
					if lists == nil {
						lists = map[string]*found{}
						byPos[h.call.Pos()] = lists
					}
					fd := lists[h.s.list]
					if fd == nil {
						fd = &found{site: h, how: ssaName(caller) + " passes " + how, cat: categoryOf(a), related: h.chain}
						lists[h.s.list] = fd
						order = append(order, fd)
					}
					fd.related = append(fd.related, report.Related(call.Pos(), "%s calls it here", ssaName(caller)))
					if a.loop.IsValid() {
						fd.related = append(fd.related, report.Related(a.loop, "the loop that grows the collection"))
					}
				}
			})
		}
	}
	var out []report.Diagnostic
	for _, fd := range order {
		h := fd.site
		var how string
		coll := h.n.coll
		if h.n.via != nil {
			coll += " (built by " + dataflow.FuncName(h.n.via) + ")"
		}
		if h.via != nil {
			how = fmt.Sprintf("the list this call commits through %s grows with every element of %s, and %s",
				dataflow.FuncName(h.via), coll, fd.how)
		} else {
			how = fmt.Sprintf("%s grows with every element of %s, and %s", listName(h.s), coll, fd.how)
		}
		related := fd.related
		if h.n.loop.IsValid() {
			related = append([]analysis.RelatedInformation{report.Related(h.n.loop, "the loop that grows the list")}, related...)
		}
		sort.SliceStable(related, func(i, j int) bool { return related[i].Pos < related[j].Pos })
		pos := h.call.Pos()
		if !pos.IsValid() && h.s.arg != nil {
			pos = h.s.arg.Pos()
		}
		out = append(out, report.Diagnostic{Pos: pos, Message: message(how), Category: fd.cat, Related: related})
	}
	return out
}

// argOf is the argument of call for parameter p of its static callee
// (-1 the receiver), a method, a function or a function literal.
func argOf(call *ssa.CallCommon, p int) ssa.Value {
	if _, ok := call.Value.(*ssa.MakeClosure); ok {
		if p >= 0 && p < len(call.Args) {
			return call.Args[p]
		}
		return nil
	}
	return dataflow.Arg(call, p)
}

// listName is how a message names a Txn list.
func listName(s listSite) string {
	if s.via != nil {
		return "the list this call commits through " + dataflow.FuncName(s.via)
	}
	if !s.txn {
		return "the " + s.list + " list of this OpTxn"
	}
	return "the " + s.list + " list of this Txn"
}

// ssaName names a function for a message: Type.Method, pkg.Func, or the
// function literal's enclosing function.
func ssaName(fn *ssa.Function) string {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return strings.TrimPrefix(dataflow.FuncName(obj), obj.Pkg().Name()+".")
	}
	return fn.Name()
}
