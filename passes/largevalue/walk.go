package largevalue

import (
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	lvfacts "github.com/etcdlint/etcdlint/internal/facts/grows"
)

// finding is one way a written value grows with a collection, or is large.
type finding struct {
	over   string    // what it grows with; "" when unknown
	how    string    // e.g. "a map filled in a loop"
	prefix string    // e.g. "json.Marshal of "
	loop   loopInfo  // where it is filled
	held   bool      // a whole collection held by the program: needs a known key
	from   string    // e.g. "returned by layout.Blocks"
	fromAt token.Pos // the function that returns it
	// callAt is the call that returned it through an interface, and
	// marshalAt the call that encoded it.
	callAt, marshalAt token.Pos
	// elemKey is the map key the value was stored under, when the written
	// value is an element of a map the program built.
	elemKey   ssa.Value
	elemStore token.Pos
	// size > 0: a value of this constant size, made by sizeWhat.
	size     int64
	sizeWhat string
}

type mode int

const (
	modeValue    mode = iota // the bytes or string written
	modeContent              // a value that is encoded into them
	modeElements             // (seen only) a collection whose elements are walked
)

type visit struct {
	v ssa.Value
	m mode
}

// frame is a call of a function of this package that the walk descended into.
type frame struct {
	fn   *ssa.Function
	call *ssa.CallCommon
}

// walker follows one written value back to what it is made of.
type walker struct {
	c      *checker
	top    *ssa.Function
	seen   map[visit]bool
	steps  int
	frames []frame
	found  []*finding
	// whole and elems are parameters of top whose whole content, or whose
	// elements, reach the value.
	whole, elems []int
	// excluded are the types (lvfacts.QualifiedName) that a failed type
	// assertion has taken out where the value being walked was made.
	excluded []string
	// via is the wrapper the value is written through, nil for a write
	// of the etcd API; encoding is set while the walk is inside what this
	// function encodes.
	via      *types.Func
	encoding bool
}

// exclude adds the types that failed type assertions take out at instr,
// and returns the function that restores the previous set.
func (w *walker) exclude(instr ssa.Instruction) func() {
	old := w.excluded
	if instr != nil && instr.Block() != nil {
		for _, t := range dataflow.FailedAssertions(instr.Block()) {
			if name := lvfacts.QualifiedName(t); name != "" {
				w.excluded = append(slices.Clip(w.excluded), name)
			}
		}
	}
	return func() { w.excluded = old }
}

// maxSteps bounds one walk.
const maxSteps = 2048

// maxDepth bounds descents into callees of this package.
const maxDepth = 3

func (c *checker) newWalker(top *ssa.Function) *walker {
	return &walker{c: c, top: top, seen: map[visit]bool{}}
}

func (w *walker) enter(v ssa.Value, m mode) bool {
	if v == nil || w.seen[visit{v, m}] || w.steps > maxSteps {
		return false
	}
	w.seen[visit{v, m}] = true
	w.steps++
	return true
}

func (w *walker) add(f *finding) *finding {
	if f != nil {
		w.found = append(w.found, f)
	}
	return f
}

// first returns the first non-nil finding.
func first(fs ...*finding) *finding {
	for _, f := range fs {
		if f != nil {
			return f
		}
	}
	return nil
}

func isStringOrBytes(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return t.Info()&types.IsString != 0
	case *types.Slice:
		b, ok := t.Elem().Underlying().(*types.Basic)
		return ok && (b.Kind() == types.Byte || b.Kind() == types.Uint8)
	}
	return false
}

// collection reports whether values of type t hold a collection whose size
// the program decides: a map, a slice (not of bytes), or a struct (or
// pointer to one) with such a field.
func collection(t types.Type, depth int) bool {
	if depth > 3 {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		return true
	case *types.Slice:
		return !isStringOrBytes(u)
	case *types.Pointer:
		return collection(u.Elem(), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			if collection(u.Field(i).Type(), depth+1) {
				return true
			}
		}
	}
	return false
}

// canCarry reports whether a parameter of type t can carry a value's size.
func canCarry(t types.Type) bool {
	if b, ok := t.Underlying().(*types.Basic); ok {
		return b.Info()&types.IsString != 0
	}
	return true
}

func kindOf(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Map:
		return "a map"
	case *types.Slice:
		if isStringOrBytes(u) {
			return "a byte slice"
		}
		return "a slice"
	case *types.Basic:
		return "a string"
	case *types.Pointer:
		return kindOf(u.Elem())
	case *types.Struct:
		return "a struct"
	}
	return "a value"
}

