// Package configflow follows embedded-etcd configurations (embed.Config)
// through the application's own functions, methods and struct fields, and
// carries what each function does to a config across packages as a fact, so
// that the nocompact pass can tell whether a config that reaches
// embed.StartEtcd has auto-compaction (and a SnapshotCount) set.
//
// A Flow, exported for every function or method that does something to a
// config, records:
//   - for each *Config parameter: the fields the function sets on it
//     (directly, through helpers, or after storing it in a struct field),
//     whether the config reaches embed.StartEtcd, and whether it reaches code
//     that may set anything (a decoder, an unresolved interface method);
//   - for each *Config result: that it is a parameter handed back, or a fresh
//     config created inside (embed.NewConfig or a literal) with the fields
//     already set on it.
//
// The package fact Compacts marks a package that compacts etcd from a client
// (it, or a package it imports, calls etcd's KV.Compact).
package configflow

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// Setting is what is known about one Config field.
type Setting struct {
	// Set: the field is assigned somewhere, or its address is handed to other
	// code (flag.StringVar(&cfg.AutoCompactionRetention, ...)).
	Set bool
	// Known: every assignment stores the same constant, Value (strings
	// unquoted, integers in decimal).
	Known bool
	Value string
}

func (s *Setting) assign(value string, known bool) {
	switch {
	case !s.Set:
		*s = Setting{Set: true, Known: known, Value: value}
	case s.Known && known && s.Value == value:
	default:
		*s = Setting{Set: true}
	}
}

func (s *Setting) merge(o Setting) {
	if o.Set {
		s.assign(o.Value, o.Known)
	}
}

// State is what is known about a config's fields that nocompact reads.
type State struct {
	Mode, Retention, SnapshotCount, MaxRequestBytes, Quota Setting
	// Opaque: the config reaches code that may set any field (a decoder,
	// an unresolved interface method or function value, a map or a slice).
	Opaque bool
}

// Field returns the setting of the field with the given etcdapi role.
func (s *State) Field(role string) *Setting {
	switch role {
	case etcdapi.RoleCompactionMode:
		return &s.Mode
	case etcdapi.RoleCompactionRetention:
		return &s.Retention
	case etcdapi.RoleSnapshotCount:
		return &s.SnapshotCount
	case etcdapi.RoleMaxRequestBytes:
		return &s.MaxRequestBytes
	case etcdapi.RoleQuotaBackendBytes:
		return &s.Quota
	}
	return nil
}

var roles = []string{
	etcdapi.RoleCompactionMode, etcdapi.RoleCompactionRetention, etcdapi.RoleSnapshotCount,
	etcdapi.RoleMaxRequestBytes, etcdapi.RoleQuotaBackendBytes,
}

// Merge adds what o sets: a field set on any path counts as set.
func (s *State) Merge(o State) {
	for _, r := range roles {
		s.Field(r).merge(*o.Field(r))
	}
	s.Opaque = s.Opaque || o.Opaque
}

func (s State) empty() bool { return s.String() == "" }

func (s State) String() string {
	var parts []string
	for _, r := range roles {
		f := s.Field(r)
		switch {
		case !f.Set:
		case f.Known:
			parts = append(parts, fmt.Sprintf("%s=%q", r, f.Value))
		default:
			parts = append(parts, r)
		}
	}
	if s.Opaque {
		parts = append(parts, "opaque")
	}
	return strings.Join(parts, ",")
}

// ParamFlow is what a function does to the config its parameter points to.
type ParamFlow struct {
	Index  int // signature position, receiver excluded; -1 is the receiver
	State  State
	Starts bool // the config reaches embed.StartEtcd
}

// ResultFlow describes a *Config result.
type ResultFlow struct {
	Index int
	// FromParam: the result is the config passed as parameter Param.
	FromParam bool
	Param     int
	// Fresh: the result is a config created inside the function, with State
	// set on it; Started: the function also starts etcd from it.
	Fresh   bool
	State   State
	Started bool
}

// Flow is the fact exported for a function or method.
type Flow struct {
	Params  []ParamFlow
	Results []ResultFlow
}

func (*Flow) AFact() {}

func (f *Flow) String() string {
	var parts []string
	for _, p := range f.Params {
		var in []string
		if s := p.State.String(); s != "" {
			in = append(in, "sets("+s+")")
		}
		if p.Starts {
			in = append(in, "starts")
		}
		parts = append(parts, fmt.Sprintf("param(%d:%s)", p.Index, strings.Join(in, " ")))
	}
	for _, r := range f.Results {
		switch {
		case r.FromParam:
			parts = append(parts, fmt.Sprintf("result(%d:param %d)", r.Index, r.Param))
		case r.Fresh:
			s := "fresh"
			if st := r.State.String(); st != "" {
				s += " sets(" + st + ")"
			}
			if r.Started {
				s += " started"
			}
			parts = append(parts, fmt.Sprintf("result(%d:%s)", r.Index, s))
		}
	}
	return strings.Join(parts, " ")
}

func (f *Flow) empty() bool { return len(f.Params) == 0 && len(f.Results) == 0 }

// Param returns the flow of parameter i, or nil.
func (f *Flow) Param(i int) *ParamFlow {
	for k := range f.Params {
		if f.Params[k].Index == i {
			return &f.Params[k]
		}
	}
	return nil
}

func (f *Flow) normalise() {
	sort.Slice(f.Params, func(i, j int) bool { return f.Params[i].Index < f.Params[j].Index })
	// Merge results describing the same thing.
	var rs []ResultFlow
	for _, r := range f.Results {
		merged := false
		for k := range rs {
			o := &rs[k]
			if o.Index == r.Index && o.FromParam == r.FromParam && o.Param == r.Param && o.Fresh == r.Fresh {
				o.State.Merge(r.State)
				o.Started = o.Started || r.Started
				merged = true
				break
			}
		}
		if !merged {
			rs = append(rs, r)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Index != rs[j].Index {
			return rs[i].Index < rs[j].Index
		}
		if rs[i].FromParam != rs[j].FromParam {
			return rs[i].FromParam
		}
		return rs[i].Param < rs[j].Param
	})
	f.Results = rs
}

// Compacts is the package fact: the package, or a package it imports,
// compacts etcd from a client (KV.Compact).
type Compacts struct{}

func (*Compacts) AFact()         {}
func (*Compacts) String() string { return "compacts etcd" }

// IsConfigPtr reports whether t is *embed.Config of some era.
func IsConfigPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	if _, ok := types.Unalias(p.Elem()).(*types.Named); !ok {
		return false
	}
	_, ok = etcdapi.EmbedConfig(p.Elem())
	return ok
}

// constValue returns the constant v holds, as Setting.Value spells it.
func constValue(v ssa.Value) (string, bool) {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if g, ok := load.X.(*ssa.Global); ok {
			return etcdapi.CompactorModeVar(g.Object())
		}
	}
	c, ok := v.(*ssa.Const)
	if !ok {
		return "", false
	}
	if c.Value == nil {
		// The zero value of a basic type.
		if b, ok := c.Type().Underlying().(*types.Basic); ok {
			if b.Info()&types.IsString != 0 {
				return "", true
			}
			if b.Info()&types.IsNumeric != 0 {
				return "0", true
			}
		}
		return "", false
	}
	switch c.Value.Kind() {
	case constant.String:
		return constant.StringVal(c.Value), true
	case constant.Int:
		return c.Value.ExactString(), true
	}
	return "", false
}
