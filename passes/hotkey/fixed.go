package hotkey

import (
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

// maxSteps bounds one fixedness question.
const maxSteps = 2048

// fixedness decides whether a value is the same on every run of a region of
// a function (the blocks of a loop, or the whole function for "the same on
// every call"). A value is fixed when it is built only from constants,
// globals, parameters, free variables and values computed outside the
// region, through operations whose result depends only on their operands.
//
// dataflow.Roots answers "what is this built from", but walks through integer
// additions and loop phis, so a loop counter i (phi of 0 and i+1) has only
// constant roots; fixedness treats a phi that depends on itself as varying.
type fixedness struct {
	in     func(*ssa.BasicBlock) bool
	params map[int]bool // parameters met (receiver -1), when fn is set
	maps   map[int]bool // map parameters whose key sets are written, when fn is set
	// setMemo memoises keySet.
	setMemo map[ssa.Value]bool
	fn      *ssa.Function
	busy    map[ssa.Value]bool
	memo    map[ssa.Value]bool
	stores  []*ssa.Store // stores inside the region
	blocks  []*ssa.BasicBlock
	steps   int
	// elems are the index values (or map iterators) of ranges over a
	// collection enumerated in full on every run: an element X[i] (or a
	// map's key or value) is fixed as a set when X is.
	elems map[ssa.Value]bool
}

// region is the blocks of a function a fixedness looks at, and the stores
// in them: computed once per function or loop, not once per write site.
type region struct {
	blocks []*ssa.BasicBlock
	stores []*ssa.Store
}

func newRegion(fn *ssa.Function, in func(*ssa.BasicBlock) bool) *region {
	r := &region{}
	for _, b := range fn.Blocks {
		if !in(b) {
			continue
		}
		r.blocks = append(r.blocks, b)
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				r.stores = append(r.stores, st)
			}
		}
	}
	return r
}

func newFixedness(fn *ssa.Function, in func(*ssa.BasicBlock) bool) *fixedness {
	return fixednessIn(newRegion(fn, in), in)
}

func fixednessIn(r *region, in func(*ssa.BasicBlock) bool) *fixedness {
	return &fixedness{in: in, busy: map[ssa.Value]bool{}, memo: map[ssa.Value]bool{}, blocks: r.blocks, stores: r.stores}
}

// wholeFunction returns a fixedness over every block of fn (whose region r
// is) that records the parameters of fn a fixed value is built from.
func wholeFunction(fn *ssa.Function, r *region) *fixedness {
	f := fixednessIn(r, func(b *ssa.BasicBlock) bool { return b.Parent() == fn })
	f.fn = fn
	f.params = map[int]bool{}
	f.maps = map[int]bool{}
	return f
}

func (f *fixedness) fixed(v ssa.Value) bool {
	if v == nil {
		return true
	}
	if r, ok := f.memo[v]; ok {
		return r
	}
	f.steps++
	if f.busy[v] || f.steps > maxSteps {
		return false // a value recomputed from itself, or too deep to tell
	}
	f.busy[v] = true
	r := f.compute(v)
	delete(f.busy, v)
	f.memo[v] = r
	return r
}

func (f *fixedness) all(vs ...ssa.Value) bool {
	for _, v := range vs {
		if !f.fixed(v) {
			return false
		}
	}
	return true
}

func (f *fixedness) compute(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Const, *ssa.Global, *ssa.Function, *ssa.Builtin, *ssa.FreeVar:
		return true
	case *ssa.Parameter:
		if f.fn != nil {
			if i, ok := dataflow.ParamIndex(v, f.fn); ok {
				f.params[i] = true
			}
		}
		return true
	case *ssa.Alloc:
		// Fixed when everything stored into it inside the region is.
		return f.contents(v)
	}
	instr, ok := v.(ssa.Instruction)
	if !ok || instr.Block() == nil {
		return false
	}
	if !f.in(instr.Block()) {
		return true // computed once, before the region runs
	}
	switch v := v.(type) {
	case *ssa.Phi:
		return f.all(v.Edges...)
	case *ssa.BinOp:
		return f.all(v.X, v.Y)
	case *ssa.UnOp:
		switch v.Op {
		case token.ARROW:
			return false
		case token.MUL:
			return f.fixed(v.X) && f.storesFixed(v.X)
		}
		return f.fixed(v.X)
	case *ssa.Convert:
		return f.fixed(v.X)
	case *ssa.ChangeType:
		return f.fixed(v.X)
	case *ssa.MakeInterface:
		return f.fixed(v.X)
	case *ssa.ChangeInterface:
		return f.fixed(v.X)
	case *ssa.SliceToArrayPointer:
		return f.fixed(v.X)
	case *ssa.TypeAssert:
		return f.fixed(v.X)
	case *ssa.Field:
		return f.fixed(v.X)
	case *ssa.FieldAddr:
		return f.fixed(v.X)
	case *ssa.Extract:
		if next, ok := v.Tuple.(*ssa.Next); ok && f.elems[next] && v.Index > 0 {
			if rng, ok := next.Iter.(*ssa.Range); ok {
				return f.fixed(rng.X) && !f.deletes(rng.X.Type())
			}
		}
		return f.fixed(v.Tuple)
	case *ssa.Index:
		if f.elems[v.Index] {
			return f.fixed(v.X)
		}
		return f.all(v.X, v.Index)
	case *ssa.IndexAddr:
		if f.elems[v.Index] {
			return f.fixed(v.X)
		}
		return f.all(v.X, v.Index)
	case *ssa.Lookup:
		return f.all(v.X, v.Index)
	case *ssa.Slice:
		return f.all(v.X, v.Low, v.High, v.Max)
	case *ssa.Call:
		return f.call(&v.Call)
	}
	return false
}