// value walks v in value mode: v is (part of) the bytes or string written.
func (w *walker) value(v ssa.Value) *finding {
	if !w.enter(v, modeValue) {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.String {
			if n := int64(len(constant.StringVal(v.Value))); n > w.c.maxBytes {
				return w.add(&finding{size: n, sizeWhat: "a constant string"})
			}
		}
	case *ssa.MakeInterface:
		return w.content(v.X)
	case *ssa.BinOp:
		if v.Op == token.ADD {
			return first(w.value(v.X), w.value(v.Y))
		}
	case *ssa.Call:
		return w.call(v, 0, modeValue)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return w.value(v.X)
		}
	case *ssa.Alloc:
		if a, ok := elemType(v.Type()).Underlying().(*types.Array); ok && isStringOrBytes(types.NewSlice(a.Elem())) && a.Len() > w.c.maxBytes {
			return w.add(&finding{size: a.Len(), sizeWhat: "a []byte of constant length"})
		}
		return w.stored(v, modeValue)
	case *ssa.MakeSlice:
		if c, ok := v.Len.(*ssa.Const); ok && c.Value != nil && isStringOrBytes(v.Type()) {
			if n, ok := constant.Int64Val(c.Value); ok && n > w.c.maxBytes {
				return w.add(&finding{size: n, sizeWhat: "make([]byte, " + c.Value.String() + ")"})
			}
		}
	default:
		return w.through(v, modeValue)
	}
	return nil
}

// content walks v in content mode: v is encoded into the value (marshalled,
// formatted, joined).
func (w *walker) content(v ssa.Value) *finding {
	if v == nil {
		return nil
	}
	if isStringOrBytes(v.Type()) {
		return w.value(v)
	}
	if _, ok := v.Type().Underlying().(*types.Basic); ok {
		return nil
	}
	if !w.enter(v, modeContent) {
		return nil
	}
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return w.content(v.X)
	case *ssa.Call:
		return first(w.call(v, 0, modeContent), w.fills(v))
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if g, ok := v.X.(*ssa.Global); ok {
				return w.heldBy(g.Name(), v.Type())
			}
			return w.content(v.X)
		}
	case *ssa.Alloc:
		return first(w.fills(v), w.stored(v, modeContent), w.decodedInto(v))
	case *ssa.MakeMap:
		return w.fills(v)
	case *ssa.MakeSlice:
		return w.fills(v)
	case *ssa.Global:
		if p, ok := v.Type().(*types.Pointer); ok {
			return w.heldBy(v.Name(), p.Elem())
		}
	default:
		return w.through(v, modeContent)
	}
	return nil
}

// through walks, in mode m, what value and content mode treat alike: a
// value passed on unchanged (a conversion, an assertion, a reslice, the
// edges of a phi) or taken out of something (a call's result, a parameter,
// a captured variable, an element, a field).
func (w *walker) through(v ssa.Value, m mode) *finding {
	switch v := v.(type) {
	case *ssa.Convert:
		return w.walk(v.X, m)
	case *ssa.ChangeType:
		return w.walk(v.X, m)
	case *ssa.ChangeInterface:
		return w.walk(v.X, m)
	case *ssa.TypeAssert:
		return w.walk(v.X, m)
	case *ssa.Slice:
		return w.walk(v.X, m)
	case *ssa.Phi:
		if f := w.accumulates(v); f != nil {
			return f
		}
		var out *finding
		for _, e := range v.Edges {
			out = first(out, w.walk(e, m))
		}
		return out
	case *ssa.Extract:
		return w.extract(v, m)
	case *ssa.Parameter:
		return w.param(v, m)
	case *ssa.FreeVar:
		if b := dataflow.Binding(v); b != nil {
			return w.walk(b, m)
		}
	case *ssa.Lookup:
		return w.element(v.X, m)
	case *ssa.Index:
		return w.element(v.X, m)
	case *ssa.IndexAddr:
		return w.element(v.X, m)
	case *ssa.FieldAddr:
		return w.field(v.X, v.Field, elemType(v.Type()), m)
	case *ssa.Field:
		return w.field(v.X, v.Field, v.Type(), m)
	}
	return nil
}

func (w *walker) walk(v ssa.Value, m mode) *finding {
	if m == modeValue {
		return w.value(v)
	}
	return w.content(v)
}

