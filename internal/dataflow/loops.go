package dataflow

import "golang.org/x/tools/go/ssa"

// Loops tells which blocks of a function lie on a cycle of its control-flow
// graph (the body of some loop), computed once per function.
type Loops struct {
	inLoop map[*ssa.BasicBlock]bool
}

// NewLoops finds the strongly connected components of fn's blocks (Tarjan).
func NewLoops(fn *ssa.Function) *Loops {
	l := &Loops{inLoop: map[*ssa.BasicBlock]bool{}}
	index := map[*ssa.BasicBlock]int{}
	low := map[*ssa.BasicBlock]int{}
	onStack := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	next := 0
	// Iterative Tarjan, so that a huge function cannot overflow the stack.
	type frame struct {
		b *ssa.BasicBlock
		i int
	}
	for _, start := range fn.Blocks {
		if _, ok := index[start]; ok {
			continue
		}
		work := []frame{{start, 0}}
		index[start], low[start] = next, next
		next++
		stack = append(stack, start)
		onStack[start] = true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if f.i < len(f.b.Succs) {
				s := f.b.Succs[f.i]
				f.i++
				if _, ok := index[s]; !ok {
					index[s], low[s] = next, next
					next++
					stack = append(stack, s)
					onStack[s] = true
					work = append(work, frame{s, 0})
				} else if onStack[s] && index[s] < low[f.b] {
					low[f.b] = index[s]
				}
				continue
			}
			b := f.b
			work = work[:len(work)-1]
			if len(work) > 0 && low[b] < low[work[len(work)-1].b] {
				low[work[len(work)-1].b] = low[b]
			}
			if low[b] == index[b] {
				var comp []*ssa.BasicBlock
				for {
					top := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[top] = false
					comp = append(comp, top)
					if top == b {
						break
					}
				}
				cyclic := len(comp) > 1
				if !cyclic {
					for _, s := range b.Succs {
						if s == b {
							cyclic = true
						}
					}
				}
				if cyclic {
					for _, c := range comp {
						l.inLoop[c] = true
					}
				}
			}
		}
	}
	return l
}

// InLoop reports whether b can run more than once per call of its function.
func (l *Loops) InLoop(b *ssa.BasicBlock) bool { return l.inLoop[b] }
