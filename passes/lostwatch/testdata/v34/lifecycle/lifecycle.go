// Package lifecycle starts and stops a component's goroutines; it knows
// nothing of etcd.
package lifecycle

import "context"

// Closer is closed once, when its component stops.
type Closer struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns an open Closer.
func New() *Closer {
	ctx, cancel := context.WithCancel(context.Background())
	return &Closer{ctx: ctx, cancel: cancel}
}

// Ctx ends when the Closer is closed.
func (c *Closer) Ctx() context.Context { return c.ctx }

// CloseNotify is closed when the Closer is.
func (c *Closer) CloseNotify() <-chan struct{} { return c.ctx.Done() }

// Close closes the Closer.
func (c *Closer) Close() { c.cancel() }
