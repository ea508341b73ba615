package watchleak

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// ctxClass is how long a context scoping a watch or keep-alive lives.
type ctxClass int

const (
	ctxUnknown   ctxClass = iota // something the pass cannot see into
	ctxParam                     // the caller's: the caller ends it
	ctxBounded                   // ended here (cancel used) or by a deadline
	ctxLongLived                 // a struct field, a global, the client's own context
	ctxForever                   // Background, TODO, WithoutCancel, or a cancel never used
)

// maxCtxVisit bounds one walk over a context's origins.
const maxCtxVisit = 256

type ctxWalker struct {
	seen    map[ssa.Value]bool
	classes []ctxClass
	descs   []string
}

// ctxClass classifies the context v, with a description for messages. A
// context with several origins (a phi) is as safe as its safest origin.
func (c *Checker) ctxClass(v ssa.Value) (ctxClass, string) {
	if v == nil {
		return ctxUnknown, ""
	}
	w := &ctxWalker{seen: map[ssa.Value]bool{}}
	w.walk(v)
	if len(w.classes) == 0 {
		return ctxUnknown, ""
	}
	for _, cl := range w.classes {
		if cl != ctxLongLived && cl != ctxForever {
			return cl, ""
		}
	}
	for i, cl := range w.classes {
		if cl == ctxLongLived {
			return cl, w.descs[i]
		}
	}
	return ctxForever, w.descs[0]
}

func (w *ctxWalker) add(cl ctxClass, desc string) {
	w.classes = append(w.classes, cl)
	w.descs = append(w.descs, desc)
}

func (w *ctxWalker) walk(v ssa.Value) {
	if v == nil || w.seen[v] {
		return
	}
	if len(w.seen) > maxCtxVisit {
		w.add(ctxUnknown, "")
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
		w.add(ctxParam, "")
	case *ssa.FreeVar:
		if b := dataflow.Binding(v); b != nil {
			w.walk(b)
		} else {
			w.add(ctxUnknown, "")
		}
	case *ssa.UnOp:
		if v.Op != token.MUL {
			w.add(ctxUnknown, "")
			return
		}
		w.load(v.X)
	case *ssa.Field:
		w.add(ctxLongLived, "a long-lived context held in a struct field")
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			w.call(call)
		} else {
			w.add(ctxUnknown, "")
		}
	case *ssa.Call:
		w.call(v)
	default:
		w.add(ctxUnknown, "")
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
		w.add(ctxUnknown, "")
	case *ssa.FieldAddr:
		w.add(ctxLongLived, "a long-lived context held in a struct field")
	case *ssa.Global:
		w.add(ctxLongLived, "a long-lived context held in a package variable")
	default:
		w.add(ctxUnknown, "")
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
				w.add(ctxUnknown, "")
			}
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			// A literal may assign the variable through its free variable.
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				w.add(ctxUnknown, "")
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
			w.add(ctxUnknown, "") // &ctx handed to other code
		}
	}
}

func (w *ctxWalker) call(call *ssa.Call) {
	fn := dataflow.Callee(&call.Call)
	if fn == nil || fn.Pkg() == nil {
		w.add(ctxUnknown, "")
		return
	}
	if fn.Pkg().Path() == "context" && fn.Signature().Recv() == nil {
		switch fn.Name() {
		case "Background", "TODO":
			w.add(ctxForever, "context."+fn.Name()+"()")
		case "WithoutCancel":
			w.add(ctxForever, "context.WithoutCancel(...)")
		case "WithValue":
			w.walk(dataflow.Arg(&call.Call, 0))
		case "WithCancel", "WithCancelCause":
			if cancelUsed(call) {
				w.add(ctxBounded, "")
				return
			}
			// A context whose cancel is never used lives as long as its parent.
			before := len(w.classes)
			w.walk(dataflow.Arg(&call.Call, 0))
			for i := before; i < len(w.classes); i++ {
				if w.classes[i] == ctxForever {
					w.descs[i] = "a context from context." + fn.Name() + " whose cancel func is never used"
				}
			}
		case "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause":
			w.add(ctxBounded, "")
		default:
			w.add(ctxUnknown, "")
		}
		return
	}
	if etcdapi.IsClientCtx(fn) {
		w.add(ctxLongLived, "the client's own context (Client.Ctx, ended only by Close)")
		return
	}
	if i, ok := etcdapi.DerivedCtx(fn); ok {
		w.walk(dataflow.Arg(&call.Call, i))
		return
	}
	w.add(ctxUnknown, "")
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
