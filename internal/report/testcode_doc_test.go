package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/internal/report"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// TestTestCodeRuleDocumented checks that the doc.go of every pass with an
// -include-tests flag states report.TestCodeRule, word for word.
func TestTestCodeRuleDocumented(t *testing.T) {
	rule := strings.Join(strings.Fields(report.TestCodeRule), " ")
	n := 0
	for _, e := range registry.Entries {
		a := e.Analyzer
		if a.Flags.Lookup("include-tests") == nil {
			continue
		}
		n++
		b, err := os.ReadFile(filepath.Join("..", "..", "passes", a.Name, "doc.go"))
		if err != nil {
			t.Fatal(err)
		}
		var text []string
		for _, line := range strings.Split(string(b), "\n") {
			text = append(text, strings.TrimPrefix(strings.TrimSpace(line), "//"))
		}
		if !strings.Contains(strings.Join(strings.Fields(strings.Join(text, " ")), " "), rule) {
			t.Errorf("passes/%s/doc.go does not state the rule of test code:\n%s", a.Name, report.TestCodeRule)
		}
	}
	if n == 0 {
		t.Error("no pass has an -include-tests flag")
	}
}
