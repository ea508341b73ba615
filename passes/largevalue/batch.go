package largevalue

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/report"
)

// One request for many values.
//
// An OpPut (or a raw PutRequest) made once per iteration of a loop that
// sends no request itself ends up, with the others, in the one Txn sent
// after the loop: a single request, a single raft entry, whose size is the
// sum of the values. When the values are elements of a parameter, the
// function gets Batch for that parameter; a call of such a function is
// reported when the collection it passes is filled in an unbounded loop with
// values whose size nothing bounds (strings handed in by the caller, the
// encoding of a document, data read from a file or stream).

// maxSmallConst is the size up to which a constant string is a small value.
const maxSmallConst = 1 << 10

// batchLoop returns the innermost unbounded loop of the write's function
// that contains the write and sends no request: the write is one of many
// gathered into the request sent after the loop.
func (c *checker) batchLoop(wr summary.Write) (*dataflow.Loop, bool) {
	if wr.Instr == nil || wr.Via != nil || !gathers(wr.Op) {
		return nil, false
	}
	fn := wr.Instr.Parent()
	if fn == nil {
		return nil, false
	}
	for _, l := range c.loops(fn) {
		if !l.Body[wr.Instr.Block()] || bounded(l) {
			continue
		}
		if c.sendsIn(l, 0) {
			return nil, false
		}
		acc := accumulator(wr)
		if acc == nil || c.resetIn(acc, l) || !c.sentTogether(acc) {
			return nil, false
		}
		return l, true
	}
	return nil, false
}

// gathers reports etcd writes that build an operation for a later request
// instead of sending one: OpPut.
func gathers(op etcdapi.Op) bool {
	return op.Deferred()
}

// sentTogether reports whether the slice of operations acc becomes the list
// of one Txn (Then, Else, OpTxn) in this function: operations returned to a
// caller are sent as the caller decides.
func (c *checker) sentTogether(acc ssa.Value) bool {
	for v := range c.collectionOf(acc).vals {
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			call, ok := r.(ssa.CallInstruction)
			if !ok {
				continue
			}
			for _, la := range etcdapi.TxnLists(dataflow.Callee(call.Common())) {
				if dataflow.Arg(call.Common(), la.Arg) == v {
					return true
				}
			}
		}
	}
	return false
}

// sends reports whether the etcd API call op sends a request by itself.
func sends(op etcdapi.Op) bool {
	switch op.Kind {
	case etcdapi.Put:
		return !gathers(op) && op.Name != "concurrency.STM.Put"
	case etcdapi.Get, etcdapi.Delete, etcdapi.TxnCommit, etcdapi.Do, etcdapi.Compact:
		return true
	}
	return false
}

// maxSendDepth bounds the descent into helpers of this package that may
// send the gathered operations (a flush inside the loop).
const maxSendDepth = 2

// sendsIn reports whether a request is sent inside loop l: an etcd call that
// sends, a call of a wrapper that writes, or a call of a function of this
// package that does either.
func (c *checker) sendsIn(l *dataflow.Loop, depth int) bool {
	for b := range l.Body {
		if c.blockSends(b, depth) {
			return true
		}
	}
	return false
}

func (c *checker) blockSends(b *ssa.BasicBlock, depth int) bool {
	for _, instr := range b.Instrs {
		call, ok := instr.(ssa.CallInstruction)
		if !ok {
			continue
		}
		if c.callSends(call.Common(), depth) {
			return true
		}
	}
	return false
}

func (c *checker) callSends(cc *ssa.CallCommon, depth int) bool {
	fn := dataflow.Callee(cc)
	if op, ok := etcdapi.Lookup(fn); ok {
		return sends(op)
	}
	if fn == nil {
		return false
	}
	if whole, elems, batch, _ := c.carriedBy(cc); len(whole)+len(elems)+len(batch) > 0 {
		return true
	}
	for _, callee := range c.res.Callees(cc) {
		if callee.Sum != nil && (len(callee.Sum.Key) > 0 || len(callee.Sum.Value) > 0 || len(callee.Sum.ConstKeys) > 0) {
			return true
		}
	}
	if depth >= maxSendDepth {
		return false
	}
	if callee := cc.StaticCallee(); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == c.pkg {
		for _, b := range callee.Blocks {
			if c.blockSends(b, depth+1) {
				return true
			}
		}
	}
	return false
}

