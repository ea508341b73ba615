// Package kvlib is a generic key-value store abstraction: it knows nothing
// of etcd, and its in-memory store writes nothing.
package kvlib

import (
	"context"
	"sync"
)

// Store is a key-value store shared by a cluster.
type Store interface {
	// Update reads key, passes its value to fn and stores what fn returns,
	// retrying when another writer got there first.
	Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error
	// Set stores val under key.
	Set(ctx context.Context, key string, val []byte) error
}

// Memory is a Store for one process.
type Memory struct {
	mu sync.Mutex
	m  map[string][]byte
}

// Update implements Store.
func (s *Memory) Update(_ context.Context, key string, fn func(old []byte) ([]byte, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := fn(s.m[key])
	if err != nil {
		return err
	}
	s.m[key] = v
	return nil
}

// Set implements Store.
func (s *Memory) Set(_ context.Context, key string, val []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = val
	return nil
}
