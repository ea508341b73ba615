package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

var targetNames = []string{"etcd", "noetcd", "huge", "dir"}

// A target is a set of packages every tool is run on, from one module.
type target struct {
	name     string
	dir      string   // module directory the tools run in
	pkgs     []string // import paths on the command line
	what     string   // description for the table
	excluded []string // packages of the patterns left out (failed to load)
	env      []string // extra environment of the measured runs (-dir.env)
	leafFile string   // a file of a package nothing imports, for the one-file rows
	leafPkg  string   // its package
}

// etcdVersion is the etcd release of the etcd target; the huge target uses
// analysistest/eras/v36, the same release.
const etcdVersion = "v3.6.16"

func (b *bench) setup(name string) (*target, error) {
	dir := filepath.Join(b.work, "targets", name)
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	log.Printf("%s: setting up in %s", name, dir)
	switch name {
	case "etcd":
		patterns := []string{
			"go.etcd.io/etcd/server/v3/...",
			"go.etcd.io/etcd/client/v3/...",
			"go.etcd.io/etcd/etcdctl/v3/...",
		}
		if b.quick {
			patterns = []string{"go.etcd.io/etcd/client/v3/..."}
		}
		t := &target{name: name, dir: dir}
		err := b.tempModule(t, "example.com/benchetcd", []string{
			"go.etcd.io/etcd/client/v3 " + etcdVersion,
			"go.etcd.io/etcd/etcdctl/v3 " + etcdVersion,
			"go.etcd.io/etcd/server/v3 " + etcdVersion,
		}, []string{
			"go.etcd.io/etcd/client/v3",
			"go.etcd.io/etcd/etcdctl/v3/ctlv3",
			"go.etcd.io/etcd/server/v3/embed",
		}, patterns)
		if err == nil {
			err = addLeaf(t, "example.com/benchetcd")
		}
		return t, err
	case "noetcd":
		patterns := []string{"golang.org/x/tools/..."}
		if b.quick {
			patterns = []string{"golang.org/x/tools/go/analysis/..."}
		}
		t := &target{name: name, dir: dir}
		if err := b.tempModule(t, "example.com/benchnoetcd", []string{
			"golang.org/x/tools v0.52.0",
		}, []string{"golang.org/x/tools/go/packages"}, patterns); err != nil {
			return nil, err
		}
		if !b.quick && len(t.pkgs) < 200 {
			return nil, fmt.Errorf("only %d packages load; the target needs at least 200", len(t.pkgs))
		}
		return t, b.checkNoEtcd(t)
	case "huge":
		return b.hugeTarget(dir)
	case "dir":
		return dirTarget()
	}
	return nil, fmt.Errorf("unknown target %q", name)
}

// tempModule creates the module modpath in t.dir requiring the given
// "path version" modules, makes its go.sum complete for the packages of the
// patterns and their tests, and sets t.pkgs to those packages that load.
func (b *bench) tempModule(t *target, modpath string, requires, roots, patterns []string) error {
	var gomod strings.Builder
	fmt.Fprintf(&gomod, "module %s\n\ngo %s\n\nrequire (\n", modpath, b.goVersion)
	for _, r := range requires {
		fmt.Fprintf(&gomod, "\t%s\n", r)
	}
	gomod.WriteString(")\n")
	if err := os.WriteFile(filepath.Join(t.dir, "go.mod"), []byte(gomod.String()), 0o644); err != nil {
		return err
	}
	pkgName := modpath[strings.LastIndex(modpath, "/")+1:]
	writeImports := func(imports []string) error {
		var src strings.Builder
		fmt.Fprintf(&src, "// Package %s only pins the modules the benchmark analyses.\npackage %s\n\nimport (\n", pkgName, pkgName)
		for _, p := range imports {
			fmt.Fprintf(&src, "\t_ %q\n", p)
		}
		src.WriteString(")\n")
		return os.WriteFile(filepath.Join(t.dir, "deps.go"), []byte(src.String()), 0o644)
	}
	if err := writeImports(roots); err != nil {
		return err
	}
	if _, err := b.goCmd(t.dir, nil, "mod", "tidy", "-e"); err != nil {
		return err
	}

	// Second round: pin every importable package the patterns name or
	// import, tests included, so that tidy records their modules' sums.
	list, err := b.goList(t.dir, false, patterns)
	if err != nil {
		return err
	}
	imports := map[string]bool{}
	add := func(p string) {
		if importable(p, modpath) {
			imports[p] = true
		}
	}
	for _, p := range list {
		if p.Name != "main" {
			add(p.ImportPath)
		}
		for _, l := range [][]string{p.Imports, p.TestImports, p.XTestImports} {
			for _, q := range l {
				add(q)
			}
		}
	}
	sorted := make([]string, 0, len(imports))
	for p := range imports {
		sorted = append(sorted, p)
	}
	slices.Sort(sorted)
	if err := writeImports(sorted); err != nil {
		return err
	}
	if _, err := b.goCmd(t.dir, nil, "mod", "tidy", "-e"); err != nil {
		return err
	}
	return b.loadable(t, patterns)
}