// accumulator returns the slice or map an OpPut's result is gathered into:
// the result of the append, or the map updated, that takes it.
func accumulator(wr summary.Write) ssa.Value {
	call, ok := wr.Instr.(*ssa.Call)
	if !ok {
		return nil
	}
	refs := call.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Value == call {
				return r.Map
			}
		case *ssa.Store:
			ia, ok := r.Addr.(*ssa.IndexAddr)
			if !ok || r.Val != call {
				continue
			}
			// append(ops, op): op is stored into a one-element array,
			// sliced and passed to append.
			arefs := ia.X.Referrers()
			if arefs == nil {
				continue
			}
			for _, ar := range *arefs {
				sl, ok := ar.(*ssa.Slice)
				if !ok || sl.Referrers() == nil {
					continue
				}
				for _, sr := range *sl.Referrers() {
					if ap, ok := sr.(*ssa.Call); ok && isAppend(ap) && len(ap.Call.Args) == 2 && ap.Call.Args[1] == sl {
						return ap
					}
				}
			}
		}
	}
	return nil
}

// origin is where a collection value starts afresh: a make, a nil, a
// reslice, a parameter or the result of a call.
type origin struct {
	v     ssa.Value
	block *ssa.BasicBlock // where it takes effect
}

// fill is one value put into a collection.
type fill struct {
	instr ssa.Instruction
	val   ssa.Value // nil when the appended values are not visible
}

// collection gathers, going back from v, the values that are the same
// collection (phis, loads of the variable holding it, closures' views),
// where it starts afresh, and what is put into it.
type collectionInfo struct {
	vals    map[ssa.Value]bool
	origins []origin
	fills   []fill
	param   bool // one origin is a parameter of the function
}

// maxCollection bounds the values of one collection.
const maxCollection = 64

func (c *checker) collectionOf(v ssa.Value) *collectionInfo {
	ci := &collectionInfo{vals: map[ssa.Value]bool{}}
	var visit func(x ssa.Value, at *ssa.BasicBlock)
	visit = func(x ssa.Value, at *ssa.BasicBlock) {
		if x == nil || ci.vals[x] || len(ci.vals) > maxCollection {
			return
		}
		ci.vals[x] = true
		switch x := x.(type) {
		case *ssa.Phi:
			for i, e := range x.Edges {
				var pred *ssa.BasicBlock
				if i < len(x.Block().Preds) {
					pred = x.Block().Preds[i]
				}
				visit(e, pred)
			}
		case *ssa.Call:
			if isAppend(x) && len(x.Call.Args) == 2 {
				for _, e := range appended(x.Call.Args[1]) {
					ci.fills = append(ci.fills, fill{instr: x, val: e})
				}
				visit(x.Call.Args[0], x.Block())
				return
			}
			ci.origins = append(ci.origins, origin{x, x.Block()})
		case *ssa.ChangeType:
			visit(x.X, at)
		case *ssa.UnOp:
			if x.Op != token.MUL {
				ci.origins = append(ci.origins, origin{x, x.Block()})
				return
			}
			addr := x.X
			if fv, ok := addr.(*ssa.FreeVar); ok {
				if b := dataflow.Binding(fv); b != nil {
					addr = b
				}
			}
			if alloc, ok := addr.(*ssa.Alloc); ok {
				for _, a := range c.aliases(alloc) {
					for _, s := range storesTo(a) {
						visit(s.Val, s.Block())
					}
				}
				return
			}
			ci.origins = append(ci.origins, origin{x, x.Block()})
		case *ssa.FreeVar:
			if b := dataflow.Binding(x); b != nil {
				visit(b, at)
			}
		case *ssa.Parameter:
			ci.param = true
			ci.origins = append(ci.origins, origin{x, at})
		case *ssa.MakeMap, *ssa.MakeSlice, *ssa.Slice:
			ci.origins = append(ci.origins, origin{x, x.(ssa.Instruction).Block()})
			for _, a := range c.aliases(x) {
				ci.vals[a] = true
			}
		case *ssa.Const:
			ci.origins = append(ci.origins, origin{x, at})
		default:
			if instr, ok := x.(ssa.Instruction); ok {
				ci.origins = append(ci.origins, origin{x, instr.Block()})
			}
		}
	}
	visit(v, nil)
	for x := range ci.vals {
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.MapUpdate:
				if r.Map == x {
					ci.fills = append(ci.fills, fill{instr: r, val: r.Value})
				}
			case *ssa.IndexAddr:
				if r.X == x {
					for _, s := range storesTo(r) {
						ci.fills = append(ci.fills, fill{instr: s, val: s.Val})
					}
				}
			}
		}
	}
	return ci
}

