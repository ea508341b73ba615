// Package syncer writes every object's status to etcd. It imports objects
// and etcd, but not traffic: which objects exist is decided in main.
package syncer

import (
	"context"
	"encoding/json"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/objects"
)

type Syncer struct {
	Cli *clientv3.Client
	Reg *objects.Registry
}

// Sync writes one status key per object. The traffic controller's status
// holds every pipeline's statistics: its one value grows with the pipelines.
func (s *Syncer) Sync(ctx context.Context) {
	s.Reg.Walk(func(e *objects.Entity) bool {
		b, err := json.Marshal(e.Obj.Status())
		if err != nil {
			return false
		}
		_, err = s.Cli.Put(ctx, "/status/"+e.Name, string(b))
		return err == nil
	})
}
