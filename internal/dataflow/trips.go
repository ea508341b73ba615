package dataflow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// TripKind says how many times a loop can run, from the test its header
// leaves on.
type TripKind int

const (
	// Unbounded: nothing counts the runs (for {}, a loop paced by a timer
	// or a ticker, a condition that is not a count).
	Unbounded TripKind = iota
	// Constant: a counter from a constant start tested against a constant.
	Constant
	// Bounded: a counter tested against a constant from a start not known.
	Bounded
	// Collection: over a collection, once per element: a range over a map,
	// a string or a channel, a counter tested against a value (len(x)).
	Collection
)

// Trips is the answer to "how many times can this loop run", with the
// parts of the header's test it comes from, so that a pass can apply its
// own threshold to the one count.
type Trips struct {
	Kind TripKind

	// A counted loop: the comparison the header leaves on, as written
	// (Test), with the counter on the left (Op, Tested, Limit). Counter
	// is the header's φ that Tested is (plus or minus constants); Init its
	// value on entering the loop, Step its constant change per run (0
	// when not known).
	Test    *ssa.BinOp
	Op      token.Token
	Counter *ssa.Phi
	Tested  ssa.Value
	Limit   ssa.Value
	Init    ssa.Value
	Step    int64
	// Literal: Limit is the length of a slice literal, a range over a
	// fixed list of elements.
	Literal bool
	// Rotated: the test runs at the end of each run, so the counter's
	// first value is not tested.
	Rotated bool

	// A range over a map or a string (Next), or over a channel (Recv).
	Next *ssa.Next
	Recv *ssa.UnOp

	consts func(ssa.Value) (int64, bool)
}

// IntConst is the value of an integer constant; one too large for an
// int64 counts as the largest int64 of its sign.
func IntConst(v ssa.Value) (int64, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return 0, false
	}
	if n, ok := constant.Int64Val(c.Value); ok {
		return n, true
	}
	if constant.Sign(c.Value) < 0 {
		return -math.MaxInt64, true
	}
	return math.MaxInt64, true
}

// LoopTrips counts the runs of l. consts evaluates a value to an integer
// constant (IntConst when nil): a pass that knows more constants (a
// package variable set once, a flag's default) passes its own.
func LoopTrips(l *Loop, consts func(ssa.Value) (int64, bool)) Trips {
	if consts == nil {
		consts = IntConst
	}
	t := Trips{consts: consts}
	if ifi := exitIf(l, l.Header); ifi != nil {
		switch cond := ifi.Cond.(type) {
		case *ssa.BinOp:
			t.counted(l, cond)
		case *ssa.Extract:
			switch tu := cond.Tuple.(type) {
			case *ssa.Next:
				if cond.Index == 0 {
					t.Kind, t.Next = Collection, tu
				}
			case *ssa.UnOp:
				if tu.Op == token.ARROW && tu.CommaOk {
					t.Kind, t.Recv = Collection, tu
				}
			}
		}
		if t.Counter != nil && slices.Contains(l.Header.Succs, l.Header) {
			t.Rotated = true // a one-block loop: the header's test ends the run
		}
	}
	if t.Kind != Unbounded {
		return t
	}
	// A loop whose count is tested at the end of each run, as in the form
	// go/ssa gives a range over an integer (a guard before the loop, then
	// body, increment and test in the one block that jumps back).
	if latch := l.latch(); latch != nil && latch != l.Header {
		if ifi := exitIf(l, latch); ifi != nil {
			if cond, ok := ifi.Cond.(*ssa.BinOp); ok {
				r := Trips{consts: consts}
				if r.counted(l, cond); r.Kind != Unbounded {
					r.Rotated = true
					return r
				}
			}
		}
	}
	return t
}

// exitIf returns the If that ends b when one of its branches leaves l.
func exitIf(l *Loop, b *ssa.BasicBlock) *ssa.If {
	ifi, ok := LastIf(b)
	if !ok {
		return nil
	}
	for _, s := range b.Succs {
		if !l.Contains(s) {
			return ifi
		}
	}
	return nil
}

// latch returns the one block of l that jumps back to its header, or nil
// when there are several.
func (l *Loop) latch() *ssa.BasicBlock {
	var latch *ssa.BasicBlock
	for _, p := range l.Header.Preds {
		if !l.Contains(p) {
			continue
		}
		if latch != nil {
			return nil
		}
		latch = p
	}
	return latch
}

func (t *Trips) counted(l *Loop, cond *ssa.BinOp) {
	x, y, op := cond.X, cond.Y, cond.Op
	if t.induction(l, y) != nil && t.induction(l, x) == nil {
		x, y, op = y, x, Flip(op)
	}
	phi := t.induction(l, x)
	if phi == nil {
		return
	}
	t.Test, t.Op, t.Counter, t.Tested, t.Limit = cond, op, phi, x, y
	for i, e := range phi.Edges {
		if i >= len(l.Header.Preds) {
			break
		}
		if !l.Contains(l.Header.Preds[i]) {
			t.Init = e
			continue
		}
		if b, ok := e.(*ssa.BinOp); ok && b.X == phi {
			if n, ok := t.consts(b.Y); ok {
				switch b.Op {
				case token.ADD:
					t.Step = n
				case token.SUB:
					t.Step = -n
				default:
					t.Step = 0
				}
			}
		}
	}
	t.Literal = literalLen(y)
	_, constLimit := t.consts(y)
	_, constInit := t.consts(t.Init)
	switch {
	case op == token.EQL:
		t.Kind = Unbounded // a test for one value: no count
	case constLimit && t.Init != nil && constInit:
		t.Kind = Constant
	case constLimit:
		t.Kind = Bounded
	default:
		t.Kind = Collection
	}
}

