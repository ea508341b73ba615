// Command genfixtures writes the older eras of every fixture module from its
// v36 one. A fixture set is a testdata directory holding v36 (etcd 3.6) and
// some of v35, v34 and v33; each .go and .go.golden file under v36 is
// written to the same place under each older era with its etcd imports moved
// to where that era keeps the package (etcdapi.EraImportPath) and the few
// names an era spells differently rewritten (etcdapi.EraConstant,
// etcdapi.EraConfigField). go.mod and go.sum are not generated: they are the
// era's template from analysistest/eras plus what the fixture adds.
//
// A file that differs by era on purpose (API an era lacks, a message that
// names an era's behaviour) starts with the line (then a blank line, which
// keeps it out of the package's doc comment)
//
//	//fixture:handwritten REASON
//
// In an older era the generator leaves such a file alone; in v36 it keeps the
// file out of the older eras. An older-era file that is neither generated nor
// marked is an error: it is stale, or it lacks its mark.
//
// Run from the repository root (or with -root), after any fixture edit:
//
//	go generate ./analysistest    (the same as: go run ./internal/genfixtures)
//
// With -check it writes nothing and exits 1 when a file is not current; a
// test does the same.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// Source is the era the others are generated from.
const Source = "v36"

// Marker starts the line that keeps a file out of generation.
const Marker = "//fixture:handwritten"

// targets are the generated eras and the etcd era of each.
var targets = []struct {
	name string
	era  etcdapi.Era
}{
	{"v35", etcdapi.Era35},
	{"v34", etcdapi.Era34},
	{"v33", etcdapi.EraCoreOS},
}

func main() {
	root := flag.String("root", ".", "repository root")
	check := flag.Bool("check", false, "write nothing; exit 1 if a generated file is not current")
	flag.Parse()
	changes, problems, err := Plan(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genfixtures:", err)
		os.Exit(1)
	}
	for _, c := range changes {
		if *check {
			fmt.Fprintf(os.Stderr, "%s is not current\n", c.Path)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(*root, c.Path)), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "genfixtures:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(*root, c.Path), c.Content, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "genfixtures:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "wrote %s\n", c.Path)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 || (*check && len(changes) > 0) {
		os.Exit(1)
	}
}

// A Change is a generated file whose content on disk differs from Content.
type Change struct {
	Path    string // relative to the root, slash-separated
	Content []byte
}

// Plan returns the generated files under root that are missing or differ
// from what the generator writes, and the problems that need a person: a
// v36 file that cannot be rewritten, an older-era file that is neither
// generated nor marked, a mark without a reason.
func Plan(root string) ([]Change, []string, error) {
	sets, err := Sets(root)
	if err != nil {
		return nil, nil, err
	}
	var changes []Change
	var problems []string
	for _, set := range sets {
		c, p, err := planSet(root, set)
		if err != nil {
			return nil, nil, err
		}
		changes = append(changes, c...)
		problems = append(problems, p...)
	}
	return changes, problems, nil
}

// Sets returns every testdata directory under root (slash-separated,
// relative) that holds a v36 fixture module and at least one older era.
func Sets(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.Name() != "testdata" {
			return nil
		}
		if fi, err := os.Stat(filepath.Join(p, Source)); err != nil || !fi.IsDir() {
			return nil
		}
		for _, t := range targets {
			if fi, err := os.Stat(filepath.Join(p, t.name)); err == nil && fi.IsDir() {
				rel, err := filepath.Rel(root, p)
				if err != nil {
					return err
				}
				out = append(out, filepath.ToSlash(rel))
				break
			}
		}
		return filepath.SkipDir
	})
	sort.Strings(out)
	return out, err
}

// fixtureFile reports whether name is a file the generator writes.
func fixtureFile(name string) bool {
	return strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".go.golden")
}