// appended returns the values of append's variadic argument when it is
// the array the compiler builds for append(s, a, b).
func appended(arg ssa.Value) []ssa.Value {
	sl, ok := arg.(*ssa.Slice)
	if !ok {
		return []ssa.Value{nil}
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok || alloc.Referrers() == nil {
		return []ssa.Value{nil}
	}
	var out []ssa.Value
	for _, r := range *alloc.Referrers() {
		if ia, ok := r.(*ssa.IndexAddr); ok {
			for _, s := range storesTo(ia) {
				out = append(out, s.Val)
			}
		}
	}
	if len(out) == 0 {
		return []ssa.Value{nil}
	}
	return out
}

// resetIn reports whether the collection acc starts afresh inside loop l:
// it is sent in chunks, or once per iteration.
func (c *checker) resetIn(acc ssa.Value, l *dataflow.Loop) bool {
	for _, o := range c.collectionOf(acc).origins {
		if o.block != nil && l.Body[o.block] {
			return true
		}
	}
	return false
}

// chunked reports a collection that starts afresh inside a loop that
// fills it: it is sent in chunks, or once per iteration.
func (c *checker) chunked(ci *collectionInfo) bool {
	for _, f := range ci.fills {
		fn := f.instr.Parent()
		for _, l := range c.loops(fn) {
			if !l.Body[f.instr.Block()] {
				continue
			}
			for _, o := range ci.origins {
				if o.block != nil && o.block.Parent() == fn && l.Body[o.block] {
					return true
				}
			}
		}
	}
	return false
}

// growsIn returns the unbounded loop a fill of the collection runs in, for
// one creation of it: a loop of the collection's function that contains the
// fill and none of its origins, or an iterating callback.
func (c *checker) growsIn(ci *collectionInfo, f fill) (loopInfo, bool) {
	fn := f.instr.Parent()
	for _, o := range ci.origins {
		if o.block != nil && o.block.Parent() != fn {
			// Filled in a function literal: only an iterating callee or a
			// loop inside the literal repeats it.
			return c.repeated(f.instr, o.v)
		}
	}
	for _, l := range c.loops(fn) {
		if !l.Body[f.instr.Block()] || bounded(l) {
			continue
		}
		inside := false
		for _, o := range ci.origins {
			if o.block != nil && l.Body[o.block] {
				inside = true
			}
		}
		if !inside {
			return c.describe(fn, l, f.instr), true
		}
	}
	return loopInfo{}, false
}

// directBatch reports an operation gathered in loop l into one request when
// its value is of unbounded size that this function decides (not a
// parameter's: then the function carries Batch and its callers are checked).
func (c *checker) directBatch(l *dataflow.Loop, wr summary.Write) (report.Diagnostic, bool) {
	for _, v := range wr.Values {
		p, ok := c.payload(v, 0)
		if !ok || p.caller {
			continue
		}
		kind := "a slice"
		if acc := accumulator(wr); acc != nil {
			kind = kindOf(acc.Type())
		}
		pos := wr.Instr.Pos()
		if call, ok := wr.Instr.(ssa.CallInstruction); ok && call.Common().Pos().IsValid() {
			pos = call.Common().Pos()
		}
		return c.batchReport(pos, c.describe(wr.Instr.Parent(), l, wr.Instr), p.what, nil, kind), true
	}
	return report.Diagnostic{}, false
}

// batchDiagnostic reports a call that passes coll to a function writing all
// its elements in one request, when coll grows in a loop with values of
// unbounded size. caller is set when the size of those values is the
// caller's (elements of a parameter): the caller that fills that parameter
// in a loop is checked too.
func (c *checker) batchDiagnostic(call ssa.CallInstruction, ci *collectionInfo, coll ssa.Value, via *types.Func) (d report.Diagnostic, ok, caller bool) {
	for _, f := range ci.fills {
		if f.val == nil {
			continue
		}
		l, ok := c.growsIn(ci, f)
		if !ok {
			continue
		}
		p, ok := c.payload(f.val, 0)
		if !ok {
			// The callee encodes each element: a document stays one.
			v := f.val
			for range 4 {
				if mi, isIface := v.(*ssa.MakeInterface); isIface {
					v = mi.X
				}
			}
			if t := elemType(v.Type()); isStringOrBytes(t) || !document(t) {
				continue
			}
			p = payloadInfo{what: "documents"}
		}
		return c.batchReport(call.Common().Pos(), l, p.what, via, kindOf(coll.Type())), true, p.caller
	}
	return report.Diagnostic{}, false, false
}

func (c *checker) batchReport(pos token.Pos, l loopInfo, what string, via *types.Func, kind string) report.Diagnostic {
	over := l.over
	if over == "" {
		over = "the iterations of a loop"
	}
	var related []analysis.RelatedInformation
	if l.pos.IsValid() {
		related = append(related, report.Related(l.pos, "filled here, once per element"))
	}
	if via != nil && via.Pos().IsValid() {
		related = append(related, report.Related(via.Pos(), "%s writes all its elements in one request", dataflow.QualifiedFuncName(via)))
	}
	return report.Diagnostic{
		Pos: pos, Category: "batch", Related: related,
		Message: fmt.Sprintf("all values written in one etcd request grow with %s (%s filled in a loop, with %s): the request is one raft entry (etcd keeps ≥%d in memory), rejected over %s (server) / %s (client send limit); write in chunks or one key per request",
			over, kind, what, etcdapi.SnapshotCatchUpEntries, mib(etcdapi.MaxRequestBytes), mib(etcdapi.ClientMaxSendBytes)),
	}
}

// payloadInfo says what a value of unbounded size is; caller is set when
// the caller decides its size (a parameter or an element of one).
type payloadInfo struct {
	what   string
	caller bool
}

// maxPayloadDepth bounds payload's walk.
const maxPayloadDepth = 12

// payload reports a value whose size nothing bounds, and says what it is: a
// string or []byte handed in by the caller (a parameter or an element of
// one), the encoding of a document (anything but a fixed-size record), or
// data read from a file or stream. Constants, numbers, formatted numbers,
// fields of records and results of other calls are not payloads.
func (c *checker) payload(v ssa.Value, depth int) (payloadInfo, bool) {
	if v == nil || depth > maxPayloadDepth {
		return payloadInfo{}, false
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.String && len(constant.StringVal(v.Value)) > maxSmallConst {
			return payloadInfo{what: "constant strings over 1 KiB"}, true
		}
	case *ssa.Convert:
		return c.payload(v.X, depth+1)
	case *ssa.ChangeType:
		return c.payload(v.X, depth+1)
	case *ssa.MakeInterface:
		return c.payload(v.X, depth+1)
	case *ssa.Slice:
		return c.payload(v.X, depth+1)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return c.payload(v.X, depth+1)
		}
	case *ssa.FreeVar:
		if b := dataflow.Binding(v); b != nil {
			return c.payload(b, depth+1)
		}
	case *ssa.Alloc:
		for _, a := range c.aliases(v) {
			for _, s := range storesTo(a) {
				if p, ok := c.payload(s.Val, depth+1); ok {
					return p, true
				}
			}
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			if p, ok := c.payload(e, depth+1); ok {
				return p, true
			}
		}
	case *ssa.BinOp:
		if v.Op == token.ADD {
			if p, ok := c.payload(v.X, depth+1); ok {
				return p, true
			}
			return c.payload(v.Y, depth+1)
		}
	case *ssa.Parameter:
		if isStringOrBytes(v.Type()) {
			return payloadInfo{what: "values of unknown size from the caller's " + v.Name(), caller: true}, true
		}
	case *ssa.Extract:
		switch t := v.Tuple.(type) {
		case *ssa.Next:
			if r, ok := t.Iter.(*ssa.Range); ok && v.Index == 2 && isStringOrBytes(v.Type()) {
				return c.paramElements(r.X)
			}
		case *ssa.Lookup:
			if v.Index == 0 && isStringOrBytes(v.Type()) {
				return c.paramElements(t.X)
			}
		case *ssa.Call:
			if v.Index == 0 {
				return c.callPayload(t, depth)
			}
		}
	case *ssa.Lookup:
		if isStringOrBytes(v.Type()) {
			return c.paramElements(v.X)
		}
	case *ssa.Index:
		if isStringOrBytes(v.Type()) {
			return c.paramElements(v.X)
		}
	case *ssa.Call:
		return c.callPayload(v, depth)
	}
	return payloadInfo{}, false
}

