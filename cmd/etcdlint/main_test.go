package main

import (
	"slices"
	"testing"

	"github.com/etcdlint/etcdlint/passes/registry"
)

func TestOutputFormat(t *testing.T) {
	cases := []struct {
		args   []string
		format string
		rest   []string
	}{
		{[]string{"./..."}, "text", []string{"./..."}},
		{[]string{"-sarif", "./..."}, "sarif", []string{"./..."}},
		{[]string{"--sarif=true", "-c=1", "./..."}, "sarif", []string{"-c=1", "./..."}},
		{[]string{"-sarif=false", "./..."}, "text", []string{"./..."}},
		{[]string{"-format=sarif", "-hotkey=false", "./..."}, "sarif", []string{"-hotkey=false", "./..."}},
		{[]string{"-format", "json", "./a"}, "json", []string{"./a"}},
		{[]string{"-format=text", "help"}, "text", []string{"help"}},
		// Only flags before the first package are the driver's.
		{[]string{"./a", "-sarif"}, "text", []string{"./a", "-sarif"}},
	}
	for _, c := range cases {
		format, rest, err := outputFormat(c.args)
		if err != nil || format != c.format || !slices.Equal(rest, c.rest) {
			t.Errorf("outputFormat(%q) = %q, %q, %v; want %q, %q", c.args, format, rest, err, c.format, c.rest)
		}
	}
	for _, bad := range [][]string{{"-format=xml", "./..."}, {"-format"}, {"-sarif=maybe", "./..."}} {
		if _, _, err := outputFormat(bad); err == nil {
			t.Errorf("outputFormat(%q): no error", bad)
		}
	}
}

func TestSelected(t *testing.T) {
	var def, all []string
	for _, e := range registry.Entries {
		all = append(all, e.Analyzer.Name)
		if e.Default {
			def = append(def, e.Analyzer.Name)
		}
	}
	names := func(args ...string) []string {
		var out []string
		for _, a := range selected(args) {
			out = append(out, a.Name)
		}
		return out
	}
	if got := names("./..."); !slices.Equal(got, def) {
		t.Errorf("selected(./...) = %v, want the default passes %v", got, def)
	}
	if got := names("help"); !slices.Equal(got, all) {
		t.Errorf("selected(help) = %v, want every pass %v", got, all)
	}
	if got := names("-flags"); !slices.Equal(got, all) {
		t.Errorf("selected(-flags) = %v, want every pass %v", got, all)
	}
	for _, e := range registry.Entries {
		if got := names("-"+e.Analyzer.Name, "./..."); !slices.Contains(got, e.Analyzer.Name) {
			t.Errorf("selected(-%s) = %v", e.Analyzer.Name, got)
		}
	}
}
