// Package setwrap is an application layer that writes a batch of keys.
package setwrap

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Store publishes batches of status entries.
type Store interface {
	PublishAll(entries map[string]string) error
}

type store struct {
	cli   *clientv3.Client
	lease clientv3.LeaseID
}

// NewStore returns the etcd-backed Store.
func NewStore(cli *clientv3.Client, lease clientv3.LeaseID) Store {
	return &store{cli: cli, lease: lease}
}

// PublishAll writes every entry of the batch in one transaction.
func (s *store) PublishAll(entries map[string]string) error { // want PublishAll:`rewrites\("…"\) params\(\) maps\(0\) set`
	var ops []clientv3.Op
	for k, v := range entries {
		if v == "" {
			ops = append(ops, clientv3.OpDelete(k))
			continue
		}
		ops = append(ops, clientv3.OpPut(k, v, clientv3.WithLease(s.lease)))
	}
	_, err := s.cli.Txn(context.Background()).Then(ops...).Commit()
	return err
}

// Changed writes only the entries whose value differs from the last one
// written: no fact.
func (s *store) Changed(entries, last map[string]string) error {
	for k, v := range entries {
		if v != last[k] {
			if _, err := s.cli.Put(context.Background(), k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Registry holds the application's components.
type Registry struct {
	byName map[string]*Component
}

// Component is one part of the application that has a status.
type Component struct {
	name string
}

// Name returns the component's name.
func (c *Component) Name() string { return c.name }

// Status reports the component's current state.
func (c *Component) Status() string { return "ok " + c.name }

// EachComponent calls fn with every component, in no particular order.
func (r *Registry) EachComponent(fn func(*Component) bool) {
	for _, c := range r.byName {
		if !fn(c) {
			return
		}
	}
}
