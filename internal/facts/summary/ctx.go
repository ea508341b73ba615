package summary

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// CtxClass is how long a context scoping a watch or keep-alive lives.
type CtxClass int

const (
	CtxUnknown   CtxClass = iota // something the analysis cannot see into
	CtxParam                     // the caller's
	CtxBounded                   // ended in the function (cancel used) or by a deadline
	CtxLongLived                 // a struct field, a global, the client's own context
	CtxForever                   // Background, TODO, WithoutCancel, or a cancel never used
)

// Ctx is what ClassifyCtx found of a context.
type Ctx struct {
	Class CtxClass
	// Desc names the context in messages ("context.Background()"); set for
	// CtxLongLived and CtxForever.
	Desc string
	// Param is the parameter the context comes from, for CtxParam.
	Param *ssa.Parameter
	// Ends are the calls that make the context end (a WithCancel whose
	// cancel is used, a WithTimeout), for CtxBounded.
	Ends []*ssa.Call
}

// maxCtxVisit bounds one walk over a context's origins.
const maxCtxVisit = 256

type ctxWalker struct {
	seen    map[ssa.Value]bool
	origins []Ctx
}

// ClassifyCtx classifies the context v. A context with several origins (a
// phi) is as safe as its safest origin: an unknown, a parameter or a bounded
// origin wins over a long-lived one, which wins over one that never ends.
func ClassifyCtx(v ssa.Value) Ctx {
	if v == nil {
		return Ctx{}
	}
	w := &ctxWalker{seen: map[ssa.Value]bool{}}
	w.walk(v)
	if len(w.origins) == 0 {
		return Ctx{}
	}
	var out Ctx
	found := false
	for _, o := range w.origins {
		if o.Class != CtxLongLived && o.Class != CtxForever {
			if !found {
				out, found = o, true
			} else if o.Class == CtxBounded && out.Class == CtxBounded {
				out.Ends = append(out.Ends, o.Ends...)
			}
		}
	}
	if found {
		return out
	}
	for _, o := range w.origins {
		if o.Class == CtxLongLived {
			return o
		}
	}
	return w.origins[0]
}

func (w *ctxWalker) add(cl CtxClass, desc string) {
	w.origins = append(w.origins, Ctx{Class: cl, Desc: desc})
}

func (w *ctxWalker) walk(v ssa.Value) {
	if v == nil || w.seen[v] {
		return
	}
	if len(w.seen) > maxCtxVisit {
		w.add(CtxUnknown, "")
		return
	}
	w.seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		// a nil context: no origin
	case *ssa.Phi:
		for _, e := range v.Edges {
			w.walk(e)
		}
	case *ssa.MakeInterface:
		w.walk(v.X)
	case *ssa.ChangeInterface:
		w.walk(v.X)
	case *ssa.ChangeType:
		w.walk(v.X)
	case *ssa.TypeAssert:
		w.walk(v.X)
	case *ssa.Parameter:
		w.origins = append(w.origins, Ctx{Class: CtxParam, Param: v})
	case *ssa.FreeVar:
		if b := dataflow.Binding(v); b != nil {
			w.walk(b)
		} else {
			w.add(CtxUnknown, "")
		}
	case *ssa.UnOp:
		if v.Op != token.MUL {
			w.add(CtxUnknown, "")
			return
		}
		w.load(v.X)
	case *ssa.Field:
		w.add(CtxLongLived, "a long-lived context held in a struct field")
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			w.call(call)
		} else {
			w.add(CtxUnknown, "")
		}
	case *ssa.Call:
		w.call(v)
	default:
		w.add(CtxUnknown, "")
	}
}

// load classifies a context read from memory.
func (w *ctxWalker) load(addr ssa.Value) {
	switch addr := addr.(type) {
	case *ssa.Alloc:
		w.stores(addr)
	case *ssa.FreeVar:
		if b := dataflow.Binding(addr); b != nil {
			if a, ok := b.(*ssa.Alloc); ok {
				w.stores(a)
				return
			}
		}
		w.add(CtxUnknown, "")
	case *ssa.FieldAddr:
		w.add(CtxLongLived, "a long-lived context held in a struct field")
	case *ssa.Global:
		w.add(CtxLongLived, "a long-lived context held in a package variable")
	default:
		w.add(CtxUnknown, "")
	}
}

// stores classifies every value written into a local variable.
func (w *ctxWalker) stores(a *ssa.Alloc) {
	if w.seen[a] {
		return
	}
	w.seen[a] = true
	refs := a.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == a {
				w.walk(r.Val)
			} else {
				w.add(CtxUnknown, "")
			}
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			// A literal may assign the variable through its free variable.
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				w.add(CtxUnknown, "")
				continue
			}
			for i, b := range r.Bindings {
				if b != a || i >= len(fn.FreeVars) || fn.FreeVars[i].Referrers() == nil {
					continue
				}
				for _, u := range *fn.FreeVars[i].Referrers() {
					if st, ok := u.(*ssa.Store); ok && st.Addr == fn.FreeVars[i] {
						w.walk(st.Val)
					}
				}
			}
		default:
			w.add(CtxUnknown, "") // &ctx handed to other code
		}
	}
}

func (w *ctxWalker) call(call *ssa.Call) {
	fn := dataflow.Callee(&call.Call)
	if fn == nil || fn.Pkg() == nil {
		w.add(CtxUnknown, "")
		return
	}
	if fn.Pkg().Path() == "context" && fn.Signature().Recv() == nil {
		switch fn.Name() {
		case "Background", "TODO":
			w.add(CtxForever, "context."+fn.Name()+"()")
		case "WithoutCancel":
			w.add(CtxForever, "context.WithoutCancel(...)")
		case "WithValue":
			w.walk(dataflow.Arg(&call.Call, 0))
		case "WithCancel", "WithCancelCause":
			if cancelUsed(call) {
				w.origins = append(w.origins, Ctx{Class: CtxBounded, Ends: []*ssa.Call{call}})
				return
			}
			// A context whose cancel is never used lives as long as its parent.
			before := len(w.origins)
			w.walk(dataflow.Arg(&call.Call, 0))
			for i := before; i < len(w.origins); i++ {
				if w.origins[i].Class == CtxForever {
					w.origins[i].Desc = "a context from context." + fn.Name() + " whose cancel func is never used"
				}
			}
		case "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause":
			w.origins = append(w.origins, Ctx{Class: CtxBounded, Ends: []*ssa.Call{call}})
		default:
			w.add(CtxUnknown, "")
		}
		return
	}
	if etcdapi.IsClientCtx(fn) {
		w.add(CtxLongLived, "the client's own context (Client.Ctx, ended only by Close)")
		return
	}
	if i, ok := etcdapi.DerivedCtx(fn); ok {
		w.walk(dataflow.Arg(&call.Call, i))
		return
	}
	w.add(CtxUnknown, "")
}

// cancelUsed reports whether the cancel func that call (a WithCancel)
// returns is used at all: called, deferred, stored or passed on.
func cancelUsed(call *ssa.Call) bool {
	refs := call.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		e, ok := r.(*ssa.Extract)
		if !ok || e.Index != 1 || e.Referrers() == nil {
			continue
		}
		for _, u := range *e.Referrers() {
			if _, ok := u.(*ssa.DebugRef); !ok {
				return true
			}
		}
	}
	return false
}
