package clientpercall

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// source is where one value of a dial's configuration comes from: a root
// value (a parameter, a global, a call's result, a local variable) and the
// fields or elements taken from it, or a constant.
type source struct {
	root ssa.Value
	path string
}

// sourceOf returns the source of v, or false when v is built in a way the
// pass does not follow (a composite literal, a call's arguments).
func sourceOf(v ssa.Value) (source, bool) {
	path := ""
	for depth := 0; depth < 16; depth++ {
		switch x := v.(type) {
		case *ssa.Const:
			if x.Value == nil {
				return source{path: "nil:" + x.Type().String() + path}, true
			}
			return source{path: x.Value.ExactString() + ":" + x.Type().String() + path}, true
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return source{}, false
			}
			v = x.X
		case *ssa.FieldAddr:
			path = "." + strconv.Itoa(x.Field) + path
			v = x.X
		case *ssa.Field:
			path = "." + strconv.Itoa(x.Field) + path
			v = x.X
		case *ssa.IndexAddr:
			i, ok := constIndex(x.Index)
			if !ok {
				return source{}, false
			}
			path = "[" + i + "]" + path
			v = x.X
		case *ssa.Parameter, *ssa.Global, *ssa.FreeVar, *ssa.Call, *ssa.Extract, *ssa.Alloc:
			return source{root: x, path: path}, true
		default:
			return source{}, false
		}
	}
	return source{}, false
}

func constIndex(v ssa.Value) (string, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return "", false
	}
	return c.Value.ExactString(), true
}

// sources returns the sources of s's configuration values that can name
// a cluster (mayNameCluster), or false when one of them cannot be named.
// A constructor whose configuration takes nothing that names a cluster
// from its caller (it reads its own settings) reaches the same cluster on
// every call: its source is its own name. One whose configuration comes
// from its receiver, whose fields may hold any number of configurations,
// has none.
func sources(s site) ([]source, bool) {
	var out []source
	recv := false
	for i, p := range s.fact.Params {
		if p < 0 {
			recv = true
			continue
		}
		if !mayNameCluster(s.config[i].Type()) {
			continue
		}
		src, ok := sourceOf(s.config[i])
		if !ok {
			return nil, false
		}
		out = append(out, src)
	}
	if len(out) == 0 {
		if recv {
			return nil, false
		}
		return []source{{path: "func:" + s.via.FullName()}}, true
	}
	return out, true
}

// mayNameCluster reports whether a configuration value of type t can say
// which cluster a client reaches: endpoints (strings), settings (structs,
// maps), not a logger, a context, TLS material, a timeout or a flag that
// components share whatever cluster they use.
func mayNameCluster(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
		switch n.Obj().Pkg().Path() {
		case "crypto/tls", "crypto/x509", "go.uber.org/zap", "time", "context", "log", "log/slog":
			return false
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		return mayNameCluster(u.Elem())
	case *types.Struct, *types.Map:
		return true
	}
	return false
}

func sameSources(a, b []source) bool {
	in := func(x source, ys []source) bool {
		for _, y := range ys {
			if x == y {
				return true
			}
		}
		return false
	}
	for _, x := range a {
		if !in(x, b) {
			return false
		}
	}
	for _, y := range b {
		if !in(y, a) {
			return false
		}
	}
	return true
}

// components reports, in fn, each call of a constructor that dials its own
// client from a configuration (a component that keeps its client: a
// store, a registry, a lock service) made after another such call with
// the same configuration, both of whose clients the function keeps: two
// components that each hold a connection to one cluster.
func (c *checker) components(fn *ssa.Function, all []site) []report.Diagnostic {
	type comp struct {
		site
		srcs []source
	}
	var comps []comp
	for _, s := range all {
		if s.via == nil || s.fact.Result < 0 || len(s.config) != len(s.fact.Params) {
			continue
		}
		if c.unitOf(fn, s) != nil || cached(fn, s.call) {
			continue // reported per iteration or request, or dialled once
		}
		srcs, ok := sources(s)
		if !ok {
			continue
		}
		comps = append(comps, comp{s, srcs})
	}
	var out []report.Diagnostic
	for j, later := range comps {
		for _, first := range comps[:j] {
			if !sameSources(first.srcs, later.srcs) || !before(first.call, later.call) ||
				onFailure(first.call, later.call) || changedAfter(fn, first.srcs, first.call) ||
				c.closedBefore(first.client, later.call) {
				continue
			}
			out = append(out, c.componentDiagnostic(first.site, later.site))
			break
		}
	}
	return out
}

