// Package plugin registers etcdlint as a golangci-lint v2 module plugin.
//
// Build a golangci-lint that includes it with `golangci-lint custom` and a
// .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/etcdlint/etcdlint
//	    import: github.com/etcdlint/etcdlint/plugin
//	    version: latest
//
// (or scripts/build-golangci.sh in this repository), then enable it in
// .golangci.yml:
//
//	version: "2"
//	linters:
//	  default: none
//	  enable:
//	    - etcdlint
//	  settings:
//	    custom:
//	      etcdlint:
//	        type: module
//	        description: finds Go code that misuses etcd
//	        settings:
//	          disable: [nocompact]    # passes not to run
//	          enable: []              # passes that are off by default
//	          hotkey:                 # one pass's flags, by the flag's name
//	            max-bound: 20
//
// Every pass's flags (etcdlint help NAME) are settings of the same name
// under the pass's name; an unknown pass, flag or key is an error.
package plugin

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/internal/facts"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// Name is the linter's name in golangci-lint's configuration.
const Name = "etcdlint"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings (linters.settings.custom.etcdlint.settings).
type Settings struct {
	// Enable names passes that are off by default to run as well.
	Enable []string `json:"enable,omitempty"`
	// Disable names passes not to run.
	Disable []string `json:"disable,omitempty"`
	// Flags holds, per pass name, flag name -> value.
	Flags map[string]map[string]string `json:"-"`
}

// UnmarshalJSON reads "enable", "disable" and one object per pass holding
// that pass's flags; any other key is an error.
func (s *Settings) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*s = Settings{}
	for _, key := range sortedKeys(raw) {
		val := raw[key]
		switch key {
		case "enable":
			if err := strictDecode(val, &s.Enable); err != nil {
				return fmt.Errorf("enable: %v", err)
			}
		case "disable":
			if err := strictDecode(val, &s.Disable); err != nil {
				return fmt.Errorf("disable: %v", err)
			}
		default:
			if _, ok := registry.Lookup(key); !ok {
				return fmt.Errorf("unknown setting %q: want enable, disable or a pass name (%s)", key, strings.Join(passNames(), ", "))
			}
			var flags map[string]json.RawMessage
			if err := strictDecode(val, &flags); err != nil {
				return fmt.Errorf("%s: want an object of flag values: %v", key, err)
			}
			for _, name := range sortedKeys(flags) {
				v, err := flagValue(flags[name])
				if err != nil {
					return fmt.Errorf("%s.%s: %v", key, name, err)
				}
				if s.Flags == nil {
					s.Flags = map[string]map[string]string{}
				}
				if s.Flags[key] == nil {
					s.Flags[key] = map[string]string{}
				}
				s.Flags[key][name] = v
			}
		}
	}
	return nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// flagValue turns a JSON scalar (or a list, joined with commas) into the
// text a flag.Value parses.
func flagValue(raw json.RawMessage) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return fmt.Sprint(v), nil
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			switch e := e.(type) {
			case string:
				parts[i] = e
			case json.Number:
				parts[i] = e.String()
			case bool:
				parts[i] = fmt.Sprint(e)
			default:
				return "", fmt.Errorf("list elements must be strings, numbers or booleans")
			}
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("want a string, number, boolean or list, not %s", raw)
}

// New is the plugin's constructor: it checks the settings and applies every
// flag setting to the pass's analyzer.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("etcdlint: %v", err)
	}
	for _, name := range append(append([]string(nil), s.Enable...), s.Disable...) {
		if _, ok := registry.Lookup(name); !ok {
			return nil, fmt.Errorf("etcdlint: unknown pass %q (passes: %s)", name, strings.Join(passNames(), ", "))
		}
	}
	for _, pass := range sortedKeys(s.Flags) {
		e, _ := registry.Lookup(pass)
		a := e.Analyzer
		for _, name := range sortedKeys(s.Flags[pass]) {
			if a.Flags.Lookup(name) == nil {
				return nil, fmt.Errorf("etcdlint: pass %s has no flag %q (flags: %s)", pass, name, strings.Join(flagNames(a), ", "))
			}
			if err := a.Flags.Set(name, s.Flags[pass][name]); err != nil {
				return nil, fmt.Errorf("etcdlint: %s.%s: %v", pass, name, err)
			}
		}
	}
	return &linter{settings: s}, nil
}

type linter struct {
	settings Settings
}

// BuildAnalyzers returns the passes to run: the default ones plus those
// enabled, less those disabled, in the registry's order. The fact stages
// of the others do not run (facts.Select).
func (l *linter) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	enable := set(l.settings.Enable)
	disable := set(l.settings.Disable)
	var out []*analysis.Analyzer
	for _, e := range registry.Entries {
		name := e.Analyzer.Name
		if (e.Default || enable[name]) && !disable[name] {
			out = append(out, e.Analyzer)
		}
	}
	facts.Select(out)
	return out, nil
}

// GetLoadMode asks for type information: the passes need types and facts.
func (l *linter) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

func set(names []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func passNames() []string {
	var names []string
	for _, e := range registry.Entries {
		names = append(names, e.Analyzer.Name)
	}
	return names
}

func flagNames(a *analysis.Analyzer) []string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		names = []string{"none"}
	}
	return names
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
