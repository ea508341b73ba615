// Package statussync writes every object's status to etcd, one key per
// object, on a timer. It imports objects and cluster, but not traffic: which
// objects exist is decided in main. The traffic controller's status holds
// every pipeline's statistics, so its one value grows with the pipelines;
// only whole-program mode sees that.
package statussync

import (
	"encoding/json"

	"example.com/fixture/cluster"
	"example.com/fixture/objects"
)

type Controller struct {
	Cluster cluster.Cluster
	Reg     *objects.Registry
}

// marshalStatus encodes an object's detail, then adds the timestamp to the
// decoded document: the value is as large as the detail.
func marshalStatus(status *objects.Status) ([]byte, error) {
	buff, err := json.Marshal(status.Detail)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(buff, &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	m["timestamp"] = status.Timestamp
	return json.Marshal(m)
}

func (c *Controller) handleStatus(now int64) {
	statuses := make(map[string]string)
	c.Reg.Walk(func(e *objects.Entity) bool {
		status := e.Obj.Status()
		status.Timestamp = now
		buff, err := marshalStatus(status)
		if err != nil {
			return false
		}
		statuses[e.Name] = string(buff)
		return true
	})
	c.syncStatusToCluster(statuses) // want: grows with the pipelines, through traffic.Controller.Status
}

func (c *Controller) syncStatusToCluster(statuses map[string]string) {
	kvs := make(map[string]*string)
	for k, v := range statuses {
		kvs["/status/"+k] = &v
	}
	_ = c.Cluster.PutAndDelete(kvs) // want: every status in one request
}
