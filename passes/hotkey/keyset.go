package hotkey

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

// A map whose every key is written is "the same on every run" of a region
// when the keys put into it are: fixed values, the keys or elements of a
// range over a map whose own key set is the same, or the elements a walk
// callback receives (a function literal passed to a method named Walk*,
// Range, ForEach* or Each*, which enumerates a collection the program holds),
// and values computed from those by calls of the application's own code or
// by standard-library transformations.

// maxUpdates bounds the map updates inspected for one map.
const maxUpdates = 256

// rangeMapOf returns the map a range loop enumerates when v is the key or
// the element of that range (Extract #1 or #2 of its Next).
func rangeMapOf(v ssa.Value) (ssa.Value, *ssa.Next, bool) {
	ex, ok := v.(*ssa.Extract)
	if !ok || (ex.Index != 1 && ex.Index != 2) {
		return nil, nil, false
	}
	next, ok := ex.Tuple.(*ssa.Next)
	if !ok || next.IsString {
		return nil, nil, false
	}
	rng, ok := next.Iter.(*ssa.Range)
	if !ok {
		return nil, nil, false
	}
	if _, ok := rng.X.Type().Underlying().(*types.Map); !ok {
		return nil, nil, false
	}
	return rng.X, next, true
}

// keySet reports whether the set of keys of the map m is the same on every
// run of fx's region. A map parameter of fx's function counts as the same
// and is recorded in fx.maps.
func (f *fixedness) keySet(m ssa.Value) bool {
	if m == nil {
		return false
	}
	if r, ok := f.setMemo[m]; ok {
		return r
	}
	f.steps++
	if f.setMemo == nil {
		f.setMemo = map[ssa.Value]bool{}
	}
	if f.steps > maxSteps {
		return false
	}
	f.setMemo[m] = false // while computing: a map built from itself
	r := f.computeKeySet(m)
	f.setMemo[m] = r
	return r
}

func (f *fixedness) computeKeySet(m ssa.Value) bool {
	if p, ok := m.(*ssa.Parameter); ok {
		if f.fn != nil {
			if i, ok := dataflow.ParamIndex(p, f.fn); ok {
				f.maps[i] = true
			}
		}
		return true
	}
	cells, makes := mapIdentity(m)
	if len(cells) == 0 && len(makes) == 0 {
		// A field or a global not replaced in the region, whose entries
		// the region does not delete (a drained set of dirty entries).
		// A map parameter it is filled from counts by its key set.
		saved := f.params
		f.params = map[int]bool{}
		ok := f.fixed(m)
		scratch := f.params
		f.params = saved
		for i := range scratch {
			if f.fn != nil && isMapParam(f.fn, i) {
				f.maps[i] = true
			} else if saved != nil {
				saved[i] = true
			}
		}
		return ok && !f.deletes(m.Type())
	}
	updates := 0
	ok := true
	visit := func(u *ssa.MapUpdate) {
		updates++
		if !ok || updates > maxUpdates {
			ok = false
			return
		}
		g := f
		if u.Block() == nil || !f.in(u.Block()) {
			cl := u.Parent()
			if cl == nil || !walkCallback(cl) {
				ok = false // filled by code that may run at any time
				return
			}
			g = newFixedness(cl, func(b *ssa.BasicBlock) bool { return b.Parent() == cl })
		}
		if fixed, el := g.enumFixed(u.Key, 0); !fixed || (!el && !g.fixed(u.Key)) {
			ok = false
		}
	}
	for _, mk := range makes {
		forUpdates(mk, visit)
	}
	for _, c := range cells {
		forCellLoads(c, func(load ssa.Value) { forUpdates(load, visit) })
	}
	return ok && updates > 0
}

// mapIdentity resolves m to the variables (Allocs) that hold it and the
// MakeMaps stored in them, or to the MakeMap itself.
func mapIdentity(m ssa.Value) (cells []*ssa.Alloc, makes []*ssa.MakeMap) {
	switch x := m.(type) {
	case *ssa.MakeMap:
		return nil, []*ssa.MakeMap{x}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil, nil
		}
		a := cellOf(x.X)
		if a == nil {
			return nil, nil
		}
		if refs := a.Referrers(); refs != nil {
			for _, r := range *refs {
				if st, ok := r.(*ssa.Store); ok && st.Addr == a {
					mk, ok := st.Val.(*ssa.MakeMap)
					if !ok {
						return nil, nil // holds a map from elsewhere
					}
					makes = append(makes, mk)
				}
			}
		}
		return []*ssa.Alloc{a}, makes
	}
	return nil, nil
}

// cellOf resolves a variable's address, through the free variables of
// closures, to its Alloc.
func cellOf(v ssa.Value) *ssa.Alloc {
	for range 8 {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.FreeVar:
			b := dataflow.Binding(x)
			if b == nil {
				return nil
			}
			v = b
		default:
			return nil
		}
	}
	return nil
}

// forCellLoads calls fn with every load of the variable a, in its function
// and in the closures that capture it.
func forCellLoads(a ssa.Value, fn func(ssa.Value)) {
	refs := a.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL {
				fn(r)
			}
		case *ssa.MakeClosure:
			cl, ok := r.Fn.(*ssa.Function)
			if !ok {
				continue
			}
			for i, b := range r.Bindings {
				if b == a && i < len(cl.FreeVars) {
					forCellLoads(cl.FreeVars[i], fn)
				}
			}
		}
	}
}