// heldBy reports a whole collection held by the program (a global, or a
// field of a receiver or parameter).
func (w *walker) heldBy(name string, t types.Type) *finding {
	if !collection(t, 0) {
		return nil
	}
	if f := w.grownStruct(t, name, 0); f != nil {
		return f
	}
	how := kindOf(t) + " held by the program"
	if _, ok := t.Underlying().(*types.Struct); ok {
		how = "a struct holding maps or slices, held by the program"
	} else if p, ok := t.Underlying().(*types.Pointer); ok {
		if _, ok := p.Elem().Underlying().(*types.Struct); ok {
			how = "a struct holding maps or slices, held by the program"
		}
	}
	return w.add(&finding{over: name, how: how, held: true})
}

// param handles a parameter: of a callee the walk descended into, it is the
// caller's argument; of the function being checked, it is recorded.
func (w *walker) param(p *ssa.Parameter, m mode) *finding {
	if f, inCallee := w.inCaller(p, func(arg ssa.Value) *finding { return w.walk(arg, m) }); inCallee {
		return f
	}
	if p.Parent() == w.top && canCarry(p.Type()) {
		if i, ok := dataflow.ParamIndex(p, w.top); ok && !slices.Contains(w.whole, i) {
			w.whole = append(w.whole, i)
		}
	}
	if p.Parent() == w.top && m == modeContent {
		return w.grownStruct(p.Type(), p.Name(), 0)
	}
	return nil
}

// maxFieldDepth bounds the descent into struct fields of a struct.
const maxFieldDepth = 2

// grownStruct reports a struct (or a pointer to one) handed in or held by
// the program, written whole, whose type has a map or slice field that
// code of the program fills in an unbounded loop (lvfacts.GrownFields):
// whichever value this is, its type is where that collection is kept. A
// value handed whole to a wrapper that writes it and takes that type is
// the wrapper's to report, unless the field is filled by this package,
// which the wrapper's may not see; one this function encodes, or hands to
// a wrapper that takes any value, is this function's.
func (w *walker) grownStruct(t types.Type, name string, depth int) *finding {
	if w.c.grownField == nil || depth > maxFieldDepth {
		return nil
	}
	n, ok := types.Unalias(elemType(t)).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return nil
	}
	st, ok := n.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	typ := lvfacts.QualifiedName(n)
	short := n.Obj().Pkg().Name() + "." + n.Obj().Name()
	for i := range st.NumFields() {
		fld := st.Field(i)
		if !encoded(fld, st.Tag(i)) {
			continue
		}
		g := w.c.grownField(typ, fld.Name())
		if g == nil {
			if _, isStruct := fld.Type().Underlying().(*types.Struct); isStruct || isStructPointer(fld.Type()) {
				if f := w.grownStruct(fld.Type(), name+"."+fld.Name(), depth+1); f != nil {
					return f
				}
			}
			continue
		}
		if w.via != nil && !w.encoding && takes(w.via, n) && (w.via.Pkg() == w.c.pkg || !g.Pos().IsValid()) {
			return nil
		}
		how := g.How
		if g.Over != "" {
			how += " over " + g.Over
		}
		return w.add(&finding{
			over:   short + "." + fld.Name(),
			how:    name + ", whose " + fld.Name() + " holds " + how,
			from:   "set by " + g.In,
			fromAt: g.Pos(),
		})
	}
	return nil
}

// encoded reports whether encoders write the field: it is exported and no
// tag leaves it out ("-").
func encoded(fld *types.Var, tag string) bool {
	if !fld.Exported() {
		return false
	}
	for _, key := range []string{"json", "yaml", "xml", "protobuf"} {
		if v, _, _ := strings.Cut(reflect.StructTag(tag).Get(key), ","); v == "-" {
			return false
		}
	}
	return true
}

// takes reports whether fn has a parameter of type n or *n.
func takes(fn *types.Func, n *types.Named) bool {
	params := fn.Signature().Params()
	for i := range params.Len() {
		if t, ok := types.Unalias(elemType(params.At(i).Type())).(*types.Named); ok && t.Origin() == n.Origin() {
			return true
		}
	}
	return false
}

func isStructPointer(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Struct)
	return ok
}

// inCaller runs f on the caller's argument for p when p is a parameter of
// the callee the walk descended into, with that frame left while f runs; it
// reports whether p was one.
func (w *walker) inCaller(p *ssa.Parameter, f func(arg ssa.Value) *finding) (*finding, bool) {
	n := len(w.frames)
	if n == 0 || p.Parent() != w.frames[n-1].fn {
		return nil, false
	}
	fr := w.frames[n-1]
	i, ok := dataflow.ParamIndex(p, fr.fn)
	if !ok {
		return nil, true
	}
	w.frames = w.frames[:n-1]
	defer func() { w.frames = append(w.frames, fr) }()
	return f(dataflow.Arg(fr.call, i)), true
}

