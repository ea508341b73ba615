// Package a writes to etcd directly.
package a

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	clientv3 "go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
)

type Stats struct {
	Requests int64
	Errors   int64
	P99      float64
}

type Pipeline struct {
	Name  string
	Stats Stats
	Tags  map[string]string
}

type Gateway struct {
	cli       *clientv3.Client
	pipelines []*Pipeline
	members   map[string]string
	byName    sync.Map
}

// The seed: every pipeline's statistics marshalled into one value.
func (g *Gateway) PublishAll(ctx context.Context) {
	all := map[string]Stats{}
	for _, p := range g.pipelines {
		all[p.Name] = p.Stats
	}
	b, _ := json.Marshal(all)
	g.cli.Put(ctx, "/status/traffic", string(b)) // want `value written to "/status/traffic" grows with g.pipelines \(json.Marshal of a map filled in a loop\): etcd keeps ≥5000 recent writes in memory and every revision until compaction, and rejects requests over 1.5 MiB; write one key per element`
}

// The fix: one key per element.
func (g *Gateway) PublishEach(ctx context.Context) {
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p.Stats)
		g.cli.Put(ctx, "/status/"+p.Name, string(b))
	}
}

// A per-object value whose own tags are a map: the key names the object.
func (g *Gateway) PublishTags(ctx context.Context) {
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p.Tags)
		g.cli.Put(ctx, "/tags/"+p.Name, string(b))
	}
}

func (g *Gateway) Names(ctx context.Context) {
	var names []string
	for _, p := range g.pipelines {
		names = append(names, p.Name)
	}
	g.cli.Put(ctx, "/names", strings.Join(names, ",")) // want `value written to "/names" grows with g.pipelines \(strings.Join of a slice appended to in a loop\)`
}

func (g *Gateway) Report(ctx context.Context) {
	var buf bytes.Buffer
	for _, p := range g.pipelines {
		fmt.Fprintf(&buf, "%s=%d\n", p.Name, p.Stats.Requests)
	}
	g.cli.Put(ctx, "/report", buf.String()) // want `grows with g.pipelines \(a bytes.Buffer written in a loop\)`
}

func (g *Gateway) Concat(ctx context.Context) {
	s := ""
	for _, p := range g.pipelines {
		s += p.Name + ";"
	}
	g.cli.Put(ctx, "/concat", s) // want `grows with g.pipelines \(a string concatenated in a loop\)`
}

func (g *Gateway) Gob(ctx context.Context) {
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	for _, p := range g.pipelines {
		enc.Encode(p.Stats)
	}
	g.cli.Put(ctx, "/gob", buf.String()) // want `grows with g.pipelines \(a bytes.Buffer written in a loop\)`
}

// A whole map held by the program, under a constant key.
func (g *Gateway) Members(ctx context.Context) {
	b, _ := json.Marshal(g.members)
	g.cli.Put(ctx, "/members", string(b)) // want `value written to "/members" grows with g.members \(json.Marshal of a map held by the program\)`
}

// Filled in a callback that runs once per element.
func (g *Gateway) Walked(ctx context.Context) {
	names := map[string]bool{}
	g.byName.Range(func(k, v any) bool {
		names[k.(string)] = true
		return true
	})
	b, _ := json.Marshal(names)
	g.cli.Put(ctx, "/walked", string(b)) // want `grows with g.byName \(json.Marshal of a map filled in a loop\)`
}

// One value per namespace, growing with that namespace's pipelines.
func (g *Gateway) PerNamespace(ctx context.Context, spaces map[string][]*Pipeline) {
	for ns, ps := range spaces {
		m := map[string]Stats{}
		for _, p := range ps {
			m[p.Name] = p.Stats
		}
		b, _ := json.Marshal(m)
		g.cli.Put(ctx, "/ns/"+ns, string(b)) // want `value written to etcd grows with ps \(json.Marshal of a map filled in a loop\)`
	}
}