// files returns the fixture files under dir, relative and slash-separated.
func files(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !fixtureFile(d.Name()) {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if os.IsNotExist(err) {
		return nil, nil
	}
	return out, err
}

func planSet(root, set string) ([]Change, []string, error) {
	dir := filepath.Join(root, filepath.FromSlash(set))
	srcs, err := files(filepath.Join(dir, Source))
	if err != nil {
		return nil, nil, err
	}
	var changes []Change
	var problems []string
	sources := map[string][]byte{}
	for _, f := range srcs {
		b, err := os.ReadFile(filepath.Join(dir, Source, filepath.FromSlash(f)))
		if err != nil {
			return nil, nil, err
		}
		if marked, reason := Handwritten(b); marked {
			if reason == "" {
				problems = append(problems, fmt.Sprintf("%s/%s/%s: %s needs a reason", set, Source, f, Marker))
			}
			continue
		}
		sources[f] = b
	}
	for _, t := range targets {
		tdir := filepath.Join(dir, t.name)
		if _, err := os.Stat(tdir); err != nil {
			continue
		}
		have, err := files(tdir)
		if err != nil {
			return nil, nil, err
		}
		handwritten := map[string]bool{}
		for _, f := range have {
			b, err := os.ReadFile(filepath.Join(tdir, filepath.FromSlash(f)))
			if err != nil {
				return nil, nil, err
			}
			marked, reason := Handwritten(b)
			switch {
			case marked && reason == "":
				problems = append(problems, fmt.Sprintf("%s/%s/%s: %s needs a reason", set, t.name, f, Marker))
			case !marked && sources[f] == nil:
				problems = append(problems, fmt.Sprintf("%s/%s/%s: no %s file to generate it from, and not marked %s: delete it, write it in %s, or mark it",
					set, t.name, f, Source, Marker, Source))
			}
			handwritten[f] = marked
		}
		for _, f := range slices.Sorted(maps.Keys(sources)) {
			if handwritten[f] {
				continue
			}
			want, err := Rewrite(sources[f], t.era)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s/%s/%s: %v (mark the %s copies %s, or teach etcdapi the era)", set, Source, f, err, t.name, Marker))
				continue
			}
			got, err := os.ReadFile(filepath.Join(tdir, filepath.FromSlash(f)))
			if err != nil && !os.IsNotExist(err) {
				return nil, nil, err
			}
			if err != nil || !bytes.Equal(got, want) {
				changes = append(changes, Change{Path: path.Join(set, t.name, f), Content: want})
			}
		}
	}
	return changes, problems, nil
}

// Handwritten reports whether src carries the mark, and the reason after it.
func Handwritten(src []byte) (bool, string) {
	for line := range bytes.Lines(src) {
		if rest, ok := bytes.CutPrefix(line, []byte(Marker)); ok && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\n' || rest[0] == '\r') {
			return true, string(bytes.TrimSpace(rest))
		}
	}
	return false, ""
}

// Rewrite returns the v36 Go source src as era e spells it. A source that
// was gofmt-clean stays so (its imports sorted again); otherwise only the
// rewritten text changes.
func Rewrite(src []byte, e etcdapi.Era) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	type edit struct {
		from, to int
		text     string
	}
	var edits []edit
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	embedNames := map[string]bool{}
	for _, imp := range f.Imports {
		old, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, err
		}
		moved, ok := etcdapi.EraImportPath(old, e)
		if !ok {
			return nil, fmt.Errorf("no %v import path known for %s", e, old)
		}
		local := path.Base(old)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if _, area := etcdapi.PackageArea(old); area == etcdapi.AreaEmbed {
			embedNames[local] = true
		}
		if moved == old {
			continue
		}
		edits = append(edits, edit{off(imp.Path.Pos()), off(imp.Path.End()), strconv.Quote(moved)})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && embedNames[x.Name] {
				if v, ok := etcdapi.EraConstant(e, etcdapi.AreaEmbed, n.Sel.Name); ok {
					edits = append(edits, edit{off(n.Pos()), off(n.End()), v})
					return false
				}
			}
			if name := etcdapi.EraConfigField(e, n.Sel.Name); name != n.Sel.Name {
				edits = append(edits, edit{off(n.Sel.Pos()), off(n.Sel.End()), name})
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok {
				if name := etcdapi.EraConfigField(e, k.Name); name != k.Name {
					edits = append(edits, edit{off(k.Pos()), off(k.End()), name})
				}
			}
		}
		return true
	})
	if len(edits) == 0 {
		return src, nil
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	formatted, err := format.Source(src)
	clean := err == nil && bytes.Equal(formatted, src)
	out := slices.Clone(src)
	for _, ed := range edits {
		rest := out[ed.to:]
		if !clean {
			rest = realign(rest, len(ed.text)-(ed.to-ed.from))
		}
		out = slices.Concat(out[:ed.from], []byte(ed.text), rest)
	}
	if clean {
		return format.Source(out)
	}
	return out, nil
}

// realign keeps the column of an aligned trailing comment on the first line
// of rest when the text before it grows by delta bytes: for a source that
// gofmt would not leave as it is, so only what was rewritten changes.
func realign(rest []byte, delta int) []byte {
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	i := bytes.Index(line, []byte("  //"))
	if delta == 0 || i < 0 {
		return rest
	}
	j := i
	for j > 0 && line[j-1] == ' ' {
		j--
	}
	pad := i + 2 - j - delta
	if pad < 1 {
		pad = 1
	}
	return slices.Concat(rest[:j], bytes.Repeat([]byte(" "), pad), rest[i+2:])
}
