// Package kvstore is a library's generic key-value store: it knows nothing
// of etcd, and programs register the backends they link in.
package kvstore

import (
	"context"
	"fmt"
	"sync"
)

// Store is a key-value store.
type Store interface {
	Put(ctx context.Context, key string, value []byte) error
}

var (
	mu       sync.Mutex
	backends = map[string]func() Store{}
)

// Register makes a backend available by name.
func Register(name string, open func() Store) {
	mu.Lock()
	defer mu.Unlock()
	backends[name] = open
}

// Open returns a Store of the backend registered under name.
func Open(name string) (Store, error) {
	mu.Lock()
	defer mu.Unlock()
	open, ok := backends[name]
	if !ok {
		return nil, fmt.Errorf("kvstore: no backend %q", name)
	}
	return open(), nil
}
