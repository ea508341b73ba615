// Package dataflow answers "where does this SSA value come from" for
// etcdlint's summaries and passes: which parameters, constants and calls an
// etcd key or value is built from, through conversions, concatenation,
// formatting, marshalling, struct fields, closures and local buffers.
package dataflow

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// maxVisit bounds one walk, so that huge functions cost linear time at most.
const maxVisit = 512

// Roots walks backwards from v through operations whose result carries the
// content of their operands and calls root for every value it cannot see
// through: parameters, constants, globals, calls to functions that are not
// transformations, receives, and so on. Each root is reported once.
func Roots(v ssa.Value, root func(ssa.Value)) {
	w := walker{seen: map[ssa.Value]bool{}, root: root}
	w.walk(v)
}

type walker struct {
	seen map[ssa.Value]bool
	root func(ssa.Value)
}

func (w *walker) walk(v ssa.Value) {
	if v == nil || w.seen[v] || len(w.seen) > maxVisit {
		return
	}
	w.seen[v] = true
	switch v := v.(type) {
	case *ssa.ChangeType:
		w.walk(v.X)
	case *ssa.Convert:
		w.walk(v.X)
	case *ssa.MakeInterface:
		w.walk(v.X)
	case *ssa.ChangeInterface:
		w.walk(v.X)
	case *ssa.SliceToArrayPointer:
		w.walk(v.X)
	case *ssa.TypeAssert:
		w.walk(v.X)
	case *ssa.Slice:
		w.walk(v.X)
	case *ssa.Field:
		w.walk(v.X)
	case *ssa.FieldAddr:
		w.walk(v.X)
	case *ssa.Index:
		w.walk(v.X)
	case *ssa.IndexAddr:
		w.walk(v.X)
	case *ssa.Lookup:
		w.walk(v.X)
	case *ssa.Phi:
		for _, e := range v.Edges {
			w.walk(e)
		}
	case *ssa.Extract:
		w.walk(v.Tuple)
	case *ssa.Next:
		// The key and value of a range over a map or string come from it.
		if r, ok := v.Iter.(*ssa.Range); ok {
			w.walk(r.X)
		} else {
			w.root(v)
		}
	case *ssa.BinOp:
		if v.Op == token.ADD {
			w.walk(v.X)
			w.walk(v.Y)
		} else {
			w.root(v)
		}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			w.walk(v.X)
			w.stores(v.X)
		} else {
			w.root(v)
		}
	case *ssa.Call:
		if IsTransform(&v.Call) {
			if v.Call.IsInvoke() {
				w.walk(v.Call.Value)
			}
			for _, a := range v.Call.Args {
				w.walk(a)
			}
		} else {
			w.root(v)
		}
	case *ssa.Alloc:
		w.root(v)
		w.stores(v)
	case *ssa.FreeVar:
		if b := Binding(v); b != nil {
			w.walk(b)
		} else {
			w.root(v)
		}
	default:
		w.root(v)
	}
}

// stores follows what was written into the memory at addr (a local variable,
// a struct's field, a buffer that methods write to).
func (w *walker) stores(addr ssa.Value) {
	if _, ok := addr.(*ssa.Alloc); !ok {
		return
	}
	refs := addr.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == addr {
				w.walk(r.Val)
			}
		case *ssa.FieldAddr:
			w.storesInto(r)
		case *ssa.IndexAddr:
			w.storesInto(r)
		case ssa.CallInstruction:
			// buf.WriteString(x), fmt.Fprintf(&buf, ...), enc := json.NewEncoder(&buf)
			c := r.Common()
			if IsTransform(c) || isWriterCall(c) {
				for _, a := range c.Args {
					if a != addr {
						w.walk(a)
					}
				}
			}
		}
	}
}

func (w *walker) storesInto(fa ssa.Value) {
	refs := fa.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if s, ok := r.(*ssa.Store); ok && s.Addr == fa {
			w.walk(s.Val)
		}
	}
}

