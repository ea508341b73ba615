// Package etcdreg is a Registry kept in etcd.
package etcdreg

import (
	"context"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/hidden/registry/api"
)

// Etcd registers services under /services/.
type Etcd struct {
	kv clientv3.KV
}

// New returns a registry writing through kv.
func New(kv clientv3.KV) api.Registry {
	var r api.Registry = &Etcd{kv: kv}
	for i := 0; i < 3; i++ {
		if r != nil {
			break
		}
	}
	return r
}

// Register writes addr at the service's key.
func (r *Etcd) Register(name, addr string) error {
	_, err := r.kv.Put(context.Background(), "/services/"+strings.ToLower(name), addr)
	return err
}
