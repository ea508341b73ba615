package dataflow_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

const tripsSrc = `package p

import (
	"errors"
	"time"
)

func op() error { return errors.New("x") }

func upTo5()          { for i := 0; i < 5; i++ { op() } }
func upTo5Inclusive() { for i := 0; i <= 5; i++ { op() } }
func down10()         { for i := 10; i > 0; i-- { op() } }
func rangeArray()     { for range [4]int{} { op() } }
func from(n int)      { for i := n; i < 5; i++ { op() } }
func rangeInt()       { for range 7 { op() } }
func rangeIntVar(n int) { for i := range n { _ = i; op() } }
func rangeIntBranch() {
	for range 3 {
		if op() == nil {
			break
		}
	}
}
func slice(xs []int)  { for range xs { op() } }
func literal(a, b int) {
	for range []int{a, b} {
		op()
	}
}
func mapKeys(m map[string]int) { for range m { op() } }
func channel(ch chan int)       { for range ch { op() } }
func ticker(t *time.Ticker)     { for range t.C { op() } }
func forever()                  { for { op() } }
func cond(more func() bool)     { for more() { op() } }

func retry() {
	for {
		if err := op(); err == nil {
			break
		}
	}
}

var errDone = errors.New("done")

func untilDone() {
	for {
		if err := op(); err == errDone {
			break
		}
	}
}

func keepGoing() {
	for {
		if err := op(); err != nil {
			continue
		}
		time.Sleep(time.Second)
	}
}
`

func TestLoopTrips(t *testing.T) {
	pkg := buildFrom(t, tripsSrc)
	for _, tc := range []struct {
		fn      string
		kind    dataflow.TripKind
		runs    int64 // -1: Runs says nothing
		literal bool
	}{
		{"upTo5", dataflow.Constant, 5, false},
		{"upTo5Inclusive", dataflow.Constant, 6, false},
		{"down10", dataflow.Constant, 10, false},
		{"rangeArray", dataflow.Constant, 4, false},
		{"from", dataflow.Bounded, 5, false},
		{"rangeInt", dataflow.Constant, 7, false},
		{"rangeIntVar", dataflow.Collection, -1, false},
		{"rangeIntBranch", dataflow.Constant, 3, false},
		{"slice", dataflow.Collection, -1, false},
		{"literal", dataflow.Collection, -1, true},
		{"mapKeys", dataflow.Collection, -1, false},
		{"channel", dataflow.Collection, -1, false},
		{"ticker", dataflow.Collection, -1, false},
		{"forever", dataflow.Unbounded, -1, false},
		{"cond", dataflow.Unbounded, -1, false},
	} {
		fn := pkg.Func(tc.fn)
		loops := dataflow.NaturalLoops(fn)
		if len(loops) != 1 {
			t.Errorf("%s: %d loops, want 1", tc.fn, len(loops))
			continue
		}
		tr := dataflow.LoopTrips(loops[0], nil)
		runs, ok := tr.Runs()
		if !ok {
			runs = -1
		}
		if tr.Kind != tc.kind || runs != tc.runs || tr.Literal != tc.literal {
			t.Errorf("%s: kind %d, runs %d, literal %v; want kind %d, runs %d, literal %v",
				tc.fn, tr.Kind, runs, tr.Literal, tc.kind, tc.runs, tc.literal)
		}
	}
}

func TestLeavesOnSuccess(t *testing.T) {
	pkg := buildFrom(t, tripsSrc)
	for fn, want := range map[string]bool{"retry": true, "untilDone": false, "keepGoing": false} {
		f := pkg.Func(fn)
		loops := dataflow.NaturalLoops(f)
		if len(loops) != 1 {
			t.Fatalf("%s: %d loops, want 1", fn, len(loops))
		}
		var errv *ssa.Call
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(*ssa.Call); ok && c.Call.StaticCallee() != nil && c.Call.StaticCallee().Name() == "op" {
					errv = c
				}
			}
		}
		if got := dataflow.LeavesOnSuccess(loops[0], dataflow.ErrTest(errv)); got != want {
			t.Errorf("%s: LeavesOnSuccess = %v, want %v", fn, got, want)
		}
	}
}
