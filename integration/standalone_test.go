package integration_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/internal/analyzerdoc"
	"github.com/etcdlint/etcdlint/internal/sarif/sariftest"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// TestStandalone runs the command as a user does in a module: text output
// and exit codes, -json, disabling a pass, a pass's flag.
func TestStandalone(t *testing.T) {
	short(t)
	t.Parallel()
	needPasses(t, "hotkey")
	bin := etcdlint(t)
	dir := fixture(t)

	t.Run("text", func(t *testing.T) {
		r := run(t, dir, env(), bin, "./status/...", "./warmup/...")
		r.expect(t, 3, "findings")
		mustContain(t, "stderr", r.stderr, statusPos+":", warmupPos+":", "through Store.Put")
		if r.stdout != "" {
			t.Errorf("text mode wrote to stdout:\n%s", r.stdout)
		}
	})

	t.Run("clean", func(t *testing.T) {
		r := run(t, fixedFixture(t), env(), bin, "./...")
		r.expect(t, 0, "no findings (the fixed module)")
		if r.stdout+r.stderr != "" {
			t.Errorf("clean packages produced output:\n%s%s", r.stdout, r.stderr)
		}
	})

	t.Run("errors", func(t *testing.T) {
		broken := fixture(t)
		if err := os.MkdirAll(filepath.Join(broken, "broken"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(broken, "broken", "broken.go"), []byte("package broken\n\nvar N int = \"not an int\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, broken, env(), bin, "./broken/...")
		r.expect(t, 1, "a package that does not type-check")
		mustContain(t, "stderr", r.stderr, "broken.go:3")

		r = run(t, broken, env(), bin, "-sarif", "./broken/...")
		r.expect(t, 1, "-sarif on a package that does not type-check")
		if err := sariftest.Validate([]byte(r.stdout)); err != nil {
			t.Fatalf("-sarif output on a load error does not validate: %v\n%s", err, r.stdout)
		}
		mustContain(t, "-sarif on a load error", r.stdout, `"executionSuccessful": false`, "broken.go:3")

		// A usage error exits 2, as every Go flag parser does.
		r = run(t, dir, env(), bin, "-no-such-flag", "./...")
		r.expect(t, 2, "an unknown flag")
		r = run(t, dir, env(), bin)
		r.expect(t, 1, "no packages")
		r = run(t, dir, env(), bin, "-sarif", "-fix", "./...")
		r.expect(t, 1, "-sarif -fix")
		r = run(t, dir, env(), bin, "-format=xml", "./...")
		r.expect(t, 1, "-format=xml")
	})

	var all []finding // the -json findings of ./...
	t.Run("json", func(t *testing.T) {
		r := run(t, dir, env(), bin, "-json", "./...")
		r.expect(t, 0, "-json")
		all = findings(t, dir, r.stdout)
		if !has(all, "hotkey", statusPos) || !has(all, "hotkey", warmupPos) {
			t.Fatalf("-json: want hotkey at %s and %s, got %v", statusPos, warmupPos, all)
		}
		for _, f := range all {
			if f.Pos == statusPos && f.Related == 0 {
				t.Errorf("%s: no related positions (the loop, the timer)", f)
			}
		}
	})

	t.Run("sarif", func(t *testing.T) {
		if all == nil {
			t.Skip("no -json output to compare with")
		}
		r := run(t, dir, env(), bin, "-format=sarif", "./...")
		r.expect(t, 3, "-format=sarif with findings")
		checkSARIF(t, r.stdout, all)
	})

	t.Run("disable", func(t *testing.T) {
		r := run(t, dir, env(), bin, "-json", "-hotkey=false", "./status/...", "./warmup/...")
		r.expect(t, 0, "-hotkey=false")
		if fs := findings(t, dir, r.stdout); count(fs, "hotkey") != 0 {
			t.Errorf("-hotkey=false still reports hotkey: %v", fs)
		}
	})

	t.Run("flag", func(t *testing.T) {
		r := run(t, dir, env(), bin, "-format=json", "-hotkey.max-bound=32", "./status/...", "./warmup/...")
		r.expect(t, 0, "-format=json -hotkey.max-bound=32")
		fs := findings(t, dir, r.stdout)
		if has(fs, "hotkey", warmupPos) {
			t.Errorf("-hotkey.max-bound=32: the loop of 20 writes is still reported: %v", fs)
		}
		if !has(fs, "hotkey", statusPos) {
			t.Errorf("-hotkey.max-bound=32: the timer loop is no longer reported: %v", fs)
		}
	})
}

// TestHelp checks help and help NAME for every registered pass, and -V=full
// and -flags, which go vet asks the tool for.
func TestHelp(t *testing.T) {
	short(t)
	bin := etcdlint(t)
	dir := t.TempDir()

	r := run(t, dir, env(), bin, "help")
	r.expect(t, 0, "help")
	mustContain(t, "help", r.stdout, "-sarif", "Exit status")
	for _, e := range registry.Entries {
		name := e.Analyzer.Name
		mustContain(t, "help", r.stdout, name)
		h := run(t, dir, env(), bin, "help", name)
		h.expect(t, 0, "help "+name)
		mustContain(t, "help "+name, h.stdout, name+": "+analyzerdoc.Summary(e.Analyzer.Doc))
		for _, line := range strings.Split(e.Analyzer.Doc, "\n") {
			if strings.HasPrefix(line, "What it reports") {
				mustContain(t, "help "+name, h.stdout, "What it reports")
			}
		}
		e.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
			mustContain(t, "help "+name, h.stdout, "-"+name+"."+f.Name)
		})
	}
	r = run(t, dir, env(), bin, "help", "nosuchpass")
	if r.code == 0 {
		t.Errorf("help nosuchpass: exit 0")
	}

	r = run(t, dir, env(), bin, "-V=full")
	r.expect(t, 0, "-V=full")
	mustContain(t, "-V=full", r.stdout, "etcdlint version", "buildID=")

	r = run(t, dir, env(), bin, "-flags")
	r.expect(t, 0, "-flags")
	var flags []struct{ Name string }
	if err := json.Unmarshal([]byte(r.stdout), &flags); err != nil {
		t.Fatalf("-flags: %v\n%s", err, r.stdout)
	}
	names := map[string]bool{}
	for _, f := range flags {
		names[f.Name] = true
	}
	for _, e := range registry.Entries {
		if !names[e.Analyzer.Name] {
			t.Errorf("-flags does not list -%s (go vet would reject it)", e.Analyzer.Name)
		}
	}
}

// TestFix prints the fixes with -fix -diff (a pass's flag changes them),
// leaving the files alone, then applies them with -fix.
func TestFix(t *testing.T) {
	short(t)
	t.Parallel()
	needPasses(t, "nocompact")
	bin := etcdlint(t)
	dir := fixture(t)
	server := filepath.Join(dir, "server", "server.go")
	before := readFile(t, server)

	r := run(t, dir, env(), bin, "-fix", "-diff", "-nocompact.retention=2h", "./server/...")
	r.expect(t, 0, "-fix -diff -nocompact.retention=2h")
	mustContain(t, "-diff output", r.stdout, "+++", "+\tcfg.AutoCompactionRetention = \"2h\"")
	if readFile(t, server) != before {
		t.Fatal("-fix -diff changed the file")
	}

	r = run(t, dir, env(), bin, "-fix", "./server/...")
	r.expect(t, 0, "-fix")
	mustContain(t, "server.go after -fix", readFile(t, server), "cfg.AutoCompactionRetention = \"1h\"")
	run(t, dir, env(), "go", "build", "./...").expect(t, 0, "go build after -fix")
	gofmtClean(t, dir)
}

// checkSARIF validates a -sarif log against the SARIF 2.1.0 schema and
// compares its rules with the registry and its results with the -json
// findings of the same packages.
func checkSARIF(t *testing.T, out string, want []finding) {
	t.Helper()
	if err := sariftest.Validate([]byte(out)); err != nil {
		t.Fatalf("-sarif output does not validate against the SARIF 2.1.0 schema: %v\n%s", err, out)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						HelpURI          string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				RelatedLocations []json.RawMessage `json:"relatedLocations"`
				Fixes            []json.RawMessage `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run0 := log.Runs[0]
	if run0.Tool.Driver.Name != "etcdlint" || len(run0.Tool.Driver.Rules) != len(registry.Entries) {
		t.Errorf("driver %q with %d rules, want etcdlint with %d", run0.Tool.Driver.Name, len(run0.Tool.Driver.Rules), len(registry.Entries))
	}
	for i, rule := range run0.Tool.Driver.Rules {
		if i >= len(registry.Entries) {
			break
		}
		e := registry.Entries[i]
		if rule.ID != e.Analyzer.Name || rule.ShortDescription.Text != analyzerdoc.Summary(e.Analyzer.Doc) || rule.HelpURI != e.Analyzer.URL {
			t.Errorf("rule %d = %+v, want the registry's %s", i, rule, e.Analyzer.Name)
		}
	}
	var got []finding
	for _, res := range run0.Results {
		if len(res.Locations) != 1 {
			t.Fatalf("result without one location: %+v", res)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: not relative to %%SRCROOT%%", loc.ArtifactLocation.URI)
		}
		if res.RuleIndex >= len(run0.Tool.Driver.Rules) || run0.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d does not name %s", res.RuleIndex, res.RuleID)
		}
		got = append(got, finding{
			Analyzer: res.RuleID,
			Pos:      loc.ArtifactLocation.URI + ":" + strconv.Itoa(loc.Region.StartLine),
			Message:  res.Message.Text,
			Fixes:    len(res.Fixes),
			Related:  len(res.RelatedLocations),
		})
	}
	if len(got) != len(want) {
		t.Fatalf("%d results, -json: %d findings\n%v\n%v", len(got), len(want), got, want)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
			}
		}
		if !found {
			t.Errorf("no result for %v (with %d fixes, %d related)", w, w.Fixes, w.Related)
		}
	}
	if _, ok := registry.Lookup("nocompact"); ok {
		for _, g := range got {
			if g.Analyzer == "nocompact" && g.Pos == serverPos && g.Fixes == 0 {
				t.Errorf("the nocompact result at %s has no fix", serverPos)
			}
		}
		if !has(got, "nocompact", serverPos) {
			t.Errorf("no nocompact result at %s", serverPos)
		}
	}
}
