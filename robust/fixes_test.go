package robust_test

import (
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/analysistest"
)

// edit is one TextEdit in byte offsets of a file.
type edit struct {
	file       string
	start, end int
	text       string
}

// fixEdits turns the first suggested fix of every root diagnostic into
// edits, accepting a fix only when none of its edits overlaps an edit
// already accepted (an identical edit, reported again by a package's test
// variant, is accepted once). It returns the accepted edits by file and the
// number of fixes accepted and skipped.
func fixEdits(r *result) (map[string][]edit, int, int) {
	byFile := map[string][]edit{}
	seen := map[edit]bool{}
	accepted, skipped := 0, 0
	for _, d := range r.diags() {
		if len(d.d.SuggestedFixes) == 0 {
			continue
		}
		fix := d.d.SuggestedFixes[0]
		es := toEdits(d.act.Package.Fset, fix)
		var fresh []edit
		overlap := false
		for _, e := range es {
			if seen[e] {
				continue
			}
			for _, o := range byFile[e.file] {
				if e.start < o.end && o.start < e.end || (e.start == e.end && e.start == o.start) {
					overlap = true
				}
			}
			fresh = append(fresh, e)
		}
		if overlap {
			skipped++
			continue
		}
		if len(fresh) > 0 {
			accepted++
		}
		for _, e := range fresh {
			seen[e] = true
			byFile[e.file] = append(byFile[e.file], e)
		}
	}
	return byFile, accepted, skipped
}

func toEdits(fset *token.FileSet, fix analysis.SuggestedFix) []edit {
	var out []edit
	for _, te := range fix.TextEdits {
		start := fset.Position(te.Pos)
		end := start
		if te.End.IsValid() {
			end = fset.Position(te.End)
		}
		out = append(out, edit{file: start.Filename, start: start.Offset, end: end.Offset, text: string(te.NewText)})
	}
	return out
}

// apply applies non-overlapping edits to src.
func apply(src []byte, es []edit) ([]byte, error) {
	es = append([]edit(nil), es...)
	sort.Slice(es, func(i, j int) bool {
		if es[i].start != es[j].start {
			return es[i].start < es[j].start
		}
		return es[i].end < es[j].end
	})
	var out bytes.Buffer
	last := 0
	for _, e := range es {
		if e.start < last || e.end > len(src) || e.start > e.end {
			return nil, fmt.Errorf("bad edit %d-%d (last %d, len %d)", e.start, e.end, last, len(src))
		}
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// TestFixesApply applies every suggested fix that the passes offer on the
// fixture modules of every era, in a temp copy of each module, and checks
// that the fixed files are gofmt-clean and the module still builds.
func TestFixesApply(t *testing.T) {
	eras := analysistest.Eras
	switch {
	case testing.Short():
		eras = []string{"v36"}
	case !fullRun():
		eras = []string{"v36", "v33"} // the newest and the oldest import paths
	}
	total := 0
	for _, era := range eras {
		t.Run(era, func(t *testing.T) {
			w, r := eraRun(t, era)
			if r.err != nil {
				t.Fatal(r.err)
			}
			byFile, accepted, skipped := fixEdits(r)
			t.Logf("%s: %d fixes accepted, %d skipped as overlapping, in %d files", era, accepted, skipped, len(byFile))
			total += accepted
			for _, name := range w.names() {
				modDir := absDir(w.mods[name]) + string(filepath.Separator)
				var files []string
				for f := range byFile {
					if strings.HasPrefix(f, modDir) {
						files = append(files, f)
					}
				}
				if len(files) == 0 {
					continue
				}
				sort.Strings(files)
				t.Run(name, func(t *testing.T) {
					checkFixed(t, w.mods[name], files, byFile)
				})
			}
		})
	}
	if total == 0 && !t.Failed() {
		t.Errorf("no suggested fix was offered on any fixture")
	}
}

// checkFixed copies the module at mod, applies the edits of files, and checks
// gofmt and go build.
func checkFixed(t *testing.T, mod string, files []string, byFile map[string][]edit) {
	tmp := t.TempDir()
	copyTree(t, mod, tmp)
	root := absDir(mod)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fixed, err := apply(src, byFile[f])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rel, _ := filepath.Rel(root, f)
		if formatted, err := format.Source(fixed); err != nil {
			t.Errorf("%s: fixed file does not parse: %v", rel, err)
		} else if !bytes.Equal(formatted, fixed) {
			t.Errorf("%s: fixed file is not gofmt-clean:\n%s", rel, fixed)
		}
		if err := os.WriteFile(filepath.Join(tmp, rel), fixed, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("fixed %s (%d edits)", rel, len(byFile[f]))
	}
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = tmp
	cmd.Env = env(tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("fixed module %s does not build: %v\n%s", filepath.Base(mod), err, out)
	}
}