// paramElements reports a collection that is a parameter: its string
// elements are of a size the caller decides.
func (c *checker) paramElements(coll ssa.Value) (payloadInfo, bool) {
	for range 8 {
		switch x := coll.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return payloadInfo{}, false
			}
			coll = x.X
			continue
		case *ssa.Slice:
			coll = x.X
			continue
		case *ssa.FreeVar:
			coll = dataflow.Binding(x)
			if coll == nil {
				return payloadInfo{}, false
			}
			continue
		case *ssa.Parameter:
			return payloadInfo{what: "values of unknown size from the caller's " + x.Name(), caller: true}, true
		}
		return payloadInfo{}, false
	}
	return payloadInfo{}, false
}

// callPayload handles the first result of a call: an encoding, a read, or
// a function of this package whose result is one.
func (c *checker) callPayload(call *ssa.Call, depth int) (payloadInfo, bool) {
	cc := &call.Call
	if arg, ok := dataflow.Marshal(cc); ok {
		for range 4 {
			if mi, ok := arg.(*ssa.MakeInterface); ok {
				arg = mi.X
			}
		}
		if document(arg.Type()) {
			return payloadInfo{what: "encoded documents"}, true
		}
		return payloadInfo{}, false
	}
	fn := dataflow.Callee(cc)
	if fn == nil {
		return payloadInfo{}, false
	}
	if fn.Pkg() != nil && fn.Signature().Recv() == nil {
		switch fn.Pkg().Path() + "." + fn.Name() {
		case "io.ReadAll", "io/ioutil.ReadAll", "os.ReadFile", "io/ioutil.ReadFile":
			return payloadInfo{what: "data read from a file or stream"}, true
		}
	}
	callee := cc.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg != c.pkg || len(callee.Blocks) == 0 {
		return payloadInfo{}, false
	}
	for _, b := range callee.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && len(ret.Results) > 0 {
			if p, ok := c.payload(ret.Results[0], depth+1); ok {
				return p, true
			}
		}
	}
	return payloadInfo{}, false
}

