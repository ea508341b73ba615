package robust_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestDeterminism runs every pass twice, each time over a fresh load, on
// the fixture modules of every pass (3.6 and 3.3 eras, loaded together as
// one workspace) and on the example gateway: the JSON output must be
// byte-identical, and every pass must report its diagnostics of a package in
// position order. The first load parses each fixture package's files in name
// order, the second in reverse order (go/packages parses them concurrently,
// so either can happen), which changes the token.Pos order of files.
func TestDeterminism(t *testing.T) {
	eras := []string{"v36", "v33"}
	if !fullRun() {
		eras = eras[:1]
	}
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			start := time.Now()
			w, first := eraRun(t, era)
			second := runOrdered(t, w.dir, 5*time.Minute, reverse, w.patterns()...)
			t.Logf("%s: %d modules, %d packages, two runs in %v, %d diagnostics", era, len(w.mods), len(first.pkgs),
				time.Since(start).Round(time.Millisecond), len(first.diags()))
			if first.err != nil || second.err != nil {
				t.Fatalf("checker: %v / %v", first.err, second.err)
			}
			if errs := first.packageErrors(); len(errs) > 0 {
				t.Errorf("fixtures do not load cleanly: %v", errs)
			}
			if errs := first.actionErrors(); len(errs) > 0 {
				t.Errorf("passes failed: %v", errs)
			}
			if ie := first.internalErrors(); len(ie) > 0 {
				t.Errorf("internal errors:\n%s", strings.Join(ie, "\n"))
			}
			if !bytes.Equal(first.json, second.json) {
				t.Errorf("JSON output differs between two runs in %s; first difference:\n%s",
					strings.Join(differing(t, first.json, second.json), ", "), firstDiff(first.json, second.json))
			}
			checkSorted(t, first)
			checkSorted(t, second)
		})
	}
}

// checkSorted reports every root action whose diagnostics are not in
// position order (file, then offset).
func checkSorted(t *testing.T, r *result) {
	t.Helper()
	for _, act := range r.graph.Roots {
		fset := act.Package.Fset
		for i := 1; i < len(act.Diagnostics); i++ {
			a, b := fset.Position(act.Diagnostics[i-1].Pos), fset.Position(act.Diagnostics[i].Pos)
			if a.Filename > b.Filename || (a.Filename == b.Filename && a.Offset > b.Offset) {
				t.Errorf("%s: diagnostics out of position order: %s (token.Pos %d: %s) reported before %s (token.Pos %d: %s)",
					act, a, act.Diagnostics[i-1].Pos, act.Diagnostics[i-1].Message, b, act.Diagnostics[i].Pos, act.Diagnostics[i].Message)
			}
		}
	}
}

// differing lists the package/pass entries of two JSON outputs that differ.
func differing(t *testing.T, a, b []byte) []string {
	var ja, jb map[string]map[string]json.RawMessage
	if err := json.Unmarshal(a, &ja); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &jb); err != nil {
		t.Fatal(err)
	}
	var out []string
	for pkg, byPass := range ja {
		for pass, v := range byPass {
			if !bytes.Equal(v, jb[pkg][pass]) {
				out = append(out, pass+"@"+pkg)
			}
		}
	}
	for pkg, byPass := range jb {
		for pass := range byPass {
			if _, ok := ja[pkg][pass]; !ok {
				out = append(out, pass+"@"+pkg)
			}
		}
	}
	sort.Strings(out)
	return out
}

// firstDiff shows the first differing line of a and b with some context.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y []byte
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if !bytes.Equal(x, y) {
			lo := max(0, i-5)
			return fmt.Sprintf("line %d:\n--- first\n%s\n+++ second\n%s\n(context before: %s)", i+1, x, y,
				bytes.Join(la[lo:i], []byte("\n")))
		}
	}
	return "(same lines)"
}