// All statuses in one transaction, one of which holds every pipeline.
func (g *Gateway) InTxn(ctx context.Context) {
	var ops []clientv3.Op
	list := []Stats{}
	for _, p := range g.pipelines {
		list = append(list, p.Stats)
	}
	b, _ := json.Marshal(list)
	ops = append(ops, clientv3.OpPut("/status/all", string(b))) // want `value written to "/status/all" grows with g.pipelines \(json.Marshal of a slice appended to in a loop\)`
	g.cli.Txn(ctx).Then(ops...).Commit()
}

// Many small keys in one Txn: each op carries one element.
func (g *Gateway) SmallKeys(ctx context.Context) {
	var ops []clientv3.Op
	for _, p := range g.pipelines {
		b, _ := json.Marshal(p.Stats)
		ops = append(ops, clientv3.OpPut("/status/"+p.Name, string(b)))
	}
	g.cli.Txn(ctx).Then(ops...).Commit()
}

func (g *Gateway) STM(ctx context.Context) {
	concurrency.NewSTM(g.cli, func(stm concurrency.STM) error {
		ids := []string{}
		for _, p := range g.pipelines {
			ids = append(ids, p.Name)
		}
		stm.Put("/ids", fmt.Sprint(ids)) // want `value written to "/ids" grows with g.pipelines \(fmt.Sprint of a slice appended to in a loop\)`
		return nil
	})
}

// The raw gRPC client.
func (g *Gateway) Raw(ctx context.Context, kv pb.KVClient, blocks []uint64) {
	idx := struct {
		Name   string
		Blocks []uint64
	}{Name: "vol"}
	for _, b := range blocks {
		idx.Blocks = append(idx.Blocks, b)
	}
	data, _ := json.Marshal(&idx)
	kv.Put(ctx, &pb.PutRequest{Key: []byte("/volumes/vol"), Value: data}) // want `value written to etcd grows with blocks \(json.Marshal of a struct holding a slice appended to in a loop\)`
}

// A fixed-size record.
func (g *Gateway) Record(ctx context.Context, p *Pipeline) {
	rec := struct {
		Name  string
		Stats Stats
		Hist  [8]int64
	}{Name: p.Name, Stats: p.Stats}
	b, _ := json.Marshal(rec)
	g.cli.Put(ctx, "/record/"+p.Name, string(b))
}

// Bounded by constants.
func (g *Gateway) Bounded(ctx context.Context, shards [8]Stats) { // want Bounded:`carries elems\(1\)`
	var list []Stats
	for _, s := range shards {
		list = append(list, s)
	}
	var parts []string
	for i := 0; i < 4; i++ {
		parts = append(parts, fmt.Sprint(i))
	}
	m := map[int]bool{}
	for i := range 16 {
		m[i] = true
	}
	b, _ := json.Marshal(list)
	c, _ := json.Marshal(m)
	g.cli.Put(ctx, "/shards", string(b))
	g.cli.Put(ctx, "/parts", strings.Join(parts, ","))
	g.cli.Put(ctx, "/flags", string(c))
}

// Size unknown: written unchanged.
func (g *Gateway) FromFile(ctx context.Context, r *http.Request) {
	b, _ := os.ReadFile("/etc/app.conf")
	g.cli.Put(ctx, "/config", string(b))
	body, _ := io.ReadAll(r.Body)
	g.cli.Put(ctx, "/upload", string(body))
}

// Constant sizes above -max-bytes.
func (g *Gateway) Big(ctx context.Context) {
	g.cli.Put(ctx, "/blob", string(make([]byte, 2<<20)))   // want `value written to "/blob" is 2097152 bytes \(a \[\]byte of constant length\): etcd rejects requests over 1.5 MiB by default`
	g.cli.Put(ctx, "/pad", strings.Repeat("x", 3<<19))     // want `value written to "/pad" is 1572864 bytes \(strings.Repeat\)`
	g.cli.Put(ctx, "/small", string(make([]byte, 64<<10))) // below the threshold
}
