package app

import (
	"context"
	"encoding/json"

	clientv3 "go.etcd.io/etcd/clientv3"

	"example.com/fixture/registry"
)

// PublishNames writes the name of every pod it is given, through the
// registry in another package.
func PublishNames(r *registry.Registry, pods map[string]int) error {
	var names []string
	for name := range pods {
		names = append(names, name)
	}
	return r.SaveNames(names) // want `value written to "/registry/names" grows with pods`
}

// PublishLeader writes a list of constant length.
func PublishLeader(r *registry.Registry, leader string) error { // want PublishLeader:`^carries whole\(1\)$`
	return r.SaveNames([]string{leader})
}

// Route is one routing rule.
type Route struct {
	Path    string
	Backend string
}

// SaveRoutes writes every route in one value, in a Txn of its own.
func SaveRoutes(ctx context.Context, kv clientv3.KV, routes map[string]Route) error { // want SaveRoutes:`^carries whole\(2\)$`
	b, err := json.Marshal(routes)
	if err != nil {
		return err
	}
	_, err = kv.Txn(ctx).Then(clientv3.OpPut("/routes", string(b))).Commit() // want `value written to "/routes" holds the whole routes \(a map of records, one per object\)`
	return err
}