// extract handles one result of a call, or the element of a range over a map.
func (w *walker) extract(e *ssa.Extract, m mode) *finding {
	switch t := e.Tuple.(type) {
	case *ssa.Call:
		return w.call(t, e.Index, m)
	case *ssa.Next:
		if r, ok := t.Iter.(*ssa.Range); ok && e.Index == 2 {
			return w.element(r.X, m)
		}
	case *ssa.Lookup:
		if e.Index == 0 {
			return w.element(t.X, m)
		}
	case *ssa.UnOp, *ssa.TypeAssert:
		return nil
	}
	return nil
}

// element handles an element of collection coll: when the program built
// coll in this function, each value it stored; when coll is a parameter,
// the parameter's elements reach the value.
func (w *walker) element(coll ssa.Value, m mode) *finding {
	for range 8 {
		switch c := coll.(type) {
		case *ssa.UnOp:
			if c.Op != token.MUL {
				return nil
			}
			coll = c.X
			continue
		case *ssa.Slice:
			coll = c.X
			continue
		case *ssa.FreeVar:
			coll = dataflow.Binding(c)
			if coll == nil {
				return nil
			}
			continue
		case *ssa.Parameter:
			if len(w.frames) == 0 && c.Parent() == w.top {
				if i, ok := dataflow.ParamIndex(c, w.top); ok && !slices.Contains(w.elems, i) {
					w.elems = append(w.elems, i)
				}
			}
			return nil
		case *ssa.MakeMap, *ssa.MakeSlice, *ssa.Alloc:
			return w.elementsOf(c, m)
		case *ssa.Phi:
			// A collection started afresh (sent in chunks): what is put into
			// any of its instances.
			if !w.enter(c, modeElements) {
				return nil
			}
			return w.filledInto(w.c.collectionOf(c), m)
		}
		return nil
	}
	return nil
}

// elementsOf walks each value stored into the collection coll, created in
// this function (through the variable that holds it, too).
func (w *walker) elementsOf(coll ssa.Value, m mode) *finding {
	var out *finding
	for _, a := range w.c.aliases(coll) {
		refs := a.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.MapUpdate:
				if r.Map == a {
					restore := w.exclude(r)
					f := w.walk(r.Value, m)
					restore()
					if f != nil && f.elemKey == nil {
						f.elemKey, f.elemStore = r.Key, r.Pos()
						out = first(out, f)
					}
				}
			case *ssa.IndexAddr:
				for _, s := range storesTo(r) {
					out = first(out, w.walk(s.Val, m))
				}
			case *ssa.Store:
				if r.Addr == a {
					out = first(out, w.element(r.Val, m))
				}
			}
		}
	}
	return out
}

// filledInto walks what is put into the collection ci, and records the
// parameters it starts as.
func (w *walker) filledInto(ci *collectionInfo, m mode) *finding {
	var out *finding
	for _, fl := range ci.fills {
		if fl.val == nil {
			continue
		}
		restore := w.exclude(fl.instr)
		n := len(w.found)
		f := w.walk(fl.val, m)
		restore()
		if f != nil && w.perElement(ci, fl, f) {
			w.found = w.found[:n]
			continue
		}
		if mu, ok := fl.instr.(*ssa.MapUpdate); ok && f != nil && f.elemKey == nil {
			f.elemKey, f.elemStore = mu.Key, mu.Pos()
		}
		out = first(out, f)
	}
	for _, o := range ci.origins {
		if p, ok := o.v.(*ssa.Parameter); ok {
			out = first(out, w.element(p, m))
		}
	}
	return out
}

// perElement reports a finding about one element of ci that grows in a loop
// nested in the loop that fills ci: the element's own collection (the labels
// of one object), written under the element's own key.
func (w *walker) perElement(ci *collectionInfo, fl fill, f *finding) bool {
	if _, ok := w.c.growsIn(ci, fl); !ok || !f.loop.pos.IsValid() {
		return false
	}
	at := instrPos(fl.instr)
	for _, st := range w.c.syntax(fl.instr.Parent(), f.loop.pos) {
		if st.Pos() != f.loop.pos && st.Pos() <= at && at < st.End() {
			return true
		}
	}
	return false
}

