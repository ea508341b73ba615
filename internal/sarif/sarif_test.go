package sarif_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/internal/sarif"
	"github.com/etcdlint/etcdlint/internal/sarif/sariftest"
)

// driverJSON builds the -json output of a multichecker for files under dir:
// the package and its test variant report the same diagnostic, a second
// analyzer failed.
func driverJSON(t *testing.T, dir string) []byte {
	t.Helper()
	file := filepath.Join(dir, "a", "a.go")
	tree := map[string]map[string]any{
		"example.com/m/a": {
			"hotkey": []map[string]any{{
				"category": "timer",
				"posn":     file + ":4:8",
				"end":      file + ":4:16",
				"message":  "key rewritten every 5s",
				"related": []map[string]any{
					{"posn": file + ":3:2", "end": file + ":3:2", "message": "loop here"},
				},
				"suggested_fixes": []map[string]any{{
					"message": "insert a compaction setting",
					"edits": []map[string]any{
						{"filename": file, "start": 10, "end": 10, "new": "x := 1\n"},
						{"filename": file, "start": 20, "end": 25, "new": ""},
					},
				}},
			}},
			"nocompact": map[string]any{"error": "internal error: boom"},
		},
		"example.com/m/a [example.com/m/a.test]": {
			"hotkey": []map[string]any{{
				"category": "timer",
				"posn":     file + ":4:8",
				"end":      file + ":4:16",
				"message":  "key rewritten every 5s",
			}},
		},
		"example.com/m/b": {
			"hotkey": []map[string]any{{
				"posn":    "/elsewhere/b.go:7:1",
				"end":     "/elsewhere/b.go:7:1",
				"message": "outside the base directory",
			}},
		},
	}
	data, err := json.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var rules = []sarif.Rule{
	{ID: "hotkey", Summary: "report a fixed etcd key rewritten on every iteration of a loop", Doc: "hotkey: report...\n\nMore.", HelpURI: "https://example.com/checks#hotkey", Enabled: true, Properties: map[string]any{"since": "v0.1.0"}},
	{ID: "nocompact", Summary: "report embedded etcd started without auto-compaction", Enabled: false},
}

func TestConvertValidatesAgainstSchema(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Line 4 starts with a two-byte rune, so byte column 8 is code point 7.
	src := "package a\n\nfunc f() {\n\t\u00e9 := \"x\"; _ = \u00e9\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "a", "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	log, err := sarif.Convert(driverJSON(t, dir), rules, sarif.Options{
		ToolName: "etcdlint", ToolVersion: "v0.1.0", InformationURI: "https://example.com/etcdlint",
		BaseDir: dir, CommandLine: "etcdlint -sarif ./...", ExitCode: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := sarif.Write(log)
	if err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(data); err != nil {
		t.Fatalf("output does not validate against the SARIF 2.1.0 schema: %v\n%s", err, data)
	}

	run := log.Runs[0]
	if got := len(run.Tool.Driver.Rules); got != 2 {
		t.Fatalf("rules = %d, want 2", got)
	}
	if got := len(run.Results); got != 2 {
		t.Fatalf("results = %d, want 2 (the test variant's duplicate dropped):\n%s", got, data)
	}
	byMsg := map[string]sarif.Result{}
	for _, r := range run.Results {
		byMsg[r.Message.Text] = r
	}
	r := byMsg["key rewritten every 5s"]
	if r.RuleID != "hotkey" || r.RuleIndex == nil || *r.RuleIndex != 0 {
		t.Errorf("rule of first result = %q/%v", r.RuleID, r.RuleIndex)
	}
	loc := r.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "a/a.go" || loc.ArtifactLocation.URIBaseID != sarif.SrcRoot {
		t.Errorf("artifact = %+v, want a/a.go under %s", loc.ArtifactLocation, sarif.SrcRoot)
	}
	if loc.Region.StartLine != 4 || loc.Region.StartColumn != 7 || loc.Region.EndColumn != 15 {
		t.Errorf("region = %+v, want line 4, columns 7-15 in code points", *loc.Region)
	}
	if len(r.RelatedLocations) != 1 || r.RelatedLocations[0].Message.Text != "loop here" {
		t.Errorf("related = %+v", r.RelatedLocations)
	}
	if len(r.Fixes) != 1 || len(r.Fixes[0].ArtifactChanges) != 1 || len(r.Fixes[0].ArtifactChanges[0].Replacements) != 2 {
		t.Fatalf("fixes = %+v", r.Fixes)
	}
	rep := r.Fixes[0].ArtifactChanges[0].Replacements[1]
	if *rep.DeletedRegion.ByteOffset != 20 || *rep.DeletedRegion.ByteLength != 5 || rep.InsertedContent != nil {
		t.Errorf("deletion = %+v", rep)
	}
	if got := r.Properties["category"]; got != "timer" {
		t.Errorf("category = %v", got)
	}
	if out := byMsg["outside the base directory"].Locations[0].PhysicalLocation.ArtifactLocation; out.URI != "file:///elsewhere/b.go" || out.URIBaseID != "" {
		t.Errorf("file outside the base = %+v", out)
	}
	if base := run.OriginalURIBaseIDs[sarif.SrcRoot].URI; base != "file://"+filepath.ToSlash(dir)+"/" {
		t.Errorf("%s = %q", sarif.SrcRoot, base)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 ||
		!strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "boom") ||
		inv.ToolExecutionNotifications[0].AssociatedRule.Index != 1 {
		t.Errorf("invocation = %+v", inv)
	}
}

func TestConvertEmpty(t *testing.T) {
	log, err := sarif.Convert([]byte("{}\n"), rules, sarif.Options{ToolName: "etcdlint"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := sarif.Write(log)
	if err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !strings.Contains(string(data), `"results": []`) || !log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Errorf("a clean run must have an empty results array and succeed:\n%s", data)
	}
}

// TestConvertStream reads the several trees go vet -json prints.
func TestConvertStream(t *testing.T) {
	in := `{"p1": {"hotkey": [{"posn": "a.go:1:1", "end": "a.go:1:2", "message": "m1"}]}}
{"p2": {"hotkey": [{"posn": "b.go:2:1", "end": "b.go:2:2", "message": "m2"}]}}`
	log, err := sarif.Convert([]byte(in), rules, sarif.Options{ToolName: "etcdlint"})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(log.Runs[0].Results); got != 2 {
		t.Fatalf("results = %d, want 2", got)
	}
	if _, err := sarif.Convert([]byte(`{"p": [1]}`), rules, sarif.Options{}); err == nil {
		t.Error("malformed input: no error")
	}
}

// TestSchemaRejects makes sure the validation is not vacuous.
func TestSchemaRejects(t *testing.T) {
	for _, bad := range []string{
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
	} {
		if err := sariftest.Validate([]byte(bad)); err == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}
