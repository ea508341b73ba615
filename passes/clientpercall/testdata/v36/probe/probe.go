// Package probe declares health probes; it knows nothing of etcd.
package probe

import "context"

// Prober checks one backend.
type Prober interface {
	Probe(ctx context.Context) error
}

// Func adapts a function to Prober.
type Func func(ctx context.Context) error

// Probe calls f.
func (f Func) Probe(ctx context.Context) error { return f(ctx) }
