// Package leader publishes which node leads, through a kvstore.Store whose
// backend main registers.
package leader

import (
	"context"
	"time"

	"example.com/kvstore"
)

// Publisher writes the leader's name.
type Publisher struct {
	store kvstore.Store
	name  string
}

// New opens the configured backend.
func New(backend, name string) (*Publisher, error) {
	s, err := kvstore.Open(backend)
	if err != nil {
		return nil, err
	}
	return &Publisher{store: s, name: name}, nil
}

// Run writes the same key every 2 s.
func (p *Publisher) Run(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = p.store.Put(ctx, "/leader", []byte(p.name))
		}
	}
}
