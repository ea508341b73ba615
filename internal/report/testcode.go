package report

import (
	"go/token"
	"strings"
)

// TestCodeRule is the sentence every pass with an -include-tests flag
// quotes in its doc.go: which code the flag is about.
const TestCodeRule = "Test code is a _test.go file, or any file of a package that exists to support tests: " +
	"one whose import path has an element, after the first, that is integration or e2e, " +
	"starts with test (test, tests, testing, testutil, testserver), " +
	"or ends in testing, testutil, testutils or testserver (etcdtesting, kvtestutil); " +
	"an element that merely ends in test (latest, contest) does not count."

// InTestCode reports whether pos, in the package whose import path is
// pkgPath, is test code (TestCodeRule). Passes leave test code alone
// unless their -include-tests flag is set: a test's embedded server,
// client or loop lives as long as the test, not as the program.
func InTestCode(fset *token.FileSet, pos token.Pos, pkgPath string) bool {
	if pos.IsValid() && strings.HasSuffix(fset.Position(pos).Filename, "_test.go") {
		return true
	}
	return TestSupportPackage(pkgPath)
}

// TestSupportPackage reports whether the package with import path path
// exists to support tests (TestCodeRule). A test variant's path
// ("p [p.test]") and an external test package ("p_test") count by the
// package they test.
func TestSupportPackage(path string) bool {
	path, _, _ = strings.Cut(path, " ")
	elems := strings.Split(path, "/")
	for _, e := range elems[1:] {
		switch {
		case e == "integration" || e == "e2e":
			return true
		case strings.HasPrefix(e, "test"):
			return true
		case strings.HasSuffix(e, "testing"), strings.HasSuffix(e, "testutil"),
			strings.HasSuffix(e, "testutils"), strings.HasSuffix(e, "testserver"):
			return true
		}
	}
	return false
}