// fills reports a collection (or struct) coll created in this function that
// is filled in a loop, and otherwise walks what is stored into it.
func (w *walker) fills(coll ssa.Value) *finding {
	if w.steps > maxSteps {
		return nil
	}
	var out *finding
	kind := kindOf(coll.Type())
	for _, a := range w.c.aliases(coll) {
		refs := a.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.MapUpdate:
				if r.Map != a {
					continue
				}
				if l, ok := w.c.repeated(r, coll); ok {
					out = first(out, w.add(&finding{over: l.over, how: "a map filled in a loop", loop: l}))
				} else {
					out = first(out, w.content(r.Value))
				}
			case *ssa.IndexAddr:
				for _, s := range storesTo(r) {
					if l, ok := w.c.repeated(s, coll); ok {
						out = first(out, w.add(&finding{over: l.over, how: kind + " filled in a loop", loop: l}))
					} else {
						out = first(out, w.content(s.Val))
					}
				}
			case *ssa.FieldAddr:
				for _, s := range storesTo(r) {
					if isAppend(s.Val) || isConcat(s.Val) {
						if l, ok := w.c.repeated(s, coll); ok {
							out = first(out, w.add(&finding{over: l.over, how: "a struct holding " + kindOf(s.Val.Type()) + " appended to in a loop", loop: l}))
							continue
						}
					}
					if f := w.content(s.Val); f != nil {
						if !strings.HasPrefix(f.how, "a struct") {
							f.how = "a struct holding " + f.how
						}
						out = first(out, f)
					}
				}
			case *ssa.Call:
				if b, ok := r.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(r.Call.Args) > 1 && r.Call.Args[0] == a {
					out = first(out, w.content(r.Call.Args[1]))
				}
			}
		}
	}
	return out
}

// stored walks the values stored into the variable addr (an Alloc),
// through closures that capture it; a store in a loop of an append or a
// concatenation is a value accumulated in that loop.
func (w *walker) stored(addr *ssa.Alloc, m mode) *finding {
	var out *finding
	for _, a := range w.c.aliases(addr) {
		for _, s := range storesTo(a) {
			if isAppend(s.Val) || isConcat(s.Val) {
				if l, ok := w.c.repeated(s, addr); ok {
					out = first(out, w.add(&finding{over: l.over, how: kindOf(s.Val.Type()) + " appended to in a loop", loop: l}))
					continue
				}
			}
			out = first(out, w.walk(s.Val, m))
		}
	}
	return out
}

func storesTo(addr ssa.Value) []*ssa.Store {
	refs := addr.Referrers()
	if refs == nil {
		return nil
	}
	var out []*ssa.Store
	for _, r := range *refs {
		if s, ok := r.(*ssa.Store); ok && s.Addr == addr {
			out = append(out, s)
		}
	}
	return out
}

func isAppend(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "append"
}

func isConcat(v ssa.Value) bool {
	b, ok := v.(*ssa.BinOp)
	return ok && b.Op == token.ADD && isStringOrBytes(b.Type())
}

// accumulates reports a phi at a loop header that is appended to (or
// concatenated) on every iteration of an unbounded loop.
func (w *walker) accumulates(phi *ssa.Phi) *finding {
	fn := phi.Parent()
	var loop *dataflow.Loop
	for _, l := range w.c.loops(fn) {
		if l.Header == phi.Block() {
			loop = l
		}
	}
	if loop == nil {
		return nil
	}
	var grow ssa.Instruction
	seen := map[ssa.Value]bool{}
	var reaches func(v ssa.Value, depth int) bool
	reaches = func(v ssa.Value, depth int) bool {
		if v == phi {
			return true
		}
		if depth > 32 || seen[v] {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Phi:
			if !loop.Body[x.Block()] {
				return false
			}
			for _, e := range x.Edges {
				if reaches(e, depth+1) {
					return true
				}
			}
		case *ssa.Call:
			if isAppend(x) && len(x.Call.Args) > 0 && reaches(x.Call.Args[0], depth+1) {
				if grow == nil {
					grow = x
				}
				return true
			}
		case *ssa.BinOp:
			if x.Op == token.ADD && (reaches(x.X, depth+1) || reaches(x.Y, depth+1)) {
				if grow == nil {
					grow = x
				}
				return true
			}
		case *ssa.Convert:
			return reaches(x.X, depth+1)
		case *ssa.ChangeType:
			return reaches(x.X, depth+1)
		case *ssa.Slice:
			return reaches(x.X, depth+1)
		}
		return false
	}
	for i, e := range phi.Edges {
		if i < len(phi.Block().Preds) && loop.Body[phi.Block().Preds[i]] {
			reaches(e, 0)
		}
	}
	if grow == nil || bounded(loop) {
		return nil
	}
	l := w.c.describe(fn, loop, grow)
	how := kindOf(phi.Type()) + " appended to in a loop"
	if isConcat(grow.(ssa.Value)) {
		how = "a string concatenated in a loop"
	}
	return w.add(&finding{over: l.over, how: how, loop: l})
}