// changedAfter reports whether fn stores into the memory of one of srcs
// (a local configuration, one behind a pointer) anywhere that does not run
// before call: the configuration given to a later call may differ (cfg.
// Endpoints = other).
func changedAfter(fn *ssa.Function, srcs []source, call ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			dst, ok := sourceOf(st.Addr)
			if !ok {
				continue
			}
			for _, src := range srcs {
				if src.root != nil && dst.root == src.root && !before(st, call) {
					return true
				}
			}
		}
	}
	return false
}

func (c *checker) componentDiagnostic(first, later site) report.Diagnostic {
	msg := fmt.Sprintf("%s dials its own etcd client from the same configuration as the call of %s before it: "+
		"each component holds its own gRPC connection to the same cluster, with its own watch and lease streams "+
		"(with auth enabled, each dial is also an Authenticate raft entry and a token etcd keeps for %d s); "+
		"dial one client and give it to every component (clients are safe for concurrent use)",
		dataflow.FuncName(later.via), dataflow.FuncName(first.via), etcdapi.AuthTokenTTLSeconds)
	return report.Diagnostic{Pos: later.call.Pos(), Message: msg, Category: "component",
		Related: []analysis.RelatedInformation{report.Related(first.call.Pos(), "the client dialled first")}}
}

// before reports whether a runs before b on every path to b: a's block
// dominates b's, or they share a block and a comes first.
func before(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab != bb {
		return ab.Dominates(bb)
	}
	for _, instr := range ab.Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// onFailure reports whether b runs only when the dial a failed: b is in a
// fallback that a's error result being non-nil leads to.
func onFailure(a ssa.CallInstruction, b ssa.Instruction) bool {
	errv := errorOf(a)
	if errv == nil || errv.Referrers() == nil {
		return false
	}
	for _, r := range *errv.Referrers() {
		cmp, ok := r.(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) || cmp.Referrers() == nil {
			continue
		}
		for _, cr := range *cmp.Referrers() {
			ifi, ok := cr.(*ssa.If)
			if !ok || len(ifi.Block().Succs) != 2 {
				continue
			}
			failure := ifi.Block().Succs[0]
			if cmp.Op == token.EQL {
				failure = ifi.Block().Succs[1]
			}
			if failure.Dominates(b.Block()) {
				return true
			}
		}
	}
	return false
}

// closedBefore reports whether the client (or component) v is closed by a
// call, not deferred, that runs before instr: the first component is gone
// when the second is built.
func (c *checker) closedBefore(v ssa.Value, instr ssa.Instruction) bool {
	if v == nil {
		return false
	}
	work := []ssa.Value{v}
	seen := map[ssa.Value]bool{}
	for len(work) > 0 && len(seen) < 64 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] || x.Referrers() == nil {
			continue
		}
		seen[x] = true
		for _, r := range *x.Referrers() {
			switch r := r.(type) {
			case *ssa.Phi, *ssa.ChangeType, *ssa.ChangeInterface, *ssa.MakeInterface:
				work = append(work, r.(ssa.Value))
			case *ssa.UnOp:
				if r.Op == token.MUL {
					work = append(work, r)
				}
			case *ssa.Store:
				if a, ok := r.Addr.(*ssa.Alloc); ok && r.Val == x {
					work = append(work, a)
				}
			case *ssa.Call:
				if c.useInCall(r.Common(), x) == closed && before(r, instr) {
					return true
				}
			}
		}
	}
	return false
}