// call: a standard-library transformation (fmt.Sprintf, strings.Join,
// strconv.Itoa, a marshaller) of fixed operands is fixed; any other call may
// return something new each time.
func (f *fixedness) call(c *ssa.CallCommon) bool {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap", "min", "max", "append", "real", "imag", "complex":
			return f.all(c.Args...)
		}
		return false
	}
	if !dataflow.IsTransform(c) {
		return false
	}
	if c.IsInvoke() && !f.fixed(c.Value) {
		return false
	}
	return f.all(c.Args...)
}

// contents reports whether everything written into the local memory a
// inside the region is fixed.
func (f *fixedness) contents(a *ssa.Alloc) bool {
	refs := a.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		if r.Block() == nil || !f.in(r.Block()) {
			continue
		}
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == a && !f.fixed(r.Val) {
				return false
			}
		case *ssa.FieldAddr, *ssa.IndexAddr:
			if ix, ok := r.(*ssa.IndexAddr); ok && !f.fixed(ix.Index) {
				return false
			}
			if rr := r.(ssa.Value).Referrers(); rr != nil {
				for _, s := range *rr {
					if st, ok := s.(*ssa.Store); ok && st.Addr == r.(ssa.Value) && !f.fixed(st.Val) {
						return false
					}
				}
			}
		case ssa.CallInstruction:
			c := r.Common()
			if !dataflow.IsTransform(c) && !isWriterCall(c) {
				return false // an unknown callee may fill it with anything
			}
			for _, arg := range c.Args {
				if arg != a && !f.fixed(arg) {
					return false
				}
			}
		}
	}
	return true
}

// storesFixed reports whether the memory a load reads is only overwritten
// with fixed values inside the region.
func (f *fixedness) storesFixed(addr ssa.Value) bool {
	switch a := addr.(type) {
	case *ssa.Alloc:
		return true // contents checked by fixed(a)
	case *ssa.Global, *ssa.FreeVar:
		for _, s := range f.stores {
			if s.Addr == a && !f.fixed(s.Val) {
				return false
			}
		}
	case *ssa.FieldAddr:
		for _, s := range f.stores {
			if fa, ok := s.Addr.(*ssa.FieldAddr); ok && fa.Field == a.Field &&
				types.Identical(fa.X.Type(), a.X.Type()) && !f.fixed(s.Val) {
				return false
			}
		}
	}
	return true
}

// isWriterCall: fmt.Fprint*, io.WriteString, bytes.Buffer/strings.Builder Write*.
func isWriterCall(c *ssa.CallCommon) bool {
	fn := dataflow.Callee(c)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	p, n := fn.Pkg().Path(), fn.Name()
	return (p == "fmt" && strings.HasPrefix(n, "Fprint")) || (p == "io" && n == "WriteString") ||
		((p == "bytes" || p == "strings") && strings.HasPrefix(n, "Write"))
}

// unknown stands for a part of a key the pass cannot spell.
const unknown = "…"

var verb = regexp.MustCompile(`%[-+# 0-9.*\[\]]*[a-zA-Z%]`)

// keyText spells the key v with "…" for the parts that are not constant.
// With fn set, parameters of fn are spelled {i} ({recv} for the receiver),
// so that a caller can substitute its arguments.
func keyText(v ssa.Value, fn *ssa.Function) string {
	return collapse(keyTextDepth(v, fn, 0))
}

func keyTextDepth(v ssa.Value, fn *ssa.Function, depth int) string {
	if v == nil || depth > 16 {
		return unknown
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.String {
			return constant.StringVal(v.Value)
		}
	case *ssa.Parameter:
		if fn != nil {
			if i, ok := dataflow.ParamIndex(v, fn); ok {
				return placeholder(i)
			}
		}
	case *ssa.BinOp:
		if v.Op == token.ADD {
			return keyTextDepth(v.X, fn, depth+1) + keyTextDepth(v.Y, fn, depth+1)
		}
	case *ssa.Convert:
		return keyTextDepth(v.X, fn, depth+1)
	case *ssa.ChangeType:
		return keyTextDepth(v.X, fn, depth+1)
	case *ssa.MakeInterface:
		return keyTextDepth(v.X, fn, depth+1)
	case *ssa.Call:
		callee := dataflow.Callee(&v.Call)
		if callee != nil && callee.Pkg() != nil && callee.Pkg().Path() == "fmt" && callee.Name() == "Sprintf" && len(v.Call.Args) > 0 {
			if format, ok := dataflow.ConstString(v.Call.Args[0]); ok {
				return verb.ReplaceAllStringFunc(format, func(s string) string {
					if s == "%%" {
						return "%"
					}
					return unknown
				})
			}
		}
	}
	return unknown
}

func placeholder(i int) string {
	if i < 0 {
		return "{recv}"
	}
	return "{" + strconv.Itoa(i) + "}"
}

// substitute replaces the {i} placeholders of a wrapper's key text with the
// spelling of the caller's arguments.
func substitute(text string, arg func(i int) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			break
		}
		inner := text[i+1 : i+j]
		n, err := strconv.Atoi(inner)
		if inner == "recv" {
			n, err = -1, nil
		}
		b.WriteString(text[:i])
		if err != nil {
			b.WriteString(text[i : i+j+1])
		} else {
			b.WriteString(arg(n))
		}
		text = text[i+j+1:]
	}
	return collapse(b.String())
}

func collapse(s string) string {
	for strings.Contains(s, unknown+unknown) {
		s = strings.ReplaceAll(s, unknown+unknown, unknown)
	}
	return s
}
