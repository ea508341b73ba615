package facts

import (
	"go/types"

	"github.com/etcdlint/etcdlint/internal/program"
)

// This file is the stages' and passes' one door to the whole-program index
// (internal/program): what a Table does not answer about the program.

// WholeProgram reports whether the analysis sees the whole program
// (etcdlint -whole): an interface call may then reach implementations in
// packages the caller's package does not import.
func WholeProgram() bool { return program.Current() != nil }

// FuncValues returns, in whole-program mode, the functions the program
// stores into the package-level variable or struct field v; nil outside it.
func FuncValues(v *types.Var) []*types.Func { return program.FuncValues(v) }

// Implements reports whether the receiver type of the concrete method m, or
// a pointer to it, implements iface: whether a call of iface's method of
// m's name may reach m. It is the one test of implementation of the
// stages and the passes.
func Implements(m *types.Func, iface *types.Interface) bool { return program.Implements(m, iface) }
