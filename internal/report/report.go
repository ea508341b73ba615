// Package report is the single way etcdlint's passes report a diagnostic.
//
// It applies suppression directives inside the analyzer, reading comments
// from pass.Files, so they work under every driver (etcdlint, go vet,
// golangci-lint, gopls):
//
//	//etcdlint:ignore NAME[,NAME...] reason
//
// on the line of the diagnostic or on the line above it suppresses the named
// passes' diagnostics there ("all" names every pass). A directive without a
// reason is reported, and so is a directive that suppressed nothing, each by
// the pass it names. Diagnostics in generated files are dropped.
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Directive is the comment prefix of a suppression.
const Directive = "//etcdlint:ignore"

type directive struct {
	pos     token.Pos
	file    string
	line    int
	names   []string
	reason  string
	matched bool
}

// Reporter reports one pass's diagnostics through its suppression directives.
type Reporter struct {
	pass       *analysis.Pass
	name       string
	directives []*directive
	generated  map[string]bool
	own        map[string]bool // the package's files, by name
	pending    []analysis.Diagnostic
}

// New returns a Reporter for the pass. Call Finish at the end of the pass's run.
func New(pass *analysis.Pass) *Reporter {
	r := &Reporter{pass: pass, name: pass.Analyzer.Name, generated: map[string]bool{}, own: map[string]bool{}}
	for _, f := range pass.Files {
		fname := pass.Fset.File(f.Pos()).Name()
		r.own[fname] = true
		if ast.IsGenerated(f) {
			r.generated[fname] = true
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				d := parse(c.Text)
				if d == nil || !d.names_include(r.name) {
					continue
				}
				d.pos = c.Pos()
				p := pass.Fset.Position(c.Pos())
				d.file, d.line = p.Filename, p.Line
				r.directives = append(r.directives, d)
			}
		}
	}
	return r
}

func parse(text string) *directive {
	rest, ok := strings.CutPrefix(text, Directive)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return &directive{}
	}
	return &directive{names: strings.Split(fields[0], ","), reason: strings.Join(fields[1:], " ")}
}

func (d *directive) names_include(name string) bool {
	if len(d.names) == 0 {
		return true // a directive naming nothing is malformed: every pass reports it
	}
	for _, n := range d.names {
		if n == name || n == "all" {
			return true
		}
	}
	return false
}

// Diagnostic is what a pass reports.
type Diagnostic struct {
	Pos, End token.Pos
	Message  string
	Category string // the check within the pass, e.g. "keepalive"
	Related  []analysis.RelatedInformation
	Fixes    []analysis.SuggestedFix
}

// Related is one piece of related information.
func Related(pos token.Pos, format string, args ...any) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: pos, Message: fmt.Sprintf(format, args...)}
}

// Report reports d unless a directive suppresses it or it lies in a generated file.
func (r *Reporter) Report(d Diagnostic) {
	if !d.Pos.IsValid() {
		return
	}
	p := r.pass.Fset.Position(d.Pos)
	if r.generated[p.Filename] {
		return
	}
	for _, dir := range r.directives {
		if dir.file == p.Filename && (dir.line == p.Line || dir.line == p.Line-1) && len(dir.names) > 0 {
			dir.matched = true
			if dir.reason != "" {
				return
			}
		}
	}
	var related []analysis.RelatedInformation
	for _, rel := range d.Related {
		rel.Pos, rel.End = r.lineStart(rel.Pos), r.lineStart(rel.End)
		related = append(related, rel)
	}
	r.pending = append(r.pending, analysis.Diagnostic{
		Pos: d.Pos, End: d.End, Message: d.Message, Category: d.Category,
		Related: related, SuggestedFixes: d.Fixes,
	})
}

// lineStart returns pos, or the start of its line when pos is in another
// package's file: under go vet another package's objects come from export
// data, whose positions have lines but no columns, so a related position
// there is given as its line under every driver.
func (r *Reporter) lineStart(pos token.Pos) token.Pos {
	tf := r.pass.Fset.File(pos)
	if !pos.IsValid() || tf == nil || r.own[tf.Name()] {
		return pos
	}
	return tf.LineStart(tf.Line(pos))
}

// Reportf reports a diagnostic at pos with a formatted message.
func (r *Reporter) Reportf(pos token.Pos, format string, args ...any) {
	r.Report(Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Finish reports the pass's diagnostics in file and offset order (token.Pos
// order across files depends on the order the driver parsed them in, which
// is not fixed), then its malformed directives and the directives that
// suppressed none of its diagnostics.
func (r *Reporter) Finish() {
	sort.SliceStable(r.pending, func(i, j int) bool { return r.less(r.pending[i].Pos, r.pending[j].Pos) })
	for _, d := range r.pending {
		r.pass.Report(d)
	}
	r.pending = nil
	sort.Slice(r.directives, func(i, j int) bool { return r.less(r.directives[i].pos, r.directives[j].pos) })
	for _, d := range r.directives {
		switch {
		case len(d.names) == 0:
			r.pass.Report(analysis.Diagnostic{Pos: d.pos, Category: "directive",
				Message: "malformed etcdlint:ignore directive: want //etcdlint:ignore NAME reason"})
		case d.reason == "":
			r.pass.Report(analysis.Diagnostic{Pos: d.pos, Category: "directive",
				Message: fmt.Sprintf("etcdlint:ignore directive for %s needs a reason", r.name)})
		case !d.matched && !r.generated[d.file] && !onlyAll(d):
			r.pass.Report(analysis.Diagnostic{Pos: d.pos, Category: "directive",
				Message: fmt.Sprintf("etcdlint:ignore directive for %s suppresses nothing", r.name)})
		}
	}
}

// onlyAll reports whether d names only "all": such a directive cannot tell
// which pass it was meant for, so no single pass calls it unused.
func onlyAll(d *directive) bool {
	for _, n := range d.names {
		if n != "all" {
			return false
		}
	}
	return true
}

func (r *Reporter) less(a, b token.Pos) bool {
	pa, pb := r.pass.Fset.Position(a), r.pass.Fset.Position(b)
	if pa.Filename != pb.Filename {
		return pa.Filename < pb.Filename
	}
	return pa.Offset < pb.Offset
}

// Guard runs f and turns a panic in it into a diagnostic at pos (an internal
// error naming what was being analysed), so that one function etcdlint
// cannot handle costs that function's findings, not the whole run.
func (r *Reporter) Guard(pos token.Pos, what string, f func()) {
	defer func() {
		if p := recover(); p != nil {
			r.pending = append(r.pending, analysis.Diagnostic{Pos: pos, Category: "internal",
				Message: fmt.Sprintf("etcdlint internal error analysing %s (skipped): %v", what, p)})
		}
	}()
	f()
}

// Recover runs f and reports whether it completed without panicking; for
// fact analyzers, which have no diagnostics to carry the error.
func Recover(f func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f()
	return true
}
