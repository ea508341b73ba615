package cluster

import (
	"context"
	"encoding/json"
	"errors"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Endpoint is one address a service is reachable at, with free-form
// metadata.
type Endpoint struct {
	Addr string
	Meta any
}

// Change adds or removes one endpoint.
type Change struct {
	Key      string
	Delete   bool
	Endpoint Endpoint
}

// entry is what is stored under an endpoint's key.
type entry struct {
	Addr string `json:"addr"`
	Meta any    `json:"meta,omitempty"`
}

// Endpoints applies changes to a service's endpoints.
type Endpoints struct {
	KV clientv3.KV
}

// Apply applies the changes its caller hands in, atomically, in one Txn:
// how many is the caller's choice, and its call is checked.
func (e *Endpoints) Apply(ctx context.Context, changes []*Change) error { // want Apply:`^carries batch\(1\)$`
	ops := make([]clientv3.Op, 0, len(changes))
	for _, ch := range changes {
		if ch.Delete {
			ops = append(ops, clientv3.OpDelete(ch.Key))
			continue
		}
		b, err := json.Marshal(&entry{Addr: ch.Endpoint.Addr, Meta: ch.Endpoint.Meta})
		if err != nil {
			return err
		}
		ops = append(ops, clientv3.OpPut(ch.Key, string(b)))
	}
	_, err := e.KV.Txn(ctx).Then(ops...).Commit()
	return err
}

// Add adds one endpoint: one change per request.
func (e *Endpoints) Add(ctx context.Context, key string, ep Endpoint) error {
	return e.Apply(ctx, []*Change{{Key: key, Endpoint: ep}})
}

// ApplyByKey is Apply over a map from key to endpoint.
func (e *Endpoints) ApplyByKey(ctx context.Context, byKey map[string]Endpoint) error { // want ApplyByKey:`^carries batch\(1\)$`
	var ops []clientv3.Op
	for key, ep := range byKey {
		b, err := json.Marshal(entry{Addr: ep.Addr, Meta: ep.Meta})
		if err != nil {
			return err
		}
		ops = append(ops, clientv3.OpPut(key, string(b)))
	}
	if len(ops) == 0 {
		return errors.New("no endpoints")
	}
	_, err := e.KV.Txn(ctx).Then(ops...).Commit()
	return err
}
