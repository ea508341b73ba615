package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// TestVetFlags checks that the same settings make the same go vet flags
// (hence the same cache keys) however they are written, and that the flags
// that cannot be served from the cache are recognised.
func TestVetFlags(t *testing.T) {
	t.Setenv(cacheEnv, "on")
	a := parseArgs([]string{"-hotkey.max-bound", "32", "--json", "-hotkey", "-c=2", "./..."})
	b := parseArgs([]string{"-hotkey=1", "-hotkey.max-bound=16", "-hotkey.max-bound=32", "./..."})
	if !slices.Equal(vetFlags(a), vetFlags(b)) {
		t.Errorf("vetFlags differ: %q, %q", vetFlags(a), vetFlags(b))
	}
	want := []string{"-json", "-" + unitsFlag, "-hotkey=true", "-hotkey.max-bound=32"}
	if got := vetFlags(a); !slices.Equal(got, want) {
		t.Errorf("vetFlags = %q, want %q", got, want)
	}
	if !analysisRun(a) || !cacheable(a) || !slices.Equal(a.patterns, []string{"./..."}) {
		t.Errorf("%+v: want a cacheable analysis run of ./...", a)
	}
	for _, args := range [][]string{
		{"-fix", "./..."}, {"-diff", "./..."}, {"help"}, {"-flags"}, {"-V=full"}, {"-no-such-flag", "./..."},
		{}, {"-json"}, {"-c"}, {"--", "./..."},
	} {
		if p := parseArgs(args); analysisRun(p) {
			t.Errorf("%q: an analysis run", args)
		}
	}
	for _, args := range [][]string{{"-debug=v", "./..."}, {"-cpuprofile", "x", "./..."}, {"-v", "./..."}} {
		if p := parseArgs(args); !analysisRun(p) || cacheable(p) {
			t.Errorf("%q: want an uncached analysis run", args)
		}
	}
	t.Setenv(cacheEnv, "off")
	if cacheable(a) {
		t.Errorf("%s=off: cacheable", cacheEnv)
	}
	t.Setenv(cacheEnv, "")
	if !cacheable(a) {
		t.Errorf("%s unset: not cacheable; the cache is the default", cacheEnv)
	}
}

// TestPrintText checks the text rendering of a JSON tree: one line per
// diagnostic although a file is in a package and its test variant,
// sorted by position, related positions indented, errors first and exit
// code 1, else 3 with diagnostics.
func TestPrintText(t *testing.T) {
	tree := jsonTree{}
	err := tree.add([]byte(`{"p": {"hotkey": [{"posn": "/m/p/a.go:10:2", "end": "/m/p/a.go:10:9", "message": "second"},
	  {"posn": "/m/p/a.go:9:14", "end": "/m/p/a.go:9:20", "message": "first", "related": [{"posn": "/m/p/a.go:8:2", "end": "/m/p/a.go:8:2", "message": "the loop"}]}]}}
{"p [p.test]": {"hotkey": [{"posn": "/m/p/a.go:10:2", "end": "/m/p/a.go:10:9", "message": "second"}]},
 "p_test [p.test]": {"largevalue": [{"posn": "/m/p/a_test.go:3:1", "end": "/m/p/a_test.go:3:1", "message": "third"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	code, err := tree.printText(&buf, -1)
	want := "/m/p/a.go:9:14: first\n/m/p/a.go:8:2: \tthe loop\n/m/p/a.go:10:2: second\n/m/p/a_test.go:3:1: third\n"
	if err != nil || code != 3 || buf.String() != want {
		t.Errorf("printText = %d, %v:\n%s\nwant 3:\n%s", code, err, buf.String(), want)
	}
	tree["q"] = map[string]json.RawMessage{}
	tree["q"]["etcdfacts"] = []byte(`{"error": "boom"}`)
	buf.Reset()
	if code, _ := tree.printText(&buf, -1); code != 1 || !bytes.HasPrefix(buf.Bytes(), []byte("etcdfacts: boom\n")) {
		t.Errorf("with an error: exit %d\n%s", code, buf.String())
	}
}

func TestSplitPosn(t *testing.T) {
	for _, c := range []struct {
		in        string
		file      string
		line, col int
	}{
		{"/a/b.go:12:3", "/a/b.go", 12, 3},
		{"c:/x/b.go:1:2", "c:/x/b.go", 1, 2},
		{"/a/b.go:7", "/a/b.go", 7, 0},
		{"-", "-", 0, 0},
	} {
		if f, l, col := splitPosn(c.in); f != c.file || l != c.line || col != c.col {
			t.Errorf("splitPosn(%q) = %q, %d, %d", c.in, f, l, col)
		}
	}
}
