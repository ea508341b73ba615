package dataflow

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Repeated is a call that runs a function over and over, each run a
// period after the last, for as long as the program (or a stop channel or
// context it is given) lasts: the function value it runs and its period.
type Repeated struct {
	Call   ssa.CallInstruction
	Fn     ssa.Value // the function value run on every period
	Period ssa.Value // a time.Duration
	Name   string    // the scheduler, as a user knows it: "wait.Until"
}

// repeaters are the library functions that run a function argument once
// per period, by package path and name, with the indexes of the function
// and of the period among the arguments. Kubernetes' wait package is how
// controllers and operators (many of them etcd users) run periodic work;
// its Poll functions are not here: they stop once the condition returns
// true, a retry rather than a period.
var repeaters = map[string]map[string][2]int{
	"k8s.io/apimachinery/pkg/util/wait": {
		"Until":                      {0, 1},
		"UntilWithContext":           {1, 2},
		"Forever":                    {0, 1},
		"NonSlidingUntil":            {0, 1},
		"NonSlidingUntilWithContext": {1, 2},
		"JitterUntil":                {0, 1},
		"JitterUntilWithContext":     {1, 2},
	},
}

// RepeatedCall reports whether call runs a function argument once per
// period (see repeaters).
func RepeatedCall(call ssa.CallInstruction) (Repeated, bool) {
	c := call.Common()
	if c.IsInvoke() {
		return Repeated{}, false
	}
	fn := Callee(c)
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return Repeated{}, false
	}
	idx, ok := repeaters[fn.Pkg().Path()][fn.Name()]
	if !ok || idx[0] >= len(c.Args) || idx[1] >= len(c.Args) {
		return Repeated{}, false
	}
	return Repeated{Call: call, Fn: c.Args[idx[0]], Period: c.Args[idx[1]], Name: fn.Pkg().Name() + "." + fn.Name()}, true
}

// RunFunc returns the function a function value runs, and the receiver it
// is bound to for a method value (nil otherwise): fn itself, a closure of a
// function literal, or a bound method.
func RunFunc(v ssa.Value) (fn *ssa.Function, recv ssa.Value) {
	switch x := v.(type) {
	case *ssa.Function:
		return x, nil
	case *ssa.MakeClosure:
		f, ok := x.Fn.(*ssa.Function)
		if !ok {
			return nil, nil
		}
		if f.Signature.Recv() == nil && len(x.Bindings) == 1 && f.Synthetic != "" {
			// A bound method wrapper ("(T).M$bound") calls the method with
			// its one binding as receiver.
			if m, ok := f.Object().(*types.Func); ok && m.Signature().Recv() != nil {
				return f, x.Bindings[0]
			}
		}
		return f, nil
	case *ssa.ChangeType:
		return RunFunc(x.X)
	}
	return nil, nil
}
