package plugin_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/passes/registry"
	"github.com/etcdlint/etcdlint/plugin"
)

func newPlugin(t *testing.T, settings any) (register.LinterPlugin, error) {
	t.Helper()
	newFn, err := register.GetPlugin(plugin.Name)
	if err != nil {
		t.Fatalf("the plugin is not registered: %v", err)
	}
	return newFn(settings)
}

func names(as []*analysis.Analyzer) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return strings.Join(out, ",")
}

func defaults() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, e := range registry.Entries {
		if e.Default {
			out = append(out, e.Analyzer)
		}
	}
	return out
}

// restoreFlags puts every pass's flags back to their values before the test.
func restoreFlags(t *testing.T) {
	t.Helper()
	saved := map[*flag.Flag]string{}
	for _, a := range registry.Analyzers() {
		a.Flags.VisitAll(func(f *flag.Flag) { saved[f] = f.Value.String() })
	}
	t.Cleanup(func() {
		for f, v := range saved {
			if err := f.Value.Set(v); err != nil {
				t.Errorf("restoring -%s: %v", f.Name, err)
			}
		}
	})
}

func TestDefaults(t *testing.T) {
	for _, settings := range []any{nil, map[string]any{}} {
		p, err := newPlugin(t, settings)
		if err != nil {
			t.Fatalf("settings %v: %v", settings, err)
		}
		if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
			t.Errorf("load mode = %q, want %q", got, register.LoadModeTypesInfo)
		}
		as, err := p.BuildAnalyzers()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(as), names(defaults()); got != want {
			t.Errorf("settings %v: analyzers %q, want the default passes %q", settings, got, want)
		}
		if err := analysis.Validate(as); err != nil {
			t.Error(err)
		}
	}
}

func TestEnableDisable(t *testing.T) {
	if len(registry.Entries) == 0 {
		t.Skip("no pass registered yet")
	}
	first := registry.Entries[0].Analyzer.Name
	p, err := newPlugin(t, map[string]any{"disable": []any{first}})
	if err != nil {
		t.Fatal(err)
	}
	as, _ := p.BuildAnalyzers()
	if strings.Contains(","+names(as)+",", ","+first+",") {
		t.Errorf("disable %s: still built (%s)", first, names(as))
	}
	for _, e := range registry.Entries {
		if e.Default {
			continue
		}
		p, err := newPlugin(t, map[string]any{"enable": []any{e.Analyzer.Name}})
		if err != nil {
			t.Fatal(err)
		}
		as, _ := p.BuildAnalyzers()
		if !strings.Contains(","+names(as)+",", ","+e.Analyzer.Name+",") {
			t.Errorf("enable %s: not built (%s)", e.Analyzer.Name, names(as))
		}
	}
}

func TestFlagSettings(t *testing.T) {
	restoreFlags(t)
	n := 0
	for _, a := range registry.Analyzers() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			// A value different from the current one where the type allows.
			val := any(f.Value.String())
			if g, ok := f.Value.(flag.Getter); ok {
				switch v := g.Get().(type) {
				case int:
					val = v + 7
				case bool:
					val = !v
				}
			}
			p, err := newPlugin(t, map[string]any{a.Name: map[string]any{f.Name: val}})
			if err != nil {
				t.Errorf("%s.%s = %v: %v", a.Name, f.Name, val, err)
				return
			}
			if _, err := p.BuildAnalyzers(); err != nil {
				t.Error(err)
			}
			if got, want := f.Value.String(), fmt.Sprint(val); got != want {
				t.Errorf("%s.%s: flag = %q after the setting %v", a.Name, f.Name, got, val)
			}
			n++
		})
	}
	if n == 0 {
		t.Skip("no registered pass has flags yet")
	}
}

func TestErrors(t *testing.T) {
	restoreFlags(t)
	cases := []struct {
		settings any
		want     string
	}{
		{map[string]any{"no-such-setting": 1}, `unknown setting "no-such-setting"`},
		{map[string]any{"enable": []any{"nosuchpass"}}, `unknown pass "nosuchpass"`},
		{map[string]any{"disable": "hotkey"}, "disable"},
		{[]any{"x"}, "decoding settings"},
	}
	for _, a := range registry.Analyzers() {
		cases = append(cases,
			struct {
				settings any
				want     string
			}{map[string]any{a.Name: map[string]any{"no-such-flag": 1}}, `has no flag "no-such-flag"`},
			struct {
				settings any
				want     string
			}{map[string]any{a.Name: 5}, "want an object"},
		)
	}
	for _, c := range cases {
		_, err := newPlugin(t, c.settings)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("settings %v: error %v, want one containing %q", c.settings, err, c.want)
		}
	}
}
