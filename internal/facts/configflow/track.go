package configflow

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
)

// Callee is one function a call may reach, with its flow.
type Callee struct {
	Fn   *types.Func
	Flow *Flow
}

// Resolver answers what a call does to the configs passed to it. Result
// backs it with facts; a whole-program mode can back it with a call graph.
type Resolver interface {
	// Flows returns the flows of the functions the call may reach: its static
	// callee, or every visible implementation of the interface method it
	// invokes. Nil when none is known.
	Flows(call *ssa.CallCommon) []Callee
}

// Start is a place where a tracked config reaches embed.StartEtcd: the
// StartEtcd call itself (Via nil) or a call of a function whose flow starts
// etcd from the config (Via names it).
type Start struct {
	Instr ssa.CallInstruction
	Via   *types.Func
}

// Return is a return of a tracked config from Fn as result Index.
type Return struct {
	Fn    *ssa.Function
	Index int
}

// Through is a call of a function of the same package that the tracked
// config is passed to, as the parameters Params (-1 is the receiver).
type Through struct {
	Call   ssa.CallInstruction
	Fn     *ssa.Function
	Params []int
}

// Effect is what happens to a tracked config.
type Effect struct {
	State   State
	Starts  []Start
	Returns []Return
	// DataDir are the stores to the config's Dir field in the tracked code.
	DataDir []*ssa.Store
	// Through are the calls of same-package functions the config is passed to.
	Through []Through
}

// Engine follows configs through the functions of one package.
type Engine struct {
	res Resolver
	// loads are the values read from each struct field or package variable
	// of type *Config in the package's functions: a config stored there may
	// come out at any of them.
	loads map[types.Object][]ssa.Value
}

// maxSteps bounds one Track.
const maxSteps = 4096

// NewEngine returns an engine over the package's functions funcs (with their
// function literals), resolving calls with res.
func NewEngine(funcs []*ssa.Function, res Resolver) *Engine {
	e := &Engine{res: res, loads: map[types.Object][]ssa.Value{}}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op != token.MUL || !IsConfigPtr(x.Type()) {
						continue
					}
					switch a := x.X.(type) {
					case *ssa.FieldAddr:
						if f := summary.FieldOf(a); f != nil {
							e.loads[f] = append(e.loads[f], x)
						}
					case *ssa.Global:
						if obj := a.Object(); obj != nil {
							e.loads[obj] = append(e.loads[obj], x)
						}
					}
				case *ssa.Field:
					if !IsConfigPtr(x.Type()) {
						continue
					}
					if st, ok := x.X.Type().Underlying().(*types.Struct); ok && x.Field < st.NumFields() {
						f := st.Field(x.Field)
						e.loads[f] = append(e.loads[f], x)
					}
				}
			}
		}
	}
	return e
}

type tracking struct {
	e     *Engine
	eff   *Effect
	seen  map[ssa.Value]bool
	work  []ssa.Value
	steps int
}

// Track follows the configs seeds (values of type *Config) forward, starting
// from the state init, and returns what happens to them.
func (e *Engine) Track(seeds []ssa.Value, init State) *Effect {
	t := &tracking{e: e, eff: &Effect{State: init}, seen: map[ssa.Value]bool{}}
	for _, s := range seeds {
		t.add(s)
	}
	for len(t.work) > 0 {
		if t.steps++; t.steps > maxSteps {
			t.eff.State.Opaque = true
			break
		}
		v := t.work[len(t.work)-1]
		t.work = t.work[:len(t.work)-1]
		t.visit(v)
	}
	return t.eff
}

func (t *tracking) add(v ssa.Value) {
	if v == nil || t.seen[v] {
		return
	}
	t.seen[v] = true
	t.work = append(t.work, v)
}

func (t *tracking) opaque() { t.eff.State.Opaque = true }

// visit handles the uses of v, a *Config that holds the tracked config.
func (t *tracking) visit(v ssa.Value) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Phi:
			t.add(r)
		case *ssa.ChangeType:
			t.add(r)
		case *ssa.FieldAddr:
			if r.X == v {
				t.field(r)
			}
		case *ssa.UnOp:
			if r.Op == token.MUL && r.X == v {
				t.copied(r)
			}
		case *ssa.Store:
			if r.Val == v {
				t.storedInto(r.Addr)
			} else if r.Addr == v && !isZero(r.Val) {
				// *cfg = other: the whole config is overwritten.
				t.opaque()
			}
		case ssa.CallInstruction:
			t.call(r, v)
		case *ssa.Return:
			for i, x := range r.Results {
				if x == v {
					t.eff.Returns = append(t.eff.Returns, Return{Fn: r.Parent(), Index: i})
				}
			}
		case *ssa.MakeClosure:
			if fn, ok := r.Fn.(*ssa.Function); ok {
				for i, b := range r.Bindings {
					if b == v && i < len(fn.FreeVars) {
						t.add(fn.FreeVars[i])
					}
				}
			}
		case *ssa.MakeInterface:
			t.iface(r)
		case *ssa.BinOp, *ssa.If, *ssa.DebugRef:
			// cfg == nil
		default:
			// Sent on a channel, put in a map or slice, converted: any
			// code may set its fields.
			t.opaque()
		}
	}
}