// field handles field idx of base: stored by this function into a struct
// it created, or held by the program (a field of a receiver, parameter or
// global).
func (w *walker) field(base ssa.Value, idx int, t types.Type, m mode) *finding {
	root := base
	var name []string
	for range 8 {
		switch r := root.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL {
				root = r.X
				continue
			}
		case *ssa.FieldAddr:
			name = append(name, fieldName(r.X.Type(), r.Field))
			root = r.X
			continue
		case *ssa.Field:
			name = append(name, fieldName(r.X.Type(), r.Field))
			root = r.X
			continue
		case *ssa.FreeVar:
			if b := dataflow.Binding(r); b != nil {
				root = b
				continue
			}
		}
		break
	}
	if p, ok := root.(*ssa.Parameter); ok && root == base {
		// A field of a parameter of a callee the walk descended into: the
		// same field of the caller's argument.
		if f, inCallee := w.inCaller(p, func(arg ssa.Value) *finding { return w.field(arg, idx, t, m) }); inCallee {
			return f
		}
	}
	if call, ok := root.(*ssa.Call); ok && root == base && m == modeContent && mayHoldCollection(t) {
		// A field of a result that grows: the field is what holds it.
		if f := w.resultGrows(&call.Call, 0); f != nil {
			return f
		}
	}
	switch r := root.(type) {
	case *ssa.Alloc, *ssa.Call, *ssa.MakeMap:
		if root != base {
			return nil
		}
		// A struct this function made: what it stored into the field.
		var out *finding
		for _, a := range w.c.aliases(base) {
			refs := a.Referrers()
			if refs == nil {
				continue
			}
			for _, ref := range *refs {
				fa, ok := ref.(*ssa.FieldAddr)
				if !ok || fa.Field != idx {
					continue
				}
				for _, s := range storesTo(fa) {
					if isAppend(s.Val) || isConcat(s.Val) {
						if l, ok := w.c.repeated(s, base); ok {
							out = first(out, w.add(&finding{over: l.over, how: kindOf(s.Val.Type()) + " appended to in a loop", loop: l}))
							continue
						}
					}
					out = first(out, w.walk(s.Val, m))
				}
			}
		}
		return out
	case *ssa.Parameter, *ssa.Global:
		if m != modeContent {
			return nil
		}
		rootName := ""
		switch r := r.(type) {
		case *ssa.Parameter:
			rootName = r.Name()
		case *ssa.Global:
			rootName = r.Name()
		}
		slices.Reverse(name)
		full := rootName
		for _, n := range name {
			full += "." + n
		}
		full += "." + fieldName(base.Type(), idx)
		return w.heldBy(full, t)
	}
	return nil
}

