package etcdssa

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// Which functions get SSA bodies.
//
// ssa.Package.Build builds every function of the package, and on a large
// package with a few functions that touch etcd almost all of that SSA is
// never looked at: on etcd's own server and client packages it was most of
// what etcdlint added to the driver's memory. The passes look at the
// touching functions, at the functions of this package those call or refer
// to (a helper that builds the value, a loop body in a closure), and at the
// package initializer. Every other function is created without a body, as
// ssa does for a function declared in assembly: it keeps its signature and
// its identity as a callee.

// withBodies returns the functions of this package that get SSA bodies: the
// touching ones, the init functions and those package-level initializers
// refer to, and every function of this package those refer to, transitively.
func withBodies(pass *analysis.Pass, touching []*types.Func, uses map[*types.Func][]types.Object) map[*types.Func]bool {
	need := map[*types.Func]bool{}
	var stack []*types.Func
	add := func(obj types.Object) {
		fn, ok := obj.(*types.Func)
		if !ok {
			return
		}
		fn = fn.Origin()
		if fn.Pkg() != pass.Pkg || need[fn] {
			return
		}
		need[fn] = true
		stack = append(stack, fn)
	}
	for _, fn := range touching {
		add(fn)
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				ast.Inspect(d, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						add(pass.TypesInfo.Uses[id])
					}
					return true
				})
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					add(pass.TypesInfo.Defs[d.Name])
				}
			}
		}
	}
	for len(stack) > 0 {
		fn := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range uses[fn] {
			add(u)
		}
	}
	return need
}

// withoutBodies returns the package's files with the bodies of the functions
// not in need removed (copies of the files and declarations that change; the
// package's syntax is shared with other analyzers and is not modified), and
// the type information to build them with: the package's own, but for the
// Go version of each file, which ssa looks up by file.
func withoutBodies(pass *analysis.Pass, need map[*types.Func]bool) ([]*ast.File, *types.Info) {
	files := make([]*ast.File, len(pass.Files))
	info := *pass.TypesInfo
	if pass.TypesInfo.FileVersions != nil {
		info.FileVersions = make(map[*ast.File]string, len(pass.Files))
	}
	for i, f := range pass.Files {
		files[i] = f
		var decls []ast.Decl
		for j, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && need[fn] {
				continue
			}
			if decls == nil {
				decls = append([]ast.Decl(nil), f.Decls...)
			}
			bodiless := *fd
			bodiless.Body = nil
			decls[j] = &bodiless
		}
		if decls != nil {
			copied := *f
			copied.Decls = decls
			files[i] = &copied
		}
		if v, ok := pass.TypesInfo.FileVersions[f]; ok {
			info.FileVersions[files[i]] = v
		}
	}
	return files, &info
}