// importable reports whether another module can import path: not the
// standard library, not an internal package, not in the module itself.
func importable(path, modpath string) bool {
	first, _, _ := strings.Cut(path, "/")
	if !strings.Contains(first, ".") || path == modpath || strings.HasPrefix(path, modpath+"/") {
		return false
	}
	return !strings.Contains(path, "/internal/") && !strings.HasSuffix(path, "/internal") && !strings.Contains(path, "/vendor/")
}

// listed is what go list -json says of a package.
type listed struct {
	ImportPath   string
	Name         string
	ForTest      string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Error        *struct{ Err string }
	DepsErrors   []*struct{ Err string }
}

func (b *bench) goList(dir string, test bool, patterns []string) ([]*listed, error) {
	args := []string{"list", "-e", "-json=ImportPath,Name,ForTest,Imports,TestImports,XTestImports,Error,DepsErrors"}
	if test {
		args = append(args, "-test")
	}
	out, err := b.goCmd(dir, nil, append(args, patterns...)...)
	if err != nil {
		return nil, err
	}
	var list []*listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(listed)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		list = append(list, p)
	}
	return list, nil
}

// loadable sets t.pkgs to the packages of the patterns that load without
// error, test variants included, and t.excluded to the others.
func (b *bench) loadable(t *target, patterns []string) error {
	list, err := b.goList(t.dir, true, patterns)
	if err != nil {
		return err
	}
	bad := map[string]string{}
	var all []string
	for _, p := range list {
		path := p.ImportPath
		if i := strings.Index(path, " ["); i >= 0 {
			path = path[:i]
		}
		switch {
		case p.ForTest != "":
			path = p.ForTest
		case strings.HasSuffix(path, ".test"):
			path = strings.TrimSuffix(path, ".test")
		case p.ImportPath == path:
			all = append(all, path)
		}
		var msg string
		if p.Error != nil {
			msg = p.Error.Err
		} else if len(p.DepsErrors) > 0 {
			msg = p.DepsErrors[0].Err
		}
		if msg != "" && bad[path] == "" {
			bad[path] = msg
		}
	}
	slices.Sort(all)
	all = slices.Compact(all)
	for _, p := range all {
		if msg, ok := bad[p]; ok {
			t.excluded = append(t.excluded, p)
			if *flagVerbose {
				log.Printf("%s: leaving out %s: %s", t.name, p, firstLine(msg))
			}
		} else {
			t.pkgs = append(t.pkgs, p)
		}
	}
	if len(t.pkgs) == 0 {
		return fmt.Errorf("no package of %s loads", strings.Join(patterns, " "))
	}
	t.what = fmt.Sprintf("%d packages of `%s`", len(t.pkgs), strings.Join(patterns, " "))
	if len(t.excluded) > 0 {
		t.what += fmt.Sprintf(" (%d left out: they fail to load)", len(t.excluded))
	}
	return nil
}

// checkNoEtcd makes sure no package of t reaches etcd.
func (b *bench) checkNoEtcd(t *target) error {
	out, err := b.goCmd(t.dir, nil, append([]string{"list", "-e", "-test", "-deps", "-f", "{{.ImportPath}}"}, t.pkgs...)...)
	if err != nil {
		return err
	}
	for _, p := range strings.Fields(string(out)) {
		if etcdapi.IsEtcdModule(p) || etcdapi.IsAPIPackage(p) {
			return fmt.Errorf("%s reaches etcd (%s)", t.name, p)
		}
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// dirTarget is a module already on disk (-dir), such as a corpus case's
// checkout, with the patterns and environment (a toolchain of its own,
// GOFLAGS) it needs.
func dirTarget() (*target, error) {
	if *flagDir == "" || *flagDirPatterns == "" {
		return nil, fmt.Errorf("the dir target needs -dir and -dir.patterns")
	}
	dir, err := filepath.Abs(*flagDir)
	if err != nil {
		return nil, err
	}
	t := &target{name: "dir", dir: dir, pkgs: strings.Fields(*flagDirPatterns), env: strings.Fields(*flagDirEnv)}
	t.what = fmt.Sprintf("`%s` in %s", strings.Join(t.pkgs, " "), dir)
	if len(t.env) > 0 {
		t.what += " with " + strings.Join(t.env, " ")
	}
	return t, nil
}