func elemType(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func fieldName(t types.Type, idx int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || idx >= st.NumFields() {
		return "?"
	}
	return st.Field(idx).Name()
}

// call handles result idx of a call.
func (w *walker) call(call *ssa.Call, idx int, m mode) *finding {
	cc := &call.Call
	if b, ok := cc.Value.(*ssa.Builtin); ok {
		if b.Name() == "append" {
			var out *finding
			for _, a := range cc.Args {
				out = first(out, w.walk(a, m))
			}
			return out
		}
		return nil
	}
	if arg, ok := dataflow.Marshal(cc); ok && idx == 0 {
		encoding := w.encoding
		w.encoding = true
		f := w.content(arg)
		w.encoding = encoding
		if f != nil && f.prefix == "" && f.size == 0 {
			f.prefix = dataflow.QualifiedFuncName(dataflow.Callee(cc)) + " of "
			f.marshalAt = cc.Pos()
		}
		return f
	}
	fn := dataflow.Callee(cc)
	if fn == nil {
		return nil
	}
	path, name := "", fn.Name()
	if fn.Pkg() != nil {
		path = fn.Pkg().Path()
	}
	recv := fn.Signature().Recv()
	switch {
	case recv == nil && (path == "strings" || path == "bytes") && name == "Join" && len(cc.Args) > 0:
		f := w.content(cc.Args[0])
		if f != nil && f.prefix == "" && f.size == 0 {
			f.prefix = path + ".Join of "
		}
		return f
	case recv == nil && (path == "strings" || path == "bytes") && name == "Repeat" && len(cc.Args) == 2:
		s, ok1 := dataflow.ConstString(cc.Args[0])
		n, ok2 := intConst(cc.Args[1])
		if ok1 && ok2 && int64(len(s))*n > w.c.maxBytes {
			return w.add(&finding{size: int64(len(s)) * n, sizeWhat: path + ".Repeat"})
		}
		return nil
	case recv != nil && lvfacts.IsBuffer(recv.Type()) && (name == "String" || name == "Bytes") && len(cc.Args) == 1:
		return w.buffer(cc.Args[0])
	case sizePreserving(path, name, recv != nil):
		var out *finding
		for _, a := range cc.Args {
			if isStringOrBytes(a.Type()) {
				out = first(out, w.value(a))
			}
		}
		return out
	}
	if f := w.resultGrows(cc, idx); f != nil {
		return f
	}
	callee := cc.StaticCallee()
	if callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == w.c.pkg && len(callee.Blocks) > 0 && len(w.frames) < maxDepth {
		w.frames = append(w.frames, frame{fn: callee, call: cc})
		defer func() { w.frames = w.frames[:len(w.frames)-1] }()
		var out *finding
		for _, b := range callee.Blocks {
			if len(b.Instrs) == 0 {
				continue
			}
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && idx < len(ret.Results) {
				out = first(out, w.walk(ret.Results[idx], m))
			}
		}
		return out
	}
	return nil
}

// resultGrows reports result idx of a call whose callee, or (for a call
// through an interface) one of the implementations with a Grows fact that
// the table sees (facts.Table.Callees), returns a value that grows with a
// collection. An
// implementation whose collection is held by a type the walk has excluded
// is skipped.
func (w *walker) resultGrows(cc *ssa.CallCommon, idx int) *finding {
	fn := dataflow.Callee(cc)
	if fn == nil {
		return nil
	}
	if g := w.c.grows(fn); g != nil && slices.Contains(g.Results, idx) && !w.excludes(g) {
		return w.add(&finding{over: g.Over, how: g.How, from: "returned by " + dataflow.QualifiedFuncName(fn), fromAt: fn.Pos()})
	}
	if !cc.IsInvoke() {
		return nil
	}
	for _, callee := range w.c.growsAt(cc) {
		impl, g := callee.Fn, callee.Fact
		if slices.Contains(g.Results, idx) && !w.excludes(g) {
			return w.add(&finding{over: g.Over, how: g.How,
				from: "returned by " + dataflow.QualifiedFuncName(impl) + " through " + dataflow.QualifiedFuncName(fn), fromAt: impl.Pos(),
				callAt: cc.Pos()})
		}
	}
	return nil
}

func (w *walker) excludes(g *lvfacts.Grows) bool {
	for _, h := range g.Holders {
		if slices.Contains(w.excluded, h) {
			return true
		}
	}
	return false
}

// mayHoldCollection reports whether a field of type t can hold a collection:
// an interface, or a type that holds one.
func mayHoldCollection(t types.Type) bool {
	return types.IsInterface(t) || collection(t, 0)
}

// decodedInto walks the data decoded into the variable addr
// (json.Unmarshal(data, &v)): v holds what the data held.
func (w *walker) decodedInto(addr *ssa.Alloc) *finding {
	var out *finding
	for _, u := range w.c.uses(addr) {
		call, ok := u.(ssa.CallInstruction)
		if !ok {
			continue
		}
		data, dst, ok := dataflow.Unmarshal(call.Common())
		if !ok {
			continue
		}
		if mi, isIface := dst.(*ssa.MakeInterface); isIface {
			dst = mi.X
		}
		if dst == addr {
			out = first(out, w.value(data))
		}
	}
	return out
}

func intConst(v ssa.Value) (int64, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(c.Value)
}

// sizePreserving reports standard functions whose result is about as large
// as their string or []byte arguments.
func sizePreserving(path, name string, method bool) bool {
	switch path {
	case "strings", "bytes":
		return !method && (strings.HasPrefix(name, "To") || strings.HasPrefix(name, "Trim") ||
			strings.HasPrefix(name, "Replace") || name == "Clone" || name == "Title")
	case "strconv":
		return strings.HasPrefix(name, "Quote") || strings.HasPrefix(name, "AppendQuote")
	case "encoding/base64", "encoding/base32", "encoding/hex":
		return name == "EncodeToString" || name == "AppendEncode"
	}
	return false
}

// buffer handles a bytes.Buffer or strings.Builder whose String or Bytes is
// written: written to in a loop, or what was written into it.
func (w *walker) buffer(recv ssa.Value) *finding {
	root := recv
	for range 4 {
		if u, ok := root.(*ssa.UnOp); ok && u.Op == token.MUL {
			root = u.X
			continue
		}
		if fv, ok := root.(*ssa.FreeVar); ok {
			if b := dataflow.Binding(fv); b != nil {
				root = b
				continue
			}
		}
		break
	}
	switch root.(type) {
	case *ssa.Alloc, *ssa.Call:
	default:
		return nil
	}
	if !w.enter(root, modeValue) {
		return nil
	}
	kind := "a bytes.Buffer"
	if t, ok := root.Type().Underlying().(*types.Pointer); ok && types.TypeString(t.Elem(), nil) == "strings.Builder" {
		kind = "a strings.Builder"
	}
	var out *finding
	// The buffer, and the writers that write into it (a gzip.Writer or a
	// bufio.Writer made on it): what is written into any of them is in it.
	sinks := []ssa.Value{root}
	for i := 0; i < len(sinks) && i < 4; i++ {
		sink := sinks[i]
		for _, u := range w.c.uses(sink) {
			call, ok := u.(ssa.CallInstruction)
			if !ok {
				continue
			}
			fn := dataflow.Callee(call.Common())
			if fn != nil && wrapsWriter(fn) && call.Value() != nil {
				sinks = append(sinks, call.Value())
			}
		}
	}
	var uses []ssa.Instruction
	for _, sink := range sinks {
		uses = append(uses, w.c.uses(sink)...)
	}
	for _, u := range uses {
		call, ok := u.(ssa.CallInstruction)
		if !ok {
			continue
		}
		cc := call.Common()
		fn := dataflow.Callee(cc)
		if fn == nil || !writesInto(fn) && !(len(sinks) > 1 && writerMethod(fn, cc, sinks[1:])) {
			continue
		}
		var enc []ssa.Instruction
		if fn.Name() == "NewEncoder" {
			if v := call.Value(); v != nil {
				enc = encodes(v)
			}
		} else {
			enc = []ssa.Instruction{call}
		}
		for _, e := range enc {
			if l, ok := w.c.repeated(e, root); ok {
				out = first(out, w.add(&finding{over: l.over, how: kind + " written in a loop", loop: l}))
				continue
			}
			for _, a := range e.(ssa.CallInstruction).Common().Args {
				if !slices.Contains(sinks, a) {
					out = first(out, w.content(a))
				}
			}
		}
	}
	return out
}

// writesInto reports functions that write into the buffer they are given.
func writesInto(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	p, n := fn.Pkg().Path(), fn.Name()
	switch {
	case fn.Signature().Recv() != nil && (p == "bytes" || p == "strings") && (strings.HasPrefix(n, "Write") || n == "ReadFrom"):
		return true
	case p == "fmt" && strings.HasPrefix(n, "Fprint"):
		return true
	case p == "io" && (n == "WriteString" || n == "Copy"):
		return true
	case p == "encoding/binary" && n == "Write":
		return true
	case (p == "encoding/json" || p == "encoding/gob" || p == "encoding/xml") && n == "NewEncoder":
		return true
	}
	return false
}

// wrapsWriter reports standard functions that return a writer writing
// into the writer they are given (compressed, buffered or encoded): a
// value written into the result ends up, about as large or larger, in
// the writer given.
func wrapsWriter(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	p, n := fn.Pkg().Path(), fn.Name()
	switch p {
	case "compress/gzip", "compress/zlib", "compress/flate", "compress/lzw", "bufio":
		return strings.HasPrefix(n, "NewWriter")
	case "encoding/base64", "encoding/base32", "encoding/hex", "encoding/ascii85":
		return n == "NewEncoder"
	case "io":
		return n == "MultiWriter"
	}
	return false
}

// writerMethod reports a Write or WriteString method called on one of the
// wrapping writers.
func writerMethod(fn *types.Func, cc *ssa.CallCommon, wrappers []ssa.Value) bool {
	if fn.Signature().Recv() == nil || (fn.Name() != "Write" && fn.Name() != "WriteString") || len(cc.Args) == 0 {
		return false
	}
	return slices.Contains(wrappers, cc.Args[0]) || cc.IsInvoke() && slices.Contains(wrappers, cc.Value)
}

// encodes returns the Encode calls on an encoder.
func encodes(enc ssa.Value) []ssa.Instruction {
	refs := enc.Referrers()
	if refs == nil {
		return nil
	}
	var out []ssa.Instruction
	for _, r := range *refs {
		if call, ok := r.(ssa.CallInstruction); ok {
			if fn := dataflow.Callee(call.Common()); fn != nil && fn.Name() == "Encode" {
				out = append(out, r)
			}
		}
	}
	return out
}