func (t *Trips) induction(l *Loop, v ssa.Value) *ssa.Phi { return Induction(l, v, t.consts) }

// Induction returns the φ of l's header that v is, or is plus or minus
// constants (consts as for LoopTrips): the loop's counter; nil otherwise.
func Induction(l *Loop, v ssa.Value, consts func(ssa.Value) (int64, bool)) *ssa.Phi {
	if consts == nil {
		consts = IntConst
	}
	for range 3 {
		b, ok := v.(*ssa.BinOp)
		if !ok || (b.Op != token.ADD && b.Op != token.SUB) {
			break
		}
		if _, ok := consts(b.Y); !ok {
			break
		}
		v = b.X
	}
	if p, ok := v.(*ssa.Phi); ok && p.Block() == l.Header {
		return p
	}
	return nil
}

// literalLen reports len of a slice of a fresh array: a range over a
// slice literal.
func literalLen(v ssa.Value) bool {
	c, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	if b, ok := c.Call.Value.(*ssa.Builtin); !ok || b.Name() != "len" || len(c.Call.Args) != 1 {
		return false
	}
	s, ok := c.Call.Args[0].(*ssa.Slice)
	if !ok {
		return false
	}
	_, ok = s.X.(*ssa.Alloc)
	return ok
}

// Runs is the number of runs the count gives, for a counter tested
// against a constant: from the start to the limit by the step (a start
// not known counts as 0, a step not known as 1), or from a constant start
// down for a loop that counts down. false when the count does not say
// (the step leads away from the limit, or nothing is constant).
func (t Trips) Runs() (int64, bool) {
	if t.Counter == nil {
		return 0, false
	}
	switch t.Op {
	case token.LSS, token.LEQ, token.NEQ:
		if t.Step < 0 {
			return 0, false
		}
		n, ok := t.consts(t.Limit)
		if !ok {
			return 0, false
		}
		start, _ := t.consts(t.Init)
		if b, ok := t.Tested.(*ssa.BinOp); ok && b.Op == token.ADD {
			off, _ := t.consts(b.Y)
			start += off
		}
		step := t.Step
		if step == 0 {
			step = 1
		}
		if t.Rotated {
			start -= step // the first run is not tested
		}
		if t.Op == token.LEQ {
			n++
		}
		if n <= start {
			return 0, true
		}
		return (n - start + step - 1) / step, true
	case token.GTR, token.GEQ:
		if t.Step >= 0 || t.Init == nil {
			return 0, false
		}
		return t.consts(t.Init)
	}
	return 0, false
}

// Flip is the comparison with its operands swapped.
func Flip(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.LEQ:
		return token.GEQ
	case token.GTR:
		return token.LSS
	case token.GEQ:
		return token.LEQ
	}
	return op
}

// StmtConstant reports, on the syntax alone, a loop statement that runs a
// constant number of times: a counted loop "for i := C; i < D; i++" with
// constants C and D, or a range over an array, a pointer to an array or a
// constant integer. It is the answer of LoopTrips's Constant kind for code
// that has no SSA form yet.
func StmtConstant(info *types.Info, s ast.Stmt) bool {
	isConst := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		return ok && tv.Value != nil
	}
	switch s := s.(type) {
	case *ast.ForStmt:
		b, ok := s.Cond.(*ast.BinaryExpr)
		if !ok || s.Init == nil {
			return false
		}
		switch b.Op {
		case token.LSS, token.LEQ, token.GTR, token.GEQ:
		default:
			return false
		}
		init, ok := s.Init.(*ast.AssignStmt)
		if !ok || len(init.Rhs) != 1 {
			return false
		}
		return isConst(init.Rhs[0]) && (isConst(b.X) || isConst(b.Y))
	case *ast.RangeStmt:
		tv, ok := info.Types[s.X]
		if !ok {
			return false
		}
		if tv.Value != nil {
			return true
		}
		t := tv.Type.Underlying()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem().Underlying()
		}
		_, ok = t.(*types.Array)
		return ok
	}
	return false
}

// StmtOver names what a loop statement iterates over, for a message: the
// ranged expression, or the bound a counted loop tests against (x of
// len(x)); "" when unknown, or for a walk of a linked list.
func StmtOver(s ast.Stmt) string {
	switch s := s.(type) {
	case *ast.RangeStmt:
		return types.ExprString(s.X)
	case *ast.ForStmt:
		b, ok := s.Cond.(*ast.BinaryExpr)
		if !ok {
			return ""
		}
		side := b.Y
		if _, ok := b.X.(*ast.Ident); !ok {
			side = b.X
		}
		if id, ok := ast.Unparen(side).(*ast.Ident); ok && id.Name == "nil" {
			return "" // a walk of a linked list: no name for its length
		}
		if call, ok := ast.Unparen(side).(*ast.CallExpr); ok && len(call.Args) == 1 {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "len" {
				side = call.Args[0]
			}
		}
		return types.ExprString(side)
	}
	return ""
}
