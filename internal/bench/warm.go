package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The warm rows.
//
//	etcdlint-warm      the standalone command served from go vet's cache,
//	                   which the untimed run filled
//	vet-etcdlint-warm  go vet -vettool=etcdlint with the same executable
//	                   every run, so that go vet's cache serves it
//	etcdlint-onefile   the standalone command after one file of a leaf
//	                   package changed (a constant in it, before every run):
//	                   that package is analysed, the rest comes from the cache
//	precommit-warm     the pre-commit hook (pre-commit run --all-files, with
//	                   a local hook running etcdlint on the target's
//	                   packages) in a git repository holding the target: a
//	                   second commit with nothing changed
//
// The one-file and pre-commit rows name the target's leaf package too (a
// package of the target module that imports the etcd client and that
// nothing imports); only the etcd target has one.

// leafSource is the leaf package's file; %d changes before every run.
const leafSource = `// Package leaf changes before every run of the one-file row.
package leaf

import (
	"context"
	"strconv"

	clientv3 "go.etcd.io/etcd/client/v3"
)

const n = %d

// Fill writes n keys.
func Fill(ctx context.Context, cli *clientv3.Client) error {
	for i := 0; i < n; i++ {
		if _, err := cli.Put(ctx, "/leaf/"+strconv.Itoa(i), "v"); err != nil {
			return err
		}
	}
	return nil
}
`

// addLeaf adds the leaf package to the target module t.
func addLeaf(t *target, modpath string) error {
	dir := filepath.Join(t.dir, "leaf")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	t.leafFile = filepath.Join(dir, "leaf.go")
	t.leafPkg = modpath + "/leaf"
	return os.WriteFile(t.leafFile, []byte(fmt.Sprintf(leafSource, 1)), 0o644)
}

// changeLeaf gives the leaf file a new constant.
func changeLeaf(t *target) error {
	return os.WriteFile(t.leafFile, []byte(fmt.Sprintf(leafSource, time.Now().UnixNano()%1000000+2)), 0o644)
}

// hookConfig makes t's directory a git repository with a pre-commit
// configuration whose local hook runs exe on pkgs as the repository's hook
// (.pre-commit-hooks.yaml) runs etcdlint: pass_filenames false, Go files only.
func (b *bench) hookConfig(t *target, exe string, tl *tool, pkgs []string) error {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		return fmt.Errorf("pre-commit is not installed")
	}
	args := []string{}
	if tl.extra && *flagEtcdlintArgs != "" {
		args = append(args, strings.Fields(*flagEtcdlintArgs)...)
	}
	args = append(args, pkgs...)
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	cfg := fmt.Sprintf(`repos:
  - repo: local
    hooks:
      - id: etcdlint
        name: etcdlint
        language: system
        entry: %s
        args: [%s]
        pass_filenames: false
        require_serial: true
        types: [go]
`, exe, strings.Join(quoted, ", "))
	path := filepath.Join(t.dir, ".pre-commit-config.yaml")
	if old, err := os.ReadFile(path); err == nil && string(old) == cfg {
		return nil
	}
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		return err
	}
	steps := [][]string{{"add", ".pre-commit-config.yaml"}}
	if _, err := os.Stat(filepath.Join(t.dir, ".git")); err != nil {
		steps = [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "target"}}
	}
	for _, args := range steps {
		cmd := exec.Command("git", args...)
		cmd.Dir = t.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}