// field handles &cfg.F.
func (t *tracking) field(fa *ssa.FieldAddr) {
	fv := summary.FieldOf(fa)
	if etcdapi.IsConfigDataDir(fv) {
		if refs := fa.Referrers(); refs != nil {
			for _, r := range *refs {
				if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
					t.eff.DataDir = append(t.eff.DataDir, st)
				}
			}
		}
		return
	}
	role := etcdapi.ConfigFieldRole(fv)
	if role == "" {
		return
	}
	s := t.eff.State.Field(role)
	refs := fa.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == fa {
				val, known := constValue(r.Val)
				s.assign(val, known)
			}
		case *ssa.UnOp, *ssa.DebugRef:
			// read
		default:
			// The field's address escapes: flag.StringVar(&cfg.F, ...).
			s.assign("", false)
		}
	}
}

// copied handles *cfg, a copy of the whole config: stored into another
// config, the copy is followed too.
func (t *tracking) copied(load *ssa.UnOp) {
	refs := load.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Val == load && IsConfigPtr(st.Addr.Type()) {
			t.add(st.Addr)
		}
	}
}

// storedInto handles a store of the config into addr.
func (t *tracking) storedInto(addr ssa.Value) {
	switch a := addr.(type) {
	case *ssa.Alloc:
		t.holder(a)
	case *ssa.FieldAddr:
		f := summary.FieldOf(a)
		if f == nil {
			t.opaque()
			return
		}
		for _, l := range t.e.loads[f] {
			t.add(l)
		}
	case *ssa.Global:
		if obj := a.Object(); obj != nil {
			for _, l := range t.e.loads[obj] {
				t.add(l)
			}
		}
	case *ssa.FreeVar:
		t.holder(a)
	default:
		t.opaque()
	}
}

// holder follows a variable (a local whose address is taken or that a
// closure captures) that holds the config.
func (t *tracking) holder(h ssa.Value) {
	if t.seen[h] {
		return
	}
	t.seen[h] = true
	refs := h.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL && r.X == h {
				t.add(r)
			}
		case *ssa.Store:
			if r.Addr != h {
				t.opaque()
			}
		case *ssa.MakeClosure:
			if fn, ok := r.Fn.(*ssa.Function); ok {
				for i, b := range r.Bindings {
					if b == h && i < len(fn.FreeVars) {
						t.holder(fn.FreeVars[i])
					}
				}
			}
		case *ssa.DebugRef:
		default:
			// &cfg handed to other code (a decoder, a flag).
			t.opaque()
		}
	}
}

// iface handles the config converted to an interface.
func (t *tracking) iface(mi *ssa.MakeInterface) {
	refs := mi.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.TypeAssert:
			if IsConfigPtr(r.Type()) {
				t.add(r)
			} else if tup, ok := r.Type().(*types.Tuple); ok && tup.Len() > 0 && IsConfigPtr(tup.At(0).Type()) {
				for _, x := range extracts(r, 0) {
					t.add(x)
				}
			}
		case ssa.CallInstruction:
			fn := dataflow.Callee(r.Common())
			if fn != nil && fn.Pkg() != nil && readsOnly(fn) {
				continue
			}
			t.opaque()
		case *ssa.DebugRef:
		default:
			t.opaque()
		}
	}
}

// readsOnly reports whether fn, given the config as an interface, only reads
// it: etcd's own functions, and standard-library functions other than
// decoders (fmt.Printf("%+v", cfg), log.Println).
func readsOnly(fn *types.Func) bool {
	path := fn.Pkg().Path()
	if etcdapi.IsEtcdModule(path) {
		return true
	}
	if !dataflow.IsStd(path) {
		return false
	}
	name := fn.Name()
	return !strings.Contains(name, "Unmarshal") && !strings.Contains(name, "Decode") &&
		path != "reflect" && path != "flag" && path != "encoding/gob"
}

