// Package statussplit is statussync after the fix: the traffic
// controller's status is split into one key per pipeline, and the statuses
// are written in chunks. The other objects' statuses are still marshalled
// whole, behind a type assertion that takes the traffic controller out.
package statussplit

import (
	"encoding/json"

	"example.com/fixture/cluster"
	"example.com/fixture/objects"
	"example.com/fixture/traffic"
)

const maxBatch = 64

type Controller struct {
	Cluster cluster.Cluster
	Reg     *objects.Registry
}

func (c *Controller) handleStatus(now int64) {
	statuses := make(map[string]string)
	c.Reg.Walk(func(e *objects.Entity) bool {
		status := e.Obj.Status()
		status.Timestamp = now
		if ts, ok := status.Detail.(*traffic.Status); ok {
			for name, p := range ts.Pipelines {
				b, err := json.Marshal(p)
				if err != nil {
					return false
				}
				statuses[e.Name+"/"+name] = string(b)
			}
			return true
		}
		b, err := json.Marshal(status)
		if err != nil {
			return false
		}
		statuses[e.Name] = string(b)
		return true
	})
	c.syncStatusToCluster(statuses)
}

func (c *Controller) syncStatusToCluster(statuses map[string]string) {
	kvs := make(map[string]*string)
	for k, v := range statuses {
		kvs["/status/"+k] = &v
		if len(kvs) >= maxBatch {
			_ = c.Cluster.PutAndDelete(kvs)
			kvs = make(map[string]*string)
		}
	}
	if len(kvs) > 0 {
		_ = c.Cluster.PutAndDelete(kvs)
	}
}
