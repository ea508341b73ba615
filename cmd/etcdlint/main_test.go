package main

import (
	"flag"
	"os"
	"os/exec"
	"slices"
	"strings"
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

// TestMain runs the command itself when the test binary is started as
// etcdlint (ETCDLINT_TEST_MAIN=1), so that tests can run it with arguments.
func TestMain(m *testing.M) {
	if os.Getenv("ETCDLINT_TEST_MAIN") == "1" {
		testHooks()
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHelpListsEveryFlag checks that etcdlint -h lists every flag the
// command accepts: x/tools' driver flags and the passes' (listed by the
// driver itself), and the flags etcdlint reads before the driver: -sarif,
// -format, and those of whole-program mode.
func TestHelpListsEveryFlag(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-h")
	cmd.Env = append(os.Environ(), "ETCDLINT_TEST_MAIN=1")
	out, _ := cmd.CombinedOutput()
	listed := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "-") && strings.HasPrefix(line, "  -") {
			listed[strings.TrimPrefix(f[0], "-")] = true
		}
	}
	want := []string{"sarif", "format", "json", "fix", "diff", "test"}
	fs, _ := wholeFlags()
	fs.VisitAll(func(f *flag.Flag) { want = append(want, f.Name) })
	for _, name := range want {
		if !listed[name] {
			t.Errorf("etcdlint -h does not list -%s:\n%s", name, out)
		}
	}
	// -program without -whole is an error, not a flag the driver ignores.
	cmd = exec.Command(os.Args[0], "-program=./...", "./...")
	cmd.Env = append(os.Environ(), "ETCDLINT_TEST_MAIN=1")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "-program needs -whole") {
		t.Errorf("etcdlint -program without -whole: %v\n%s", err, out)
	}
}
