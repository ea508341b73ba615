package robust_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// brokenTimeout bounds each load+analysis of a small fixture module.
const brokenTimeout = 3 * time.Minute

// runFixture loads and analyses ./... of the fixture module robust/testdata/name
// (or of dir when it is not empty), failing on internal errors.
func runFixture(t *testing.T, name, dir string) *result {
	t.Helper()
	if dir == "" {
		dir = filepath.Join("testdata", name)
	}
	download(t, filepath.Join("testdata", name))
	start := time.Now()
	r := run(t, dir, brokenTimeout, "./...")
	t.Logf("%s: loaded and analysed in %v", name, time.Since(start).Round(time.Millisecond))
	if r.err != nil {
		t.Logf("checker.Analyze: %v", r.err)
	}
	for _, e := range r.packageErrors() {
		t.Logf("package error: %s", e)
	}
	for _, e := range r.actionErrors() {
		t.Logf("action error: %s", e)
	}
	for _, d := range r.diags() {
		t.Logf("diagnostic: %s", d)
	}
	if ie := r.internalErrors(); len(ie) > 0 {
		t.Errorf("internal errors:\n%s", strings.Join(ie, "\n"))
	}
	return r
}

// wantDiags checks the root diagnostics (file:line [pass] and a message
// fragment) against want, in order.
func wantDiags(t *testing.T, r *result, want ...string) {
	t.Helper()
	var got []string
	for _, d := range r.diags() {
		got = append(got, d.String())
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		pos, frag, _ := strings.Cut(want[i], " ")
		ok = strings.HasPrefix(got[i], pos) && strings.Contains(got[i], frag)
	}
	if !ok {
		t.Errorf("diagnostics:\n%s\nwant (position [pass] fragment):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// wantErrors checks that the package errors include each fragment, that
// every pass's action on the root package failed the way x/tools reports
// it (skipped because of the package's errors, or failed prerequisites) and
// that no pass produced a diagnostic.
func wantErrors(t *testing.T, r *result, frags ...string) {
	t.Helper()
	if r.err != nil {
		t.Errorf("checker.Analyze failed as a whole: %v", r.err)
	}
	errs := strings.Join(r.packageErrors(), "\n")
	for _, f := range frags {
		if !strings.Contains(errs, f) {
			t.Errorf("package errors do not mention %q:\n%s", f, errs)
		}
	}
	for _, act := range r.graph.Roots {
		if act.Err == nil {
			t.Errorf("%s: ran on a package with errors", act)
		} else if msg := act.Err.Error(); !strings.Contains(msg, "analysis skipped due to errors in package") &&
			!strings.HasPrefix(msg, "failed prerequisites") {
			t.Errorf("%s: unexpected error %v", act, msg)
		}
	}
	wantDiags(t, r)
}

// wantClean fails the test if the fixture had load errors.
func wantClean(t *testing.T, r *result) {
	t.Helper()
	if errs := r.packageErrors(); len(errs) > 0 {
		t.Fatalf("fixture does not load cleanly: %v", errs)
	}
	if errs := r.actionErrors(); len(errs) > 0 {
		t.Errorf("passes failed: %v", errs)
	}
}

func TestTypeErrors(t *testing.T) {
	r := runFixture(t, "typeerr", "")
	wantErrors(t, r, "cannot use 42", "undefined: undefinedCtx", `cannot use "not a number"`)
}

func TestSyntaxErrors(t *testing.T) {
	r := runFixture(t, "syntaxerr", "")
	wantErrors(t, r, "expected")
}

func TestMissingDependency(t *testing.T) {
	r := runFixture(t, "missingdep", "")
	wantErrors(t, r, "example.org/missing/kv")
}

func TestCgo(t *testing.T) {
	r := runFixture(t, "cgo", "")
	wantClean(t, r)
	// The position maps back through cgo's //line directives to a.go.
	wantDiags(t, r, `a/a.go:19:23: [hotkey] etcd key "/nodes/status" is rewritten on every tick of this loop`)
}

func TestGenerics(t *testing.T) {
	r := runFixture(t, "generics", "")
	wantClean(t, r)
	wantDiags(t, r,
		`app/app.go:18:18: [largevalue] value written to "/status/traffic" grows with requests (a map filled in a loop)`,
		`app/app.go:29:8: [hotkey] etcd key "/status/heartbeat" is rewritten every 1s by this loop (through Store.Put)`)
}

func TestRecursion(t *testing.T) {
	r := runFixture(t, "recursion", "")
	wantClean(t, r)
	wantDiags(t, r,
		`a/a.go:31:4: [hotkey] etcd key "/ping" is rewritten every 1s by this loop (through a.f)`,
		`a/a.go:66:5: [hotkey] etcd key "/tick" is rewritten every 1s by this loop (through a.h1)`)
}

// genModule copies the seed module testdata/gen into a temp dir and writes
// src as a/gen.go.
func genModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "gen"), dir)
	if err := os.WriteFile(filepath.Join(dir, "a", "gen.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const genHeader = `package a

import (
	"context"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

var _ = strconv.Itoa
`

// TestHugeFunction: one function of 10,000+ statements, with 100 direct
// writes, a Txn of 200 constant operations and a heartbeat loop at the end.
func TestHugeFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("huge generated function: not in -short")
	}
	var b strings.Builder
	b.WriteString(genHeader)
	b.WriteString("\nfunc Huge(ctx context.Context, cli *clientv3.Client, in []int) int {\n\tx := 0\n")
	for i := 0; i < 10000; i++ {
		switch {
		case i%100 == 0:
			fmt.Fprintf(&b, "\tcli.Put(ctx, \"/huge/%d\", strconv.Itoa(x))\n", i)
		case i%7 == 0:
			fmt.Fprintf(&b, "\tif x > %d {\n\t\tx -= %d\n\t}\n", i, i/2)
		default:
			fmt.Fprintf(&b, "\tx += %d\n", i)
		}
	}
	b.WriteString("\ttxn := cli.Txn(ctx).Then(\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "\t\tclientv3.OpPut(\"/huge/op/%d\", \"v\"),\n", i)
	}
	b.WriteString("\t)\n\ttxn.Commit()\n")
	b.WriteString("\tfor {\n\t\tcli.Put(ctx, \"/huge/heartbeat\", strconv.Itoa(x))\n\t\ttime.Sleep(time.Second)\n\t}\n}\n")
	dir := genModule(t, b.String())
	r := runFixture(t, "gen", dir)
	wantClean(t, r)
	wantDiags(t, r,
		`a/gen.go: [txnops] the Then list of this Txn holds 200 operations`,
		`a/gen.go: [hotkey] etcd key "/huge/heartbeat" is rewritten every 1s by this loop`)
}

// TestDeepExpression: a key built by a 2,000-deep nested concatenation, and
// a value by 2,000 nested calls.
func TestDeepExpression(t *testing.T) {
	const depth = 2000
	var key, val strings.Builder
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&key, "(\"/%d\" + ", i%10)
		val.WriteString("strconv.Quote(")
	}
	key.WriteString("node")
	val.WriteString("node")
	for i := 0; i < depth; i++ {
		key.WriteString(")")
		val.WriteString(")")
	}
	src := genHeader + fmt.Sprintf(`
func Deep(cli *clientv3.Client, node string) {
	for {
		cli.Put(context.Background(), %s, %s)
		time.Sleep(time.Second)
	}
}

func Shallow(cli *clientv3.Client, node string) {
	for {
		cli.Put(context.Background(), ("/a" + ("/b" + node)), strconv.Quote(strconv.Quote(node)))
		time.Sleep(time.Second)
	}
}
`, key.String(), val.String())
	dir := genModule(t, src)
	r := runFixture(t, "gen", dir)
	wantClean(t, r)
	// The walks that render Deep's key stop at their bound: Deep is not
	// reported (a missed report, never a crash or a wrong key); the same
	// shape three levels deep is.
	wantDiags(t, r, `a/gen.go:22: [hotkey] etcd key "/a/b`)
}