// call handles the config passed to a call.
func (t *tracking) call(instr ssa.CallInstruction, v ssa.Value) {
	call := instr.Common()
	if call.Value == v {
		return
	}
	var positions []int
	static := call.StaticCallee()
	for i, a := range call.Args {
		if a != v {
			continue
		}
		p := i
		if !call.IsInvoke() && static != nil && static.Signature.Recv() != nil {
			p = i - 1
		}
		positions = append(positions, p)
	}
	if len(positions) == 0 {
		return
	}
	callee := dataflow.Callee(call)
	if op, ok := etcdapi.Lookup(callee); ok {
		if op.Kind == etcdapi.StartServer {
			t.eff.Starts = append(t.eff.Starts, Start{Instr: instr})
		}
		return
	}
	if callee != nil && callee.Pkg() != nil && etcdapi.IsEtcdModule(callee.Pkg().Path()) {
		return // cfg.Validate(), embed.NewZapCoreLoggerBuilder: etcd's own code
	}
	if static != nil && len(static.Blocks) > 0 && static.Pkg != nil && static.Pkg == instr.Parent().Pkg {
		t.eff.Through = append(t.eff.Through, Through{Call: instr, Fn: static, Params: positions})
	}
	if !call.IsInvoke() && static == nil {
		if etcdCallback(call.Value) {
			return // cfg.ZapLoggerBuilder(cfg): a hook etcd defines
		}
		t.opaque()
		return
	}
	flows := t.e.res.Flows(call)
	if len(flows) == 0 {
		if call.IsInvoke() {
			t.opaque() // no implementation visible
		}
		// A function with no flow does nothing to a config: setting a field
		// or starting etcd uses etcd's API, which gives it a flow.
		return
	}
	for _, c := range flows {
		if c.Flow == nil {
			continue
		}
		for _, p := range positions {
			if pf := c.Flow.Param(p); pf != nil {
				t.eff.State.Merge(pf.State)
				if pf.Starts {
					t.eff.Starts = append(t.eff.Starts, Start{Instr: instr, Via: c.Fn})
				}
			}
			for _, rf := range c.Flow.Results {
				if rf.FromParam && rf.Param == p {
					if res, ok := instr.(*ssa.Call); ok {
						for _, x := range ResultValues(res, rf.Index) {
							t.add(x)
						}
					}
				}
			}
		}
	}
}

// etcdCallback reports whether fn is a function value read from a field of an
// etcd struct (embed.Config.ZapLoggerBuilder).
func etcdCallback(fn ssa.Value) bool {
	var f *types.Var
	switch x := fn.(type) {
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			f = summary.FieldOf(fa)
		}
	case *ssa.Field:
		if st, ok := x.X.Type().Underlying().(*types.Struct); ok && x.Field < st.NumFields() {
			f = st.Field(x.Field)
		}
	}
	return f != nil && f.Pkg() != nil && etcdapi.IsEtcdModule(f.Pkg().Path())
}

// ResultValues returns the values that carry result i of call.
func ResultValues(call *ssa.Call, i int) []ssa.Value {
	if call.Call.Signature().Results().Len() == 1 {
		if i == 0 {
			return []ssa.Value{call}
		}
		return nil
	}
	return extracts(call, i)
}

func extracts(tuple ssa.Value, i int) []ssa.Value {
	refs := tuple.Referrers()
	if refs == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *refs {
		if x, ok := r.(*ssa.Extract); ok && x.Index == i {
			out = append(out, x)
		}
	}
	return out
}

func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value == nil
}

// Origin is a place where a function gets a config of its own: a call of
// embed.NewConfig, a Config literal (or new(embed.Config)), or a call of a
// function whose result is a fresh config.
type Origin struct {
	Value ssa.Value // the *Config
	Instr ssa.Instruction
	Init  State // what the callee already set on it
	// Via is the function called for a fresh config (nil for NewConfig and literals).
	Via     *types.Func
	Started bool // the callee already starts etcd from it
}

// Origins returns the configs created in fn's own body (not its literals').
func Origins(fn *ssa.Function, res Resolver) []Origin {
	var out []Origin
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				callee := dataflow.Callee(&x.Call)
				if etcdapi.IsNewConfig(callee) {
					out = append(out, Origin{Value: x, Instr: x})
					continue
				}
				if x.Call.IsInvoke() || x.Call.StaticCallee() == nil {
					continue
				}
				for _, c := range res.Flows(&x.Call) {
					if c.Flow == nil {
						continue
					}
					for _, rf := range c.Flow.Results {
						if !rf.Fresh || rf.State.Opaque {
							continue
						}
						for _, v := range ResultValues(x, rf.Index) {
							out = append(out, Origin{Value: v, Instr: x, Init: rf.State, Via: c.Fn, Started: rf.Started})
						}
					}
				}
			case *ssa.Alloc:
				if IsConfigPtr(x.Type()) && freshAlloc(x) {
					out = append(out, Origin{Value: x, Instr: x})
				}
			}
		}
	}
	return out
}

// freshAlloc reports whether a is a new config (a literal, new(Config), a
// zero variable) rather than a copy of another one.
func freshAlloc(a *ssa.Alloc) bool {
	refs := a.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a && !isZero(st.Val) {
			return false
		}
	}
	return true
}
