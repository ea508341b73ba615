package whole

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestBrokenNote checks that the note on the program's packages that do not
// load names them in sorted order, the first few only, and leaves out the
// packages reported on and their dependencies (they stop the run instead)
// and the test variants of a package already named.
func TestBrokenNote(t *testing.T) {
	broken := func(path string) *packages.Package {
		return &packages.Package{ID: path, PkgPath: path, Errors: []packages.Error{{Msg: "does not type-check"}}}
	}
	root := broken("example.com/app/root")
	var all []*packages.Package
	for _, p := range []string{"example.com/app/zeta", "example.com/app/alpha", "example.com/app/mid"} {
		all = append(all, broken(p))
	}
	variant := broken("example.com/app/alpha")
	variant.ID = "example.com/app/alpha [example.com/app/alpha.test]"
	all = append(all, variant, root, &packages.Package{ID: "example.com/app/ok", PkgPath: "example.com/app/ok"})
	needed := map[*packages.Package]bool{root: true}

	got := brokenNote(all, needed)
	want := "3 packages of the program do not load (example.com/app/alpha, example.com/app/mid, example.com/app/zeta); their implementations are not seen"
	if got != want {
		t.Errorf("brokenNote:\ngot  %s\nwant %s", got, want)
	}

	for i := 0; i < 7; i++ {
		all = append(all, broken(fmt.Sprintf("example.com/lib/p%d", i)))
	}
	got = brokenNote(all, needed)
	if !strings.HasPrefix(got, "10 packages of the program do not load (example.com/app/alpha, example.com/app/mid, example.com/app/zeta, example.com/lib/p0, example.com/lib/p1 and 5 more);") {
		t.Errorf("brokenNote with ten broken packages: %s", got)
	}
	if got := brokenNote([]*packages.Package{broken("example.com/one")}, nil); !strings.HasPrefix(got, "1 package of the program does not load (example.com/one);") {
		t.Errorf("brokenNote with one broken package: %s", got)
	}
	if got := brokenNote([]*packages.Package{root}, needed); got != "" {
		t.Errorf("brokenNote with no broken package outside the needed ones: %q", got)
	}
}
