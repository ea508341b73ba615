package analysistest

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GoldenBuilds checks that the fixed code in every .golden file of package
// pkg (a directory) of the fixture module at dir is gofmt-clean and compiles
// against the fixture's real etcd: it copies go.mod and go.sum into a temp
// module, writes each golden file in place of the file it fixes, and runs
// go build offline.
func GoldenBuilds(t *testing.T, dir, pkg string) {
	t.Helper()
	Download(t, dir)
	goldens, err := filepath.Glob(filepath.Join(dir, pkg, "*.go.golden"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no .go.golden files in %s", filepath.Join(dir, pkg))
	}
	tmp := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		copyFile(t, filepath.Join(dir, name), filepath.Join(tmp, name))
	}
	if err := os.MkdirAll(filepath.Join(tmp, pkg), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		src, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(src)
		if err != nil {
			t.Errorf("%s does not parse: %v", g, err)
			continue
		}
		if !bytes.Equal(formatted, src) {
			t.Errorf("%s is not gofmt-clean", g)
		}
		name := strings.TrimSuffix(filepath.Base(g), ".golden")
		if err := os.WriteFile(filepath.Join(tmp, pkg, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("fixed code in %s does not build: %v\n%s", filepath.Join(dir, pkg), err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
