// Package app syncs statuses through the cluster layer.
package app

import (
	"context"
	"encoding/json"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"

	"example.com/fixture/cluster"
	"example.com/fixture/model"
)

type Syncer struct {
	cluster     cluster.Cluster
	store       *cluster.Store
	controllers []model.Controller
	traffic     *model.Traffic
	pipelines   []*model.Pipeline
}

// The seed's shape: statuses of every object, one of which holds every
// pipeline, all written in one request through the cluster interface.
func (s *Syncer) Sync() {
	kvs := map[string]*string{}
	for _, c := range s.controllers {
		b, _ := json.Marshal(c.Status())
		v := string(b)
		kvs["/status/"+c.Name()] = &v
	}
	all := map[string]int64{}
	for _, p := range s.pipelines {
		all[p.Name] = p.Requests
	}
	b, _ := json.Marshal(all)
	v := string(b)
	kvs["/status/traffic"] = &v
	s.cluster.PutAllUnderLease(kvs) // want `value written to "/status/traffic" grows with s.pipelines \(json.Marshal of a map filled in a loop\)`
}

// The fix: one key per pipeline.
func (s *Syncer) SyncEach() {
	kvs := map[string]*string{}
	for _, p := range s.pipelines {
		b, _ := json.Marshal(p)
		v := string(b)
		kvs["/status/"+p.Name] = &v
	}
	s.cluster.PutAllUnderLease(kvs)
}

// The status of an imported type, grown in its own package.
func (s *Syncer) Traffic() {
	b, _ := json.Marshal(s.traffic.Status())
	s.cluster.PutUnderLease("/status/traffic", string(b)) // want `value written to "/status/traffic" grows with t.pipelines \(json.Marshal of a struct holding a map filled in a loop, returned by model.Traffic.Status\)`
}

// Through the interface method, whose fact comes from its implementation.
func (s *Syncer) First() {
	if len(s.controllers) > 0 {
		b, _ := json.Marshal(s.controllers[0].Status())
		s.cluster.PutUnderLease("/status/first", string(b)) // want `value written to "/status/first" grows with t.pipelines`
	}
}

// A struct method wrapper that marshals its parameter.
func (s *Syncer) Save(ctx context.Context) {
	names := []string{}
	for _, p := range s.pipelines {
		names = append(names, p.Name)
	}
	s.store.Save(ctx, "/names", names) // want `value written to "/names" grows with s.pipelines \(a slice appended to in a loop\)`
	s.store.Save(ctx, "/one", s.pipelines[0])
}

// A helper in this package that forwards its parameter.
func (s *Syncer) publish(key string, v any) { // want publish:`carries whole\(1\)`
	b, _ := json.Marshal(v)
	s.cluster.PutUnderLease(key, string(b))
}

func (s *Syncer) ViaHelper() {
	m := map[string]bool{}
	for _, p := range s.pipelines {
		m[p.Name] = true
	}
	s.publish("/helper", m) // want `value written to "/helper" grows with s.pipelines \(a map filled in a loop\)`
	s.publish("/fixed", model.Ring())
}

func putReq(key string, value []byte) *pb.PutRequest { // want putReq:`carries whole\(1\)`
	return &pb.PutRequest{Key: []byte(key), Value: value}
}

// The block list of a volume in one value, through the raw client.
func CreateVolume(ctx context.Context, kv pb.KVClient, name string, size int) error { // want CreateVolume:`carries whole\(2\)`
	idx := &struct {
		Name   string
		Blocks []model.Block
	}{Name: name}
	idx.Blocks = model.Blocks(size / 4096)
	data, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	_, err = kv.Put(ctx, putReq("/volumes/"+name, data)) // want `value written to etcd grows with n \(json.Marshal of a struct holding a slice filled in a loop, returned by model.Blocks\)`
	return err
}

// The fix: a small reference in etcd.
func CreateVolumeRef(ctx context.Context, kv pb.KVClient, name string, size int) error { // want CreateVolumeRef:`carries whole\(2\)`
	ref := struct {
		Name  string
		Size  int
		Store string
	}{Name: name, Size: size, Store: "blocks/" + name}
	data, _ := json.Marshal(ref)
	_, err := kv.Put(ctx, putReq("/volumes/"+name, data))
	return err
}