// forCellStores calls fn with every value stored into the variable a, in
// its function and in the closures that capture it (a result assigned
// inside a goroutine the function waits for).
func forCellStores(a ssa.Value, fn func(ssa.Value)) {
	refs := a.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == a {
				fn(r.Val)
			}
		case *ssa.MakeClosure:
			cl, ok := r.Fn.(*ssa.Function)
			if !ok {
				continue
			}
			for i, b := range r.Bindings {
				if b == a && i < len(cl.FreeVars) {
					forCellStores(cl.FreeVars[i], fn)
				}
			}
		}
	}
}

// forUpdates calls fn with the updates of the map m.
func forUpdates(m ssa.Value, fn func(*ssa.MapUpdate)) {
	refs := m.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if u, ok := r.(*ssa.MapUpdate); ok && u.Map == m {
			fn(u)
		}
	}
}

// enumFixed reports whether v is the same on every run of the region or is
// an element of a collection enumerated in full on every run (elem), built
// from those.
func (f *fixedness) enumFixed(v ssa.Value, depth int) (ok, elem bool) {
	if v == nil || depth > 16 {
		return false, false
	}
	if p, ok := v.(*ssa.Parameter); ok && walkElement(p) {
		return true, true
	}
	if f.fixed(v) {
		return true, false
	}
	if m, _, ok := rangeMapOf(v); ok {
		return f.keySet(m), true
	}
	switch x := v.(type) {
	case *ssa.Call:
		if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() != "len" {
			return false, false
		}
		callee := dataflow.Callee(&x.Call)
		if callee == nil || callee.Pkg() == nil {
			return false, false
		}
		if dataflow.IsStd(callee.Pkg().Path()) && !dataflow.IsTransform(&x.Call) {
			return false, false
		}
		ops := x.Call.Args
		if x.Call.IsInvoke() {
			ops = append([]ssa.Value{x.Call.Value}, ops...)
		}
		el := false
		for _, a := range ops {
			ok, e := f.enumFixed(a, depth+1)
			if !ok {
				return false, false
			}
			el = el || e
		}
		return true, el // trusted only when the key also derives from an element
	case *ssa.Phi:
		el := false
		for _, e := range x.Edges {
			ok, e2 := f.enumFixed(e, depth+1)
			if !ok {
				return false, false
			}
			el = el || e2
		}
		return true, el
	case *ssa.BinOp:
		a, ea := f.enumFixed(x.X, depth+1)
		b, eb := f.enumFixed(x.Y, depth+1)
		return a && b, ea || eb
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			return false, false
		}
		return f.enumFixed(x.X, depth+1)
	case *ssa.Convert:
		return f.enumFixed(x.X, depth+1)
	case *ssa.ChangeType:
		return f.enumFixed(x.X, depth+1)
	case *ssa.MakeInterface:
		return f.enumFixed(x.X, depth+1)
	case *ssa.Field:
		return f.enumFixed(x.X, depth+1)
	case *ssa.FieldAddr:
		return f.enumFixed(x.X, depth+1)
	case *ssa.Extract:
		return f.enumFixed(x.Tuple, depth+1)
	}
	return false, false
}

// walkElement reports whether p is a parameter of a function literal that
// is passed to a method named Walk*, Range, ForEach* or Each*: the element
// of a collection the callee enumerates.
func walkElement(p *ssa.Parameter) bool {
	return walkCallback(p.Parent())
}

// walkCallback reports whether fn is a function literal whose only uses are
// as an argument of methods named Walk*, Range, ForEach* or Each*.
func walkCallback(fn *ssa.Function) bool {
	if fn == nil || fn.Parent() == nil {
		return false
	}
	var uses []ssa.Value
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				uses = append(uses, mc)
			}
		}
	}
	if len(uses) == 0 {
		return false
	}
	for i := 0; i < len(uses) && i < 16; i++ {
		refs := uses[i].Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.DebugRef:
				continue
			case *ssa.ChangeType:
				uses = append(uses, r) // a named function type
				continue
			}
			call, ok := r.(ssa.CallInstruction)
			if !ok || call.Common().Value == uses[i] {
				return false
			}
			callee := dataflow.Callee(call.Common())
			if callee == nil || callee.Signature().Recv() == nil || !walkName(callee.Name()) {
				return false
			}
		}
	}
	return true
}

func walkName(name string) bool {
	return strings.HasPrefix(name, "Walk") || name == "Range" ||
		strings.HasPrefix(name, "ForEach") || strings.HasPrefix(name, "Each")
}

// deletes reports whether the region deletes from or clears a map of type t.
func (f *fixedness) deletes(t types.Type) bool {
	for _, b := range f.blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			bi, ok := call.Common().Value.(*ssa.Builtin)
			if !ok || (bi.Name() != "delete" && bi.Name() != "clear") || len(call.Common().Args) == 0 {
				continue
			}
			if types.Identical(call.Common().Args[0].Type().Underlying(), t.Underlying()) {
				return true
			}
		}
	}
	return false
}

// allSets reports whether every map in ms has the same key set on every run
// of the region.
func (f *fixedness) allSets(ms []ssa.Value) bool {
	for _, m := range ms {
		if !f.keySet(m) {
			return false
		}
	}
	return true
}

// isMapParam reports whether parameter i of fn (-1 the receiver) is a map.
func isMapParam(fn *ssa.Function, i int) bool {
	for _, p := range fn.Params {
		if j, ok := dataflow.ParamIndex(p, fn); ok && j == i {
			_, isMap := p.Type().Underlying().(*types.Map)
			return isMap
		}
	}
	return false
}
