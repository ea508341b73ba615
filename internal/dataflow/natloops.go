package dataflow

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// Loop is a natural loop of a function: a header block that dominates the
// source of a back edge to it, and every block on a path from the header to
// that source.
type Loop struct {
	Header *ssa.BasicBlock
	Body   map[*ssa.BasicBlock]bool
}

// Contains reports whether b is in the loop (false for a nil loop).
func (l *Loop) Contains(b *ssa.BasicBlock) bool { return l != nil && l.Body[b] }

// NaturalLoops returns fn's natural loops, one per header, innermost first
// (smaller bodies first; ties in block order). Go without goto has only
// reducible loops; an irreducible cycle has no natural loop and is missed.
func NaturalLoops(fn *ssa.Function) []*Loop {
	byHeader := map[*ssa.BasicBlock]*Loop{}
	var out []*Loop
	for _, b := range fn.Blocks {
		for _, h := range b.Succs {
			if !h.Dominates(b) {
				continue
			}
			l := byHeader[h]
			if l == nil {
				l = &Loop{Header: h, Body: map[*ssa.BasicBlock]bool{h: true}}
				byHeader[h] = l
				out = append(out, l)
			}
			work := []*ssa.BasicBlock{b}
			for len(work) > 0 {
				x := work[len(work)-1]
				work = work[:len(work)-1]
				if l.Body[x] {
					continue
				}
				l.Body[x] = true
				work = append(work, x.Preds...)
			}
		}
	}
	// Innermost first: a nested loop's body is a strict subset of its parent's.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].Body) < len(out[j-1].Body); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Enclosing returns the loops among loops that contain b, innermost first.
func Enclosing(loops []*Loop, b *ssa.BasicBlock) []*Loop {
	var out []*Loop
	for _, l := range loops {
		if l.Contains(b) {
			out = append(out, l)
		}
	}
	return out
}

// LoopStmt returns the position of l's for or range statement: the innermost
// one in files that holds every positioned instruction of the loop.
func LoopStmt(files []*ast.File, l *Loop) token.Pos {
	var poss []token.Pos
	for b := range l.Body {
		for _, instr := range b.Instrs {
			switch instr.(type) {
			case *ssa.Phi, *ssa.Alloc:
				continue // positioned at the variable's declaration
			}
			if p := instr.Pos(); p.IsValid() {
				poss = append(poss, p)
			}
		}
	}
	if len(poss) == 0 {
		return token.NoPos
	}
	sort.Slice(poss, func(i, j int) bool { return poss[i] < poss[j] })
	var best ast.Node
	for _, f := range files {
		if f.FileStart > poss[0] || poss[0] > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil || n.Pos() > poss[0] || n.End() < poss[len(poss)-1] {
				return false
			}
			switch n.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				best = n // deeper matches overwrite outer ones
			}
			return true
		})
	}
	if best == nil {
		return token.NoPos
	}
	return best.Pos()
}
