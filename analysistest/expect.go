package analysistest

import (
	"fmt"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/scanner"

	"golang.org/x/tools/go/analysis/checker"
)

// An expectation is one pattern of a "// want" comment: a diagnostic
// message (fact == "") or a fact of the object named fact ("package" for a
// package fact).
type expectation struct {
	fact string
	rx   *regexp.Regexp
}

// reporter is the part of testing.TB the checks report through, so that
// their own tests can see what they report.
type reporter interface {
	Helper()
	Error(args ...any)
	Errorf(format string, args ...any)
}

type line struct {
	file string
	line int
}

// checkExpectations fails the test unless the diagnostics and facts of act
// match the "// want" comments of its package's files one to one, in the
// notation of x/tools' analysistest: `// want "rx" ...` for diagnostics on
// that line, `// want Name:"rx"` for a fact of the object declared there,
// `// want package:"rx"` for a package fact (expected on line 1 of the
// first file), and `+N` to expect them N lines further down.
func checkExpectations(t reporter, act *checker.Action) {
	t.Helper()
	fset := act.Package.Fset
	want := map[line][]expectation{}
	for _, f := range act.Package.Syntax {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text, ok := wantText(c.Text)
				if !ok {
					continue
				}
				posn := fset.Position(c.Pos())
				delta, exps, err := parseWant(text)
				if err != nil {
					t.Errorf("%s: in a want comment: %v", posn, err)
					continue
				}
				at := line{posn.Filename, posn.Line + delta}
				want[at] = append(want[at], exps...)
			}
		}
	}

	match := func(posn token.Position, fact, what string) {
		at := line{posn.Filename, posn.Line}
		var tried []string
		for i, e := range want[at] {
			if e.fact != fact {
				continue
			}
			if e.rx.MatchString(what) {
				want[at] = append(want[at][:i:i], want[at][i+1:]...)
				return
			}
			tried = append(tried, fmt.Sprintf("%#q", e.rx))
		}
		kind := "diagnostic"
		if fact != "" {
			kind = "fact of " + fact
		}
		if tried == nil {
			t.Errorf("%v: unexpected %s: %s", posn, kind, what)
		} else {
			t.Errorf("%v: %s %q matches none of %s", posn, kind, what, strings.Join(tried, ", "))
		}
	}

	for _, d := range act.Diagnostics {
		match(fset.Position(d.Pos), "", d.Message)
	}
	for _, pf := range act.AllPackageFacts() {
		if pf.Package == act.Package.Types && len(act.Package.Syntax) > 0 {
			posn := fset.Position(act.Package.Syntax[0].Pos())
			posn.Line, posn.Column = 1, 1
			match(posn, "package", fmt.Sprint(pf.Fact))
		}
	}
	objFacts := act.AllObjectFacts()
	sort.SliceStable(objFacts, func(i, j int) bool { return objFacts[i].Object.Pos() < objFacts[j].Object.Pos() })
	for _, of := range objFacts {
		if of.Object.Pkg() == act.Package.Types {
			match(fset.Position(of.Object.Pos()), of.Object.Name(), fmt.Sprint(of.Fact))
		}
	}

	var missing []string
	for at, exps := range want {
		for _, e := range exps {
			kind := "diagnostic"
			if e.fact != "" {
				kind = "fact of " + e.fact
			}
			missing = append(missing, fmt.Sprintf("%s:%d: no %s matching %#q", at.file, at.line, kind, e.rx))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

// wantText returns the text after "want" of a comment that holds an
// expectation: one that starts with "want", or that holds "// want" (a
// comment about a comment).
func wantText(comment string) (string, bool) {
	text := strings.TrimPrefix(comment, "//")
	if text == comment {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
	}
	if i := strings.Index(text, "// want"); i >= 0 {
		text = text[i+len("// "):]
	}
	return strings.CutPrefix(strings.TrimSpace(text), "want")
}

// parseWant parses the patterns of a want comment: quoted regular
// expressions for diagnostics, Name:"rx" for facts, +N for a line offset.
func parseWant(text string) (delta int, exps []expectation, err error) {
	var s scanner.Scanner
	s.Init(strings.NewReader(text))
	s.Mode = scanner.ScanIdents | scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	var scanErr error
	s.Error = func(_ *scanner.Scanner, msg string) { scanErr = fmt.Errorf("%s", msg) }
	regexpAt := func(tok rune) (*regexp.Regexp, error) {
		if tok != scanner.String && tok != scanner.RawString {
			return nil, fmt.Errorf("want a quoted regular expression, got %s", scanner.TokenString(tok))
		}
		pattern, err := strconv.Unquote(s.TokenText())
		if err != nil {
			return nil, err
		}
		return regexp.Compile(pattern)
	}
	for {
		switch tok := s.Scan(); tok {
		case scanner.EOF:
			return delta, exps, scanErr
		case '+':
			if s.Scan() != scanner.Int {
				return 0, nil, fmt.Errorf("want a line count after +")
			}
			delta, _ = strconv.Atoi(s.TokenText())
		case scanner.String, scanner.RawString:
			rx, err := regexpAt(tok)
			if err != nil {
				return 0, nil, err
			}
			exps = append(exps, expectation{rx: rx})
		case scanner.Ident:
			name := s.TokenText()
			if s.Scan() != ':' {
				return 0, nil, fmt.Errorf("want ':' after %s", name)
			}
			rx, err := regexpAt(s.Scan())
			if err != nil {
				return 0, nil, err
			}
			exps = append(exps, expectation{fact: name, rx: rx})
		default:
			return 0, nil, fmt.Errorf("unexpected %s", scanner.TokenString(tok))
		}
	}
}
