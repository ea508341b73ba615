package largevalue

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/report"
)

// A whole collection of records handed in.
//
// A function that encodes an entire map or slice parameter whose elements
// are records (one struct per object: every node, every pipeline) and writes
// it under one constant key stores the whole table of objects in one value,
// whatever its callers pass: the value grows with the number of objects, and
// every write copies all of them. Its callers are checked too (the function
// carries Whole for that parameter); the function itself is reported when
// the parameter's type is such a collection. Under a key made from another
// argument (a group's members under the group's key) the collection may be
// the object's own, and only callers that grow it are reported.

// wholeParam reports a write, under the constant key, of the whole content
// of a parameter of fn (listed in whole) that is a collection of records.
func (c *checker) wholeParam(fn *ssa.Function, wr summary.Write, key string, whole []int) (report.Diagnostic, bool) {
	for _, i := range whole {
		p := paramAt(fn, i)
		if p == nil || !recordsIn(p.Type()) {
			continue
		}
		pos := wr.Instr.Pos()
		if call, ok := wr.Instr.(ssa.CallInstruction); ok && call.Common().Pos().IsValid() {
			pos = call.Common().Pos()
		}
		related := []analysis.RelatedInformation{report.Related(p.Pos(), "%s is handed in by the caller", p.Name())}
		if wr.Via != nil && wr.Via.Pos().IsValid() {
			related = append(related, report.Related(wr.Via.Pos(), "%s writes it to etcd", dataflow.QualifiedFuncName(wr.Via)))
		}
		return report.Diagnostic{
			Pos: pos, Category: "grows", Related: related,
			Message: fmt.Sprintf("value written to %q holds the whole %s (%s of records, one per object): it grows with their number and every write copies all of them; etcd keeps ≥%d recent writes in memory and every revision until compaction, and rejects requests over %s; write one key per element",
				key, p.Name(), kindOf(p.Type()), etcdapi.SnapshotCatchUpEntries, mib(etcdapi.MaxRequestBytes)),
		}, true
	}
	return report.Diagnostic{}, false
}

// paramAt returns parameter i of fn (-1 the receiver).
func paramAt(fn *ssa.Function, i int) *ssa.Parameter {
	if fn.Signature.Recv() != nil {
		i++
	}
	if i < 0 || i >= len(fn.Params) {
		return nil
	}
	return fn.Params[i]
}

// recordsIn reports a map or slice whose elements are records: structs, or
// pointers to structs.
func recordsIn(t types.Type) bool {
	var elem types.Type
	switch u := t.Underlying().(type) {
	case *types.Slice:
		elem = u.Elem()
	case *types.Map:
		elem = u.Elem()
	default:
		return false
	}
	if p, ok := elem.Underlying().(*types.Pointer); ok {
		elem = p.Elem()
	}
	_, ok := elem.Underlying().(*types.Struct)
	return ok
}
