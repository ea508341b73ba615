package a

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"encoding/json"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// counters counts requests per route for as long as the process runs.
type counters struct {
	routes map[string]int64
}

// hit counts one request.
func (c *counters) hit(route string) { c.routes[route]++ }

// PublishCompressed writes every route's count, gob-encoded and gzipped:
// compression shrinks the value, but it still grows with the routes.
func (c *counters) PublishCompressed(ctx context.Context, kv clientv3.KV) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_ = gob.NewEncoder(zw).Encode(c.routes)
	_ = zw.Close()
	_, _ = kv.Put(ctx, "/routes/counts", buf.String()) // want `value written to "/routes/counts" grows with c.routes`
}

// PublishBuffered writes them as JSON through a bufio.Writer.
func (c *counters) PublishBuffered(ctx context.Context, kv clientv3.KV) {
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	_ = json.NewEncoder(bw).Encode(c.routes)
	_ = bw.Flush()
	_, _ = kv.Put(ctx, "/routes/json", buf.String()) // want `value written to "/routes/json" grows with c.routes`
}

// CleanCompressedHeader gzips a fixed-size header only.
func (c *counters) CleanCompressedHeader(ctx context.Context, kv clientv3.KV) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte("routes v1"))
	_ = zw.Close()
	_, _ = kv.Put(ctx, "/routes/header", buf.String())
}

// routeSnapshot is what a dashboard reads.
type routeSnapshot struct {
	At     time.Time
	Routes map[string]int64
}

// PublishSnapshot copies every count into a snapshot struct first: the
// copy grows with the routes as the original does.
func (c *counters) PublishSnapshot(ctx context.Context, kv clientv3.KV) {
	snap := routeSnapshot{At: time.Now(), Routes: map[string]int64{}}
	for route, n := range c.routes {
		snap.Routes[route] = n
	}
	b, _ := json.Marshal(snap)
	_, _ = kv.Put(ctx, "/routes/snapshot", string(b)) // want `value written to "/routes/snapshot" grows with c.routes \(json.Marshal of a struct holding a map filled in a loop\)`
}

// CleanSnapshotTop3 copies three fixed routes only.
func (c *counters) CleanSnapshotTop3(ctx context.Context, kv clientv3.KV) {
	snap := routeSnapshot{At: time.Now(), Routes: map[string]int64{}}
	for _, route := range [3]string{"/", "/login", "/api"} {
		snap.Routes[route] = c.routes[route]
	}
	b, _ := json.Marshal(snap)
	_, _ = kv.Put(ctx, "/routes/top", string(b))
}
