package hotkey

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// txnGuard is what the compares of the Txn that carries an OpPut say about
// when the put runs.
type txnGuard int

const (
	// txnAlways: no compare, or compares that are only concurrency control
	// or preconditions (a Version or ModRevision equal to one read before,
	// a lease): the put runs on every commit that meets no contention.
	txnAlways txnGuard = iota
	// txnChanged: the put runs only when the key's value differs from the
	// written one (If(Value(k) != v).Then(put)): a change check.
	txnChanged
	// txnAbsent: the put runs only when the key does not exist
	// (If(CreateRevision(k) = 0).Then(put)): it creates the key once, a
	// lock or a registration, and never rewrites it.
	txnAbsent
	// txnUnknown: the Txn or its compares could not be followed.
	txnUnknown
)

// maxTxnSteps bounds the search from an OpPut to the Txn that carries it.
const maxTxnSteps = 64

// guardOf classifies the Txns that carry the Op built by the OpPut call
// put, whose written values are values: the weakest guard wins (a put that
// one Txn commits unconditionally runs always).
func guardOf(put ssa.Value, values []ssa.Value) txnGuard {
	calls := txnListCalls(put)
	if len(calls) == 0 {
		return txnUnknown
	}
	out := txnUnknown
	for _, c := range calls {
		g := guardOfCall(c.call, c.then, values)
		if g < out {
			out = g
		}
	}
	return out
}

type listCall struct {
	call *ssa.Call
	then bool // Then (else Else)
}

// txnListCalls follows the Op v forward, through the variadic slices and
// appends that collect it, to the Txn.Then and Txn.Else calls it reaches.
func txnListCalls(v ssa.Value) []listCall {
	var out []listCall
	seen := map[ssa.Value]bool{}
	work := []ssa.Value{v}
	for len(work) > 0 && len(seen) < maxTxnSteps {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == nil || seen[x] {
			continue
		}
		seen[x] = true
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Val != x {
					continue
				}
				switch a := r.Addr.(type) {
				case *ssa.IndexAddr:
					work = append(work, a.X)
				case *ssa.Alloc:
					work = append(work, a)
				}
			case *ssa.Slice:
				work = append(work, r)
			case *ssa.Phi:
				work = append(work, r)
			case *ssa.UnOp:
				if r.Op == token.MUL {
					work = append(work, r)
				}
			case *ssa.Call:
				if b, ok := r.Call.Value.(*ssa.Builtin); ok {
					if b.Name() == "append" {
						work = append(work, r)
					}
					continue
				}
				op, ok := etcdapi.Lookup(dataflow.Callee(&r.Call))
				if !ok {
					continue
				}
				switch op.Kind {
				case etcdapi.TxnThen:
					out = append(out, listCall{r, true})
				case etcdapi.TxnElse:
					out = append(out, listCall{r, false})
				}
			}
		}
	}
	return out
}

// guardOfCall classifies the compares of the Txn whose Then (or Else) call
// is c.
func guardOfCall(c *ssa.Call, then bool, values []ssa.Value) txnGuard {
	var cmps []ssa.Value
	ok := true
	seen := map[ssa.Value]bool{}
	var recv func(v ssa.Value, depth int)
	recv = func(v ssa.Value, depth int) {
		if !ok || v == nil || seen[v] || depth > 8 {
			ok = ok && v != nil && depth <= 8
			return
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Phi:
			for _, e := range x.Edges {
				recv(e, depth+1)
			}
			return
		case *ssa.Call:
			op, isOp := etcdapi.Lookup(dataflow.Callee(&x.Call))
			switch {
			case isOp && op.Kind == etcdapi.TxnStart:
				return // no compare before this point
			case isOp && op.Kind == etcdapi.TxnIf && len(x.Call.Args) == 1:
				cs, found := sliceElems(x.Call.Args[0])
				if !found {
					ok = false
					return
				}
				cmps = append(cmps, cs...)
				if x.Call.IsInvoke() {
					recv(x.Call.Value, depth+1)
				}
				return
			}
		}
		ok = false // a Txn built where the pass cannot see
	}
	if !c.Call.IsInvoke() {
		return txnUnknown
	}
	recv(c.Call.Value, 0)
	if !ok {
		return txnUnknown
	}
	out := txnAlways
	for _, cmp := range cmps {
		g := compareGuard(cmp, then, values)
		if g > out {
			out = g
		}
	}
	return out
}

// sliceElems returns the values stored into the variadic slice s (the
// backing array of a literal or of the ... arguments).
func sliceElems(s ssa.Value) ([]ssa.Value, bool) {
	sl, ok := s.(*ssa.Slice)
	if !ok {
		return nil, false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return nil, false
	}
	var out []ssa.Value
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, s := range *ia.Referrers() {
			if st, ok := s.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out, true
}

// compareGuard classifies one Cmp of the Txn: what it means for a put in
// Then (or Else).
func compareGuard(v ssa.Value, then bool, values []ssa.Value) txnGuard {
	for range 4 {
		call, ok := v.(*ssa.Call)
		if !ok {
			return txnUnknown
		}
		fn := dataflow.Callee(&call.Call)
		switch {
		case etcdapi.IsCmpRange(fn) && len(call.Call.Args) > 0:
			v = call.Call.Args[0] // the receiver of a static method call
			continue
		case etcdapi.IsCompare(fn) && len(call.Call.Args) == 3:
			return compareCall(call.Call.Args, then, values)
		}
		return txnUnknown
	}
	return txnUnknown
}

// compareCall classifies clientv3.Compare(target(key), result, v).
func compareCall(args []ssa.Value, then bool, values []ssa.Value) txnGuard {
	t, ok := args[0].(*ssa.Call)
	if !ok {
		return txnUnknown
	}
	result, ok := dataflow.ConstString(args[1])
	if !ok {
		return txnUnknown
	}
	switch etcdapi.CompareTarget(dataflow.Callee(&t.Call)) {
	case etcdapi.CmpValue:
		// The put runs when the stored value differs from the one
		// compared: != in Then, = in Else. Compared with what is
		// written, that is a change check; with something else, a
		// precondition (a lock's owner).
		differs := (result == "!=") == then
		if differs && (len(values) == 0 || shareRoot(args[2], values)) {
			return txnChanged
		}
		return txnAlways
	case etcdapi.CmpCreateRevision, etcdapi.CmpVersion, etcdapi.CmpModRevision:
		// = 0 in Then: the key does not exist; any other version or
		// revision is concurrency control (compare-and-swap).
		if then && result == "=" && isZero(args[2]) {
			return txnAbsent
		}
		return txnAlways
	case etcdapi.CmpLease:
		return txnAlways
	}
	return txnUnknown
}

// isZero reports whether v is the constant 0 (possibly converted to any).
func isZero(v ssa.Value) bool {
	v = stripConv(v)
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return false
	}
	n, ok := constant.Int64Val(c.Value)
	return ok && n == 0
}
