// Package fixes applies the suggested fixes of analysis diagnostics to the
// files on disk, for etcdlint's whole-program mode (the go vet and
// standalone paths use x/tools' own applier), and computes the fixed files
// that the fixture tests compare with their .golden files.
//
// Each diagnostic's first suggested fix is applied. Edits are applied per
// file from last to first; an edit that overlaps one already taken is
// skipped, and so is the rest of its fix, so that a file never receives half
// a fix. The result is formatted with go/format, and a file that no longer
// parses after its edits is left unchanged and reported.
package fixes

import (
	"fmt"
	"go/format"
	"go/token"
	"os"
	"sort"

	"golang.org/x/tools/go/analysis"
)

type edit struct {
	start, end int
	text       []byte
	fix        int
}

// Apply applies the first suggested fix of every diagnostic in diags and
// returns the files it changed.
func Apply(fset *token.FileSet, diags []analysis.Diagnostic) ([]string, error) {
	fixed, errs := apply(fset, diags)
	var names []string
	for name := range fixed {
		names = append(names, name)
	}
	sort.Strings(names)
	var changed []string
	for _, name := range names {
		if err := os.WriteFile(name, fixed[name], 0o644); err != nil {
			errs = append(errs, err)
			continue
		}
		changed = append(changed, name)
	}
	if len(errs) > 0 {
		return changed, fmt.Errorf("applying fixes: %v", errs)
	}
	return changed, nil
}

// Fixed is Apply without writing: the new content of every file the fixes
// change, by file name. Tests compare it with their .golden files.
func Fixed(fset *token.FileSet, diags []analysis.Diagnostic) (map[string][]byte, error) {
	fixed, errs := apply(fset, diags)
	if len(errs) > 0 {
		return fixed, fmt.Errorf("applying fixes: %v", errs)
	}
	return fixed, nil
}

func apply(fset *token.FileSet, diags []analysis.Diagnostic) (map[string][]byte, []error) {
	byFile := map[string][]edit{}
	for i, d := range diags {
		if len(d.SuggestedFixes) == 0 {
			continue
		}
		for _, te := range d.SuggestedFixes[0].TextEdits {
			f := fset.File(te.Pos)
			if f == nil {
				continue
			}
			end := te.End
			if !end.IsValid() {
				end = te.Pos
			}
			byFile[f.Name()] = append(byFile[f.Name()], edit{f.Offset(te.Pos), f.Offset(end), te.NewText, i})
		}
	}
	fixed := map[string][]byte{}
	var errs []error
	for name, edits := range byFile {
		src, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out, err := applyEdits(src, edits)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", name, err))
			continue
		}
		if string(out) != string(src) {
			fixed[name] = out
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return fixed, errs
}

// applyEdits applies edits to src (whole fixes only, skipping any fix with an
// edit that overlaps another fix's) and formats the result.
func applyEdits(src []byte, edits []edit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	skip := map[int]bool{}
	for i := 1; i < len(edits); i++ {
		prev, cur := edits[i-1], edits[i]
		if cur.start < prev.end && cur.fix != prev.fix {
			skip[cur.fix] = true
		}
		if cur.start == prev.start && cur.end == prev.end && string(cur.text) == string(prev.text) && cur.fix != prev.fix {
			skip[cur.fix] = true // two diagnostics offering the same edit: take it once
		}
	}
	out := append([]byte(nil), src...)
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		if skip[e.fix] || e.start < 0 || e.end > len(src) || e.start > e.end {
			continue
		}
		out = append(out[:e.start:e.start], append(append([]byte(nil), e.text...), out[e.end:]...)...)
	}
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("fixed file does not parse: %v", err)
	}
	return formatted, nil
}
