package etcdssa

import (
	"go/token"
	"go/types"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/report"
)

// One SSA program per file set.
//
// Building SSA for a package needs its direct imports created in the same
// ssa.Program (types and member stubs, no bodies; ssa creates what it needs
// of other packages on demand). With a program per package, a process that
// analyses many packages (the standalone command, whole-program mode)
// creates the same dependencies again for each of them: on etcd's own
// server, client and etcdctl packages that was half of all memory
// allocated. Every package analysed with one file set shares one
// type-checked universe, so they share one program: each dependency is
// created once. (go vet runs one package per process, where nothing changes.)
//
// ssa.Program is not safe for creating packages while others are built, so a
// program's lock is held to create and read-held to build.

type sharedProgram struct {
	fset *token.FileSet
	prog *ssa.Program
	mu   sync.RWMutex
	// withSyntax are the packages created from source here; the rest of the
	// program's packages are stubs for their importers.
	withSyntax map[*types.Package]*ssa.Package
	// bodies are, for each package in withSyntax, its functions created
	// with bodies (withBodies).
	bodies map[*types.Package]map[*types.Func]bool
	// next is the program for the packages this one cannot take.
	next *sharedProgram
}

func newSharedProgram(fset *token.FileSet) *sharedProgram {
	return &sharedProgram{
		fset:       fset,
		prog:       ssa.NewProgram(fset, ssa.BuilderMode(0)),
		withSyntax: map[*types.Package]*ssa.Package{},
		bodies:     map[*types.Package]map[*types.Func]bool{},
	}
}

// maxPrograms bounds the programs kept: a process runs one analysis (one
// file set) at a time, tests run many one after the other.
const maxPrograms = 4

var programs struct {
	sync.Mutex
	recent []*sharedProgram // most recently used last
}

func programFor(fset *token.FileSet) *sharedProgram {
	programs.Lock()
	defer programs.Unlock()
	for i, sp := range programs.recent {
		if sp.fset == fset {
			programs.recent = append(append(programs.recent[:i:i], programs.recent[i+1:]...), sp)
			return sp
		}
	}
	sp := newSharedProgram(fset)
	if len(programs.recent) == maxPrograms {
		programs.recent = programs.recent[1:]
	}
	programs.recent = append(programs.recent, sp)
	return sp
}

// build returns the package's SSA, with bodies for the functions in need
// only, built in the shared program of its file set; nil when the builder
// fails on it.
func build(pass *analysis.Pass, need map[*types.Func]bool) (*ssa.Package, *sharedProgram) {
	ssapkg, sp, ok := programFor(pass.Fset).build(pass, need, false)
	if ok {
		return ssapkg, sp
	}
	// ssa documents that a package's direct imports are all it needs, and
	// functions of other packages are created on demand. Should the builder
	// still fail, the package gets a second chance in a program of its own
	// with every dependency created, before it is skipped.
	ssapkg, sp, _ = newSharedProgram(pass.Fset).build(pass, need, true)
	return ssapkg, sp
}

// build builds the package in this program, or in a program of its own when
// this one cannot take it, and returns the program it used; ok is false
// when the builder panicked. transitive creates every dependency rather
// than the direct imports only.
func (sp *sharedProgram) build(pass *analysis.Pass, need map[*types.Func]bool, transitive bool) (_ *ssa.Package, _ *sharedProgram, ok bool) {
	sp.mu.Lock()
	ssapkg, created := sp.withSyntax[pass.Pkg]
	if created && !covers(sp.bodies[pass.Pkg], need) || !created && sp.prog.Package(pass.Pkg) != nil {
		// Created before with fewer bodies (whole-program mode's second
		// phase finds more touching functions than its first), or as an
		// importer's stub before this package asked for SSA: the next
		// program, shared by every package in that case, so that their
		// imports are created once there too.
		if sp.next == nil {
			sp.next = newSharedProgram(pass.Fset)
		}
		next := sp.next
		sp.mu.Unlock()
		return next.build(pass, need, transitive)
	}
	if !created {
		// The imports exist in the program as types without bodies: a
		// package's dependencies are created once, as its importers need
		// them (on etcd's own packages, creating every transitive
		// dependency allocated 40 MB the builder never looked at).
		stack := append([]*types.Package(nil), pass.Pkg.Imports()...)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if p == pass.Pkg || sp.prog.Package(p) != nil {
				continue
			}
			sp.prog.CreatePackage(p, nil, nil, true)
			if transitive {
				stack = append(stack, p.Imports()...)
			}
		}
		files, info := withoutBodies(pass, need)
		if !report.Recover(func() {
			ssapkg = sp.prog.CreatePackage(pass.Pkg, files, info, false)
		}) {
			ssapkg = nil
		}
		sp.withSyntax[pass.Pkg] = ssapkg
		sp.bodies[pass.Pkg] = need
	}
	sp.mu.Unlock()
	if ssapkg == nil {
		return nil, sp, false
	}
	sp.mu.RLock()
	built := report.Recover(func() {
		if failDirectBuild && !transitive {
			panic("etcdssa: the builder fails (test)")
		}
		ssapkg.Build()
	})
	sp.mu.RUnlock()
	if !built {
		// Build runs once: a later request for the package (whole-program
		// mode's second phase) must not take what it left half built for
		// a built package.
		sp.mu.Lock()
		sp.withSyntax[pass.Pkg] = nil
		sp.mu.Unlock()
		return nil, sp, false // code the builder cannot handle is skipped, not fatal
	}
	return ssapkg, sp, true
}

// failDirectBuild, set by tests, makes the builder fail on every package
// built with its direct imports only, so that the second chance is tested.
var failDirectBuild bool

// covers reports whether every function in need is in have.
func covers(have, need map[*types.Func]bool) bool {
	for fn := range need {
		if !have[fn] {
			return false
		}
	}
	return true
}