// Binding returns the value a closure's free variable is bound to in the
// enclosing function (nil when the closure is not made there).
func Binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	if fn == nil || fn.Parent() == nil {
		return nil
	}
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn && idx < len(mc.Bindings) {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

// ParamIndex returns the position of parameter p in its function's
// signature, receiver excluded (-1 for the receiver), and whether p is a
// parameter of top, the function being summarised.
func ParamIndex(p *ssa.Parameter, top *ssa.Function) (int, bool) {
	if p.Parent() != top {
		return 0, false
	}
	for i, q := range top.Params {
		if q == p {
			if top.Signature.Recv() != nil {
				return i - 1, true
			}
			return i, true
		}
	}
	return 0, false
}

// Arg returns the argument of call at signature position i (receiver
// excluded; -1 is the receiver), or nil.
func Arg(call *ssa.CallCommon, i int) ssa.Value {
	if call.IsInvoke() {
		if i == -1 {
			return call.Value
		}
		if i < len(call.Args) {
			return call.Args[i]
		}
		return nil
	}
	if fn, ok := call.Value.(*ssa.Function); ok && fn.Signature.Recv() != nil {
		i++
	} else if i == -1 {
		return nil
	}
	if i >= 0 && i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

// Callee returns the declared function or method a call names: the static
// callee, or the interface method of an invoke. Nil for calls of function values.
func Callee(call *ssa.CallCommon) *types.Func {
	if call.IsInvoke() {
		return call.Method
	}
	if fn := call.StaticCallee(); fn != nil {
		if obj, ok := fn.Object().(*types.Func); ok {
			return obj
		}
		if fn.Origin() != nil {
			if obj, ok := fn.Origin().Object().(*types.Func); ok {
				return obj
			}
		}
	}
	return nil
}

// ConstString returns the string value of v when it is a constant or a
// concatenation/conversion of constants.
func ConstString(v ssa.Value) (string, bool) {
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.String {
			return constant.StringVal(v.Value), true
		}
	case *ssa.BinOp:
		if v.Op == token.ADD {
			x, ok1 := ConstString(v.X)
			y, ok2 := ConstString(v.Y)
			if ok1 && ok2 {
				return x + y, true
			}
		}
	case *ssa.Convert:
		return ConstString(v.X)
	case *ssa.ChangeType:
		return ConstString(v.X)
	case *ssa.MakeInterface:
		return ConstString(v.X)
	}
	return "", false
}

// IsStd reports whether path is a standard-library package.
func IsStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// marshalPackages are non-standard packages whose functions turn their
// argument into bytes that carry all of its content.
var marshalPackages = map[string]bool{
	"gopkg.in/yaml.v2":                              true,
	"gopkg.in/yaml.v3":                              true,
	"sigs.k8s.io/yaml":                              true,
	"github.com/ghodss/yaml":                        true,
	"google.golang.org/protobuf/proto":              true,
	"github.com/golang/protobuf/proto":              true,
	"github.com/gogo/protobuf/proto":                true,
	"github.com/json-iterator/go":                   true,
	"github.com/goccy/go-json":                      true,
	"github.com/bytedance/sonic":                    true,
	"github.com/vmihailenco/msgpack/v5":             true,
	"github.com/vmihailenco/msgpack":                true,
	"github.com/BurntSushi/toml":                    true,
	"github.com/pelletier/go-toml/v2":               true,
	"google.golang.org/protobuf/encoding/protojson": true,
}

// Marshal reports whether call encodes a value into bytes or a string that
// carry all of its content (encoding/json, encoding/xml, encoding/gob, YAML,
// protobuf, fmt.Sprint*), and returns the encoded value.
func Marshal(call *ssa.CallCommon) (ssa.Value, bool) {
	fn := Callee(call)
	if fn == nil || fn.Pkg() == nil {
		return nil, false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	recv := fn.Signature().Recv()
	switch {
	case recv == nil && (path == "encoding/json" || path == "encoding/xml") && strings.HasPrefix(name, "Marshal"):
		return argOrNil(call, 0)
	case recv == nil && path == "fmt" && strings.HasPrefix(name, "Sprint"):
		// Sprintf(format, args...): the args slice carries the content.
		return lastArg(call)
	case recv != nil && (path == "encoding/json" || path == "encoding/gob" || path == "encoding/xml") && name == "Encode":
		return argOrNil(call, 0)
	case recv == nil && marshalPackages[path] && strings.HasPrefix(name, "Marshal"):
		return lastArg(call)
	case recv != nil && (name == "Marshal" || name == "MarshalJSON" || name == "MarshalVT") && call.Signature().Params().Len() == 0:
		// gogo/vtproto generated m.Marshal(), json.Marshaler
		return Arg(call, -1), Arg(call, -1) != nil
	case recv != nil && marshalPackages[path] && (name == "Marshal" || name == "Encode"):
		return lastArg(call)
	}
	return nil, false
}

func argOrNil(call *ssa.CallCommon, i int) (ssa.Value, bool) {
	v := Arg(call, i)
	return v, v != nil
}

func lastArg(call *ssa.CallCommon) (ssa.Value, bool) {
	if len(call.Args) == 0 {
		return nil, false
	}
	return call.Args[len(call.Args)-1], true
}

// IsTransform reports whether the call's results carry the content of its
// arguments: a standard-library function or method (string, bytes, strconv,
// path, fmt, encoding...), a marshaller, or a String/Bytes method.
func IsTransform(call *ssa.CallCommon) bool {
	if _, ok := Marshal(call); ok {
		return true
	}
	fn := Callee(call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if IsStd(fn.Pkg().Path()) {
		switch fn.Pkg().Path() {
		case "context", "sync", "time", "os", "net", "net/http", "io", "log", "runtime", "reflect", "errors":
			return false
		}
		return true
	}
	if fn.Signature().Recv() != nil && (fn.Name() == "String" || fn.Name() == "Bytes") && fn.Signature().Params().Len() == 0 {
		return true
	}
	return false
}

// isWriterCall reports a call that writes its other arguments into the
// buffer it is given: fmt.Fprint*, io.WriteString, (*bytes.Buffer).Write*,
// (*strings.Builder).Write*.
func isWriterCall(call *ssa.CallCommon) bool {
	fn := Callee(call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	p, n := fn.Pkg().Path(), fn.Name()
	return (p == "fmt" && strings.HasPrefix(n, "Fprint")) || (p == "io" && n == "WriteString") ||
		((p == "bytes" || p == "strings") && strings.HasPrefix(n, "Write"))
}

// Unmarshal reports whether call decodes bytes into a value it is given
// (json.Unmarshal, xml.Unmarshal, YAML's Unmarshal), and returns the data
// and the destination: after the call, the destination holds the content of
// the data.
func Unmarshal(call *ssa.CallCommon) (data, dst ssa.Value, ok bool) {
	fn := Callee(call)
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil || !strings.HasPrefix(fn.Name(), "Unmarshal") {
		return nil, nil, false
	}
	path := fn.Pkg().Path()
	if path != "encoding/json" && path != "encoding/xml" && !marshalPackages[path] {
		return nil, nil, false
	}
	if len(call.Args) < 2 {
		return nil, nil, false
	}
	return call.Args[0], call.Args[len(call.Args)-1], true
}

// LastIf returns the If that ends b, if b ends in one.
func LastIf(b *ssa.BasicBlock) (*ssa.If, bool) {
	if len(b.Instrs) == 0 {
		return nil, false
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return ifi, ok
}
