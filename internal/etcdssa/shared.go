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
// Building SSA for a package needs every package it can refer to created in
// the same ssa.Program (types and member stubs, no bodies). With a program
// per package, a process that analyses many packages (the standalone command,
// whole-program mode) creates the same dependencies again for each of them:
// on etcd's own server, client and etcdctl packages that was half of all
// memory allocated. Every package analysed with one file set shares one
// type-checked universe, so they share one program: each dependency is
// created once. (go vet runs one package per process, where nothing changes.)
//
// ssa.Program is not safe for creating packages while others are built, so a
// program's lock is held to create and read-held to build and to use what
// building may extend (wrappers made by MethodValue).

type sharedProgram struct {
	fset *token.FileSet
	prog *ssa.Program
	mu   sync.RWMutex
	// withSyntax are the packages created from source here; the rest of the
	// program's packages are stubs for their importers.
	withSyntax map[*types.Package]*ssa.Package
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
	sp := &sharedProgram{
		fset:       fset,
		prog:       ssa.NewProgram(fset, ssa.BuilderMode(0)),
		withSyntax: map[*types.Package]*ssa.Package{},
	}
	if len(programs.recent) == maxPrograms {
		programs.recent = programs.recent[1:]
	}
	programs.recent = append(programs.recent, sp)
	return sp
}

// build returns the package's SSA, built in the shared program of its file
// set; nil when the builder fails on it.
func build(pass *analysis.Pass) (*ssa.Package, *sharedProgram) {
	sp := programFor(pass.Fset)
	sp.mu.Lock()
	ssapkg, ok := sp.withSyntax[pass.Pkg]
	if !ok && sp.prog.Package(pass.Pkg) != nil {
		// Created as an importer's stub before this package asked for SSA
		// (the second phase of whole-program mode): a program of its own.
		sp.mu.Unlock()
		sp = &sharedProgram{fset: pass.Fset, prog: ssa.NewProgram(pass.Fset, ssa.BuilderMode(0)),
			withSyntax: map[*types.Package]*ssa.Package{}}
		sp.mu.Lock()
	}
	if !ok {
		// Every package the code can refer to, directly or through an
		// embedded type or an instantiation, must exist in the program
		// (types only, no bodies), or building panics on an indirect member.
		stack := append([]*types.Package(nil), pass.Pkg.Imports()...)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if p == pass.Pkg || sp.prog.Package(p) != nil {
				continue
			}
			sp.prog.CreatePackage(p, nil, nil, true)
			stack = append(stack, p.Imports()...)
		}
		if !report.Recover(func() {
			ssapkg = sp.prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
		}) {
			ssapkg = nil
		}
		sp.withSyntax[pass.Pkg] = ssapkg
	}
	sp.mu.Unlock()
	if ssapkg == nil {
		return nil, sp
	}
	sp.mu.RLock()
	defer sp.mu.RUnlock()
	if !report.Recover(ssapkg.Build) {
		return nil, sp // code the builder cannot handle is skipped, not fatal
	}
	return ssapkg, sp
}

// MethodValue is (*ssa.Program).MethodValue on the program of the result's
// package, which may build a wrapper and so must not run while another
// package is created.
func (r *Result) MethodValue(sel *types.Selection) *ssa.Function {
	if r.shared == nil {
		return nil
	}
	r.shared.mu.RLock()
	defer r.shared.mu.RUnlock()
	return r.shared.prog.MethodValue(sel)
}
