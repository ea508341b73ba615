// Package volmeta keeps volume metadata in etcd through the raw API.
package volmeta

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	clientv3 "github.com/coreos/etcd/clientv3"
	pb "github.com/coreos/etcd/etcdserver/etcdserverpb"

	"example.com/fixture/volume"
)

type Meta struct {
	kv  pb.KVClient
	cli *clientv3.Client
	me  string
}

func lockKey(vol uint64) []byte { return []byte("/lock/" + strconv.FormatUint(vol, 16)) }

func inodeKey(vol uint64) []byte { return []byte("/inode/" + strconv.FormatUint(vol, 16)) }

// SyncInode rewrites the whole inode, every extent of the volume, in one
// value on every sync, inside a Txn that checks the lock.
func (m *Meta) SyncInode(ctx context.Context, in *volume.Inode) error { // want SyncInode:`carries whole\(1\)`
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	put := &pb.RequestOp{Request: &pb.RequestOp_RequestPut{RequestPut: &pb.PutRequest{Key: inodeKey(in.Volume), Value: data}}} // want `value written to etcd grows with volume.Inode.Extents \(json.Marshal of in, whose Extents holds a slice appended to in a loop over size, set by volume.Inode.Grow\)`
	resp, err := m.kv.Txn(ctx, &pb.TxnRequest{
		Compare: []*pb.Compare{{
			Key:         lockKey(in.Volume),
			Target:      pb.Compare_VALUE,
			Result:      pb.Compare_EQUAL,
			TargetUnion: &pb.Compare_Value{Value: []byte(m.me)},
		}},
		Success: []*pb.RequestOp{put},
	})
	if err != nil {
		return err
	}
	if !resp.Succeeded {
		return errors.New("volume is locked by another node")
	}
	return nil
}

// The fix: a small reference in etcd, the extents stored elsewhere.
func (m *Meta) SyncRef(ctx context.Context, ref volume.Ref) error { // want SyncRef:`carries whole\(1\)`
	data, _ := json.Marshal(ref)
	_, err := m.kv.Put(ctx, &pb.PutRequest{Key: inodeKey(ref.Volume), Value: data})
	return err
}

// One key per extent: each value is one fixed-size record.
func (m *Meta) SyncExtents(ctx context.Context, in *volume.Inode) error {
	for i, e := range in.Extents {
		data, _ := json.Marshal(e)
		key := string(inodeKey(in.Volume)) + "/" + strconv.Itoa(i)
		if _, err := m.cli.Put(ctx, key, string(data)); err != nil {
			return err
		}
	}
	return nil
}

// A node's own addresses: built once per node, not grown by the program.
func (m *Meta) SaveNode(ctx context.Context, n *volume.Node) error { // want SaveNode:`carries whole\(1\)`
	data, _ := json.Marshal(n)
	_, err := m.cli.Put(ctx, "/nodes/"+n.Name, string(data))
	return err
}

// Pool keeps the nodes of a pool; Add grows the table in a loop.
type Pool struct {
	Name    string
	Members map[string]string
}

type Registry struct {
	cli  *clientv3.Client
	pool *Pool
}

// Join adds every node of a batch to the pool.
func (r *Registry) Join(nodes []*volume.Node) {
	for _, n := range nodes {
		r.pool.Members[n.Name] = n.Addrs[0]
	}
}

// Save writes the whole pool, every member, under the pool's key.
func (r *Registry) Save(ctx context.Context) error {
	data, _ := json.Marshal(r.pool)
	_, err := r.cli.Put(ctx, "/pools/"+r.pool.Name, string(data)) // want `value written to etcd grows with volmeta.Pool.Members \(json.Marshal of r.pool, whose Members holds a map filled in a loop over nodes, set by volmeta.Registry.Join\)`
	return err
}

// store writes any value it is handed: it cannot know what it encodes, so
// the caller that hands it an inode is reported.
func (m *Meta) store(ctx context.Context, key string, v any) error { // want store:`carries whole\(2\)`
	data, _ := json.Marshal(v)
	_, err := m.cli.Put(ctx, key, string(data))
	return err
}

func (m *Meta) Save(ctx context.Context, in *volume.Inode) error { // want Save:`carries whole\(1\)`
	return m.store(ctx, string(inodeKey(in.Volume)), in) // want `value written to etcd grows with volume.Inode.Extents \(in, whose Extents holds a slice appended to in a loop over size, set by volume.Inode.Grow\)`
}

// saveInode takes an inode: it is reported, not again at its callers.
func (m *Meta) saveInode(ctx context.Context, in *volume.Inode) error { // want saveInode:`carries whole\(1\)`
	data, _ := json.Marshal(in)
	_, err := m.cli.Put(ctx, string(inodeKey(in.Volume)), string(data)) // want `value written to etcd grows with volume.Inode.Extents`
	return err
}

func (m *Meta) Resize(ctx context.Context, in *volume.Inode, size uint64) error { // want Resize:`carries whole\(1\)`
	in.Grow(size, 4096)
	return m.saveInode(ctx, in)
}

// What the encoder writes of a cache is its name.
func (m *Meta) SaveCache(ctx context.Context, c *volume.Cache) error { // want SaveCache:`carries whole\(1\)`
	data, _ := json.Marshal(c)
	_, err := m.cli.Put(ctx, "/caches/"+c.Name, string(data))
	return err
}