// document reports whether encoding a value of type t gives a document of
// unbounded size: anything but a scalar, a string or a fixed-size record.
func document(t types.Type) bool {
	return !fixedSize(t, 0)
}

func fixedSize(t types.Type, depth int) bool {
	if depth > 4 {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return true
	case *types.Pointer:
		return fixedSize(u.Elem(), depth+1)
	case *types.Array:
		return fixedSize(u.Elem(), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			if !fixedSize(u.Field(i).Type(), depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// rangedParam returns the parameter of top whose elements loop l ranges
// over (a slice, a pointer to an array, or a map handed in by the caller):
// the caller decides how many times the loop runs.
func rangedParam(l *dataflow.Loop, top *ssa.Function) (int, bool) {
	for _, instr := range l.Header.Instrs {
		if n, ok := instr.(*ssa.Next); ok && !n.IsString {
			if r, ok := n.Iter.(*ssa.Range); ok {
				return paramOf(r.X, top)
			}
		}
	}
	if len(l.Header.Instrs) == 0 {
		return 0, false
	}
	iff, ok := dataflow.LastIf(l.Header)
	if !ok {
		return 0, false
	}
	cmp, ok := iff.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.LSS {
		return 0, false
	}
	n, ok := cmp.Y.(*ssa.Call)
	if !ok {
		return 0, false
	}
	if b, isBuiltin := n.Call.Value.(*ssa.Builtin); !isBuiltin || b.Name() != "len" || len(n.Call.Args) != 1 {
		return 0, false
	}
	return paramOf(n.Call.Args[0], top)
}

// paramOf returns the index of the parameter of top that v is (through
// loads, reslices and captured variables).
func paramOf(v ssa.Value, top *ssa.Function) (int, bool) {
	for range 8 {
		switch x := v.(type) {
		case *ssa.Slice:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.FreeVar:
			if v = dataflow.Binding(x); v == nil {
				return 0, false
			}
		case *ssa.Parameter:
			return dataflow.ParamIndex(x, top)
		default:
			return 0, false
		}
	}
	return 0, false
}
