package largevalue

import (
	"github.com/etcdlint/etcdlint/internal/dataflow"

	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	lvfacts "github.com/etcdlint/etcdlint/internal/facts/grows"
)

// bounded reports whether the loop's header leaves the loop on an ordering
// of a counter that starts at a constant with a constant: a counted loop
// with constant bounds, a range over an array or over a constant integer.
func bounded(l *dataflow.Loop) bool {
	t := dataflow.LoopTrips(l, nil)
	switch t.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ:
		return t.Kind == dataflow.Constant
	}
	return false
}

// loopInfo is a loop a value grows in, for the message.
type loopInfo struct {
	pos  token.Pos // the for/range statement, or the iterating call
	over string    // what it iterates over, "" when unknown
}

// syntax finds the for and range statements enclosing pos in the body of
// fn (not in nested function literals), innermost first.
func (c *checker) syntax(fn *ssa.Function, pos token.Pos) []ast.Stmt {
	if !pos.IsValid() || fn.Syntax() == nil {
		return nil
	}
	file := c.fileOf(pos)
	if file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	var out []ast.Stmt
	for _, n := range path {
		if n == fn.Syntax() {
			break
		}
		switch n := n.(type) {
		case *ast.ForStmt:
			out = append(out, n)
		case *ast.RangeStmt:
			out = append(out, n)
		case *ast.FuncLit:
			return out
		}
	}
	return out
}

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// describe maps loop l of fn to its statement, given the position of an
// instruction inside it: the natural loops containing that instruction's
// block and the statements enclosing it nest the same way.
func (c *checker) describe(fn *ssa.Function, l *dataflow.Loop, at ssa.Instruction) loopInfo {
	pos := instrPos(at)
	info := loopInfo{pos: pos}
	var inner []*dataflow.Loop
	for _, m := range c.loops(fn) {
		if m.Body[at.Block()] {
			inner = append(inner, m)
		}
	}
	stmts := c.syntax(fn, pos)
	if len(stmts) != len(inner) {
		return info
	}
	for i, m := range inner {
		if m == l {
			info.pos = stmts[i].Pos()
			info.over = dataflow.StmtOver(stmts[i])
		}
	}
	return info
}

func instrPos(instr ssa.Instruction) token.Pos {
	if instr == nil {
		return token.NoPos
	}
	if p := instr.Pos(); p.IsValid() {
		return p
	}
	if v, ok := instr.(ssa.Value); ok {
		if refs := v.Referrers(); refs != nil {
			for _, r := range *refs {
				if p := r.Pos(); p.IsValid() {
					return p
				}
			}
		}
	}
	return token.NoPos
}

// creationOf returns the function and block where v comes into being: its
// defining instruction, or the entry of the function of a parameter or free
// variable. nil for constants and globals.
func creationOf(v ssa.Value) (*ssa.Function, *ssa.BasicBlock) {
	switch v := v.(type) {
	case ssa.Instruction:
		return v.Parent(), v.Block()
	case *ssa.Parameter:
		if fn := v.Parent(); fn != nil && len(fn.Blocks) > 0 {
			return fn, fn.Blocks[0]
		}
	case *ssa.FreeVar:
		if fn := v.Parent(); fn != nil && len(fn.Blocks) > 0 {
			return fn, fn.Blocks[0]
		}
	}
	return nil, nil
}

// maxClimb bounds the walk out of nested function literals.
const maxClimb = 6

// repeated reports whether instr can run more than once for one creation of
// the value created: it lies in an unbounded loop that does not contain the
// creation, in a function literal passed to an iterating callee (Range,
// Walk, ForEach...) or run as the body of a range-over-func loop, between
// the creation and instr.
func (c *checker) repeated(instr ssa.Instruction, created ssa.Value) (loopInfo, bool) {
	cfn, cblock := creationOf(created)
	fn, at := instr.Parent(), instr
	for depth := 0; fn != nil && at != nil && depth < maxClimb; depth++ {
		for _, l := range c.loops(fn) {
			if !l.Body[at.Block()] {
				continue
			}
			if fn == cfn && l.Body[cblock] {
				continue
			}
			if !bounded(l) {
				return c.describe(fn, l, at), true
			}
		}
		if fn == cfn || fn.Parent() == nil {
			return loopInfo{}, false
		}
		mc := makeClosureOf(fn)
		if fn.Synthetic == "range-over-func yield" {
			info := loopInfo{pos: fn.Pos()}
			if stmts := c.syntax(fn.Parent(), fn.Pos()); len(stmts) > 0 {
				info.pos, info.over = stmts[0].Pos(), dataflow.StmtOver(stmts[0])
			}
			return info, true
		}
		if mc == nil {
			return loopInfo{}, false
		}
		if info, ok := c.callbackCall(mc); ok {
			return info, true
		}
		fn, at = fn.Parent(), mc
	}
	return loopInfo{}, false
}

// makeClosureOf returns the MakeClosure of the function literal fn in its parent.
func makeClosureOf(fn *ssa.Function) *ssa.MakeClosure {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc
			}
		}
	}
	return nil
}

// callbackCall reports whether the closure mc is passed to an iterating callee.
func (c *checker) callbackCall(mc *ssa.MakeClosure) (loopInfo, bool) {
	// The literal passed as it is, or converted to the callee's named
	// function type (type WalkFunc func(*Entity) bool).
	vals := []ssa.Value{mc}
	if refs := mc.Referrers(); refs != nil {
		for _, r := range *refs {
			if ct, ok := r.(*ssa.ChangeType); ok {
				vals = append(vals, ct)
			}
		}
	}
	var refs []ssa.Instruction
	for _, v := range vals {
		if rs := v.Referrers(); rs != nil {
			refs = append(refs, *rs...)
		}
	}
	for _, r := range refs {
		call, ok := r.(*ssa.Call)
		if !ok {
			continue
		}
		isArg := false
		for _, a := range call.Call.Args {
			if slices.Contains(vals, a) {
				isArg = true
			}
		}
		if !isArg || !call.Pos().IsValid() {
			continue
		}
		file := c.fileOf(call.Pos())
		if file == nil {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.Pos())
		for _, n := range path {
			if ce, ok := n.(*ast.CallExpr); ok {
				if name, over := lvfacts.CallbackCallee(ce); name != "" {
					return loopInfo{pos: ce.Pos(), over: over}, true
				}
				break
			}
		}
	}
	return loopInfo{}, false
}
