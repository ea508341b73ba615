// Package a writes etcd keys from loops with the client directly.
package a

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"sync/atomic"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// ---- reported ----

// Heartbeat refreshes a liveness key on a ticker.
func Heartbeat(ctx context.Context, cli *clientv3.Client) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			cli.Put(ctx, "/services/api/heartbeat", now.String()) // want `etcd key "/services/api/heartbeat" is rewritten every 5s by this loop: each write is a new revision and a raft entry; etcd keeps ≥5000 recent entries in memory and, without compaction, every revision forever; write only when the value changes, keep liveness with a lease and KeepAlive, or aggregate the writes`
		}
	}
}

// Alive reports itself from a sleep loop; the key is formatted once.
func Alive(cli *clientv3.Client, node string) error {
	key := fmt.Sprintf("/nodes/%s/status", node)
	for {
		if _, err := cli.Put(context.Background(), key, "alive"); err != nil { // want `etcd key "/nodes/…/status" is rewritten every 10s by this loop`
			return err
		}
		time.Sleep(10 * time.Second)
	}
}

// LastRun stamps a cron key on every tick of time.Tick.
func LastRun(ctx context.Context, cli *clientv3.Client) {
	for now := range time.Tick(time.Minute) {
		cli.Put(ctx, "/cron/"+"last-run", now.Format(time.RFC3339)) // want `etcd key "/cron/last-run" is rewritten every 1m0s by this loop`
	}
}

// Import writes a progress counter once per item.
func Import(ctx context.Context, cli *clientv3.Client, items []string) error { // want Import:`rewrites\("/import/items/…"\) params\(2\) set each`
	for i, it := range items {
		if _, err := cli.Put(ctx, "/import/items/"+it, "done"); err != nil {
			return err
		}
		if _, err := cli.Put(ctx, "/import/progress", strconv.Itoa(i+1)); err != nil { // want `etcd key "/import/progress" is rewritten once per element of this loop`
			return err
		}
	}
	return nil
}

// Warmup writes the same key twenty times.
func Warmup(ctx context.Context, cli *clientv3.Client) {
	for i := 0; i < 20; i++ {
		cli.Put(ctx, "/warmup/step", strconv.Itoa(i)) // want `etcd key "/warmup/step" is rewritten once per element of this loop`
	}
}

// Counts writes a total per map entry.
func Counts(ctx context.Context, cli *clientv3.Client, counts map[string]int) {
	total := 0
	for _, n := range counts {
		total += n
		cli.Put(ctx, "/stats/total", strconv.Itoa(total)) // want `etcd key "/stats/total" is rewritten once per element of this loop`
	}
}

type pump struct {
	cli     *clientv3.Client
	running bool
}

// loop writes as fast as etcd accepts.
func (p *pump) loop() {
	for p.running {
		p.cli.Put(context.TODO(), "/pump/state", "running") // want `etcd key "/pump/state" is rewritten on every iteration of this loop, which nothing paces or bounds`
	}
}

// Register keeps a leased key alive by rewriting it instead of KeepAlive.
func Register(ctx context.Context, cli *clientv3.Client, lease clientv3.LeaseID) {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for range t.C {
		cli.Put(ctx, "/registry/worker-1", "10.0.0.1:8080", clientv3.WithLease(lease)) // want `etcd key "/registry/worker-1" is rewritten every 3s by this loop`
	}
}

// Term commits an OpPut of a fixed key on every tick.
func Term(ctx context.Context, cli *clientv3.Client, d time.Duration) {
	t := time.NewTimer(d)
	for {
		<-t.C
		cli.Txn(ctx).Then(clientv3.OpPut("/leader/term", "1")).Commit() // want `etcd key "/leader/term" is rewritten on every tick of this loop`
		t.Reset(d)
	}
}

var statusKey = "/svc/status"

// Global reads its key from a package variable.
func Global(ctx context.Context, cli *clientv3.Client) {
	for {
		time.Sleep(2 * time.Second)
		cli.Put(ctx, statusKey, "ok") // want `a fixed etcd key is rewritten every 2s by this loop`
	}
}

// Raw writes through the gRPC API.
func Raw(ctx context.Context, kv pb.KVClient) {
	for range time.Tick(15 * time.Second) {
		req := &pb.PutRequest{Key: []byte("/raw/beat"), Value: []byte("1")} // want `etcd key "/raw/beat" is rewritten every 15s by this loop`
		kv.Put(ctx, req)
	}
}

type beacon struct {
	cli *clientv3.Client
	t   *time.Timer
}

// start re-arms its timer from the callback.
func (b *beacon) start() {
	b.t = time.AfterFunc(30*time.Second, func() {
		b.cli.Put(context.Background(), "/beacon", "on") // want `etcd key "/beacon" is rewritten every 30s by this time.AfterFunc callback, which re-arms itself`
		b.t.Reset(30 * time.Second)
	})
}

// schedule calls itself from the callback.
func schedule(cli *clientv3.Client) {
	time.AfterFunc(time.Second, func() {
		cli.Put(context.Background(), "/tick", "1") // want `etcd key "/tick" is rewritten every 1s by this time.AfterFunc callback`
		schedule(cli)
	})
}

// ---- not reported ----

// PerNode writes one key per node.
func PerNode(ctx context.Context, cli *clientv3.Client, nodes []string) { // want PerNode:`rewrites\("/nodes/…"\) params\(2\) set each`
	for _, n := range nodes {
		cli.Put(ctx, "/nodes/"+n, "up")
	}
}

// Samples writes a new key on each tick.
func Samples(ctx context.Context, cli *clientv3.Client) {
	t := time.NewTicker(time.Second)
	n := 0
	for range t.C {
		n++
		cli.Put(ctx, fmt.Sprintf("/samples/%d", n), "x")
		cli.Put(ctx, "/events/"+time.Now().Format(time.RFC3339Nano), "x")
	}
}

// Retry leaves the loop once the write succeeds.
func Retry(ctx context.Context, cli *clientv3.Client, v string) error { // want Retry:`rewrites\("/config/version"\) params\(\)`
	for {
		_, err := cli.Put(ctx, "/config/version", v)
		if err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
}

// RetryBreak breaks out on success.
func RetryBreak(ctx context.Context, cli *clientv3.Client, v string) { // want RetryBreak:`rewrites\("/config/owner"\) params\(\)`
	for {
		if _, err := cli.Put(ctx, "/config/owner", v); err != nil {
			time.Sleep(time.Second)
			continue
		}
		break
	}
}

// FewTimes has a small constant bound.
func FewTimes(ctx context.Context, cli *clientv3.Client) { // want FewTimes:`rewrites\("/bootstrap"\) params\(\)`
	for i := 0; i < 3; i++ {
		cli.Put(ctx, "/bootstrap", strconv.Itoa(i))
	}
}

// FewTries ranges over a small constant, skipping a run (go/ssa tests
// the count at the end of each run here, not in the loop's first block).
func FewTries(ctx context.Context, cli *clientv3.Client, skip int) { // want FewTries:`rewrites\("/bootstrap/tries"\) params\(\)`
	for i := range 3 {
		if i == skip {
			continue
		}
		cli.Put(ctx, "/bootstrap/tries", strconv.Itoa(i))
	}
}

// CAS retries a transaction until it succeeds: one write per call (the
// version compare is concurrency control, not a change check), so a
// caller's loop that calls it on every tick rewrites the key.
func CAS(ctx context.Context, cli *clientv3.Client) error { // want CAS:`rewrites\("/counter"\) params\(\)`
	for {
		resp, err := cli.Get(ctx, "/counter")
		if err != nil {
			return err
		}
		rev := int64(0)
		if len(resp.Kvs) > 0 {
			rev = resp.Kvs[0].ModRevision
		}
		tr, err := cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision("/counter"), "=", rev)).
			Then(clientv3.OpPut("/counter", strconv.FormatInt(rev+1, 10))).Commit()
		if err != nil {
			return err
		}
		if tr.Succeeded {
			return nil
		}
	}
}

// Once writes a single time.
func Once(ctx context.Context, cli *clientv3.Client) { // want Once:`rewrites\("/once"\) params\(\)`
	cli.Put(ctx, "/once", "v")
}

// OnChange writes only when the value differs from the last one written.
func OnChange(ctx context.Context, cli *clientv3.Client, read func() string) {
	t := time.NewTicker(5 * time.Second)
	last := ""
	for range t.C {
		v := read()
		if v != last {
			cli.Put(ctx, "/status/current", v)
			last = v
		}
	}
}

// OnChangeBytes skips equal encodings.
func OnChangeBytes(ctx context.Context, cli *clientv3.Client, read func() any) {
	var prev []byte
	for {
		time.Sleep(5 * time.Second)
		b, _ := json.Marshal(read())
		if bytes.Equal(b, prev) {
			continue
		}
		cli.Put(ctx, "/status/encoded", string(b))
		prev = b
	}
}

type state struct{ Phase string }

// OnChangeDeep compares structs.
func OnChangeDeep(ctx context.Context, cli *clientv3.Client, read func() state) {
	var prev state
	for range time.Tick(5 * time.Second) {
		cur := read()
		if !reflect.DeepEqual(cur, prev) {
			b, _ := json.Marshal(cur)
			cli.Put(ctx, "/status/phase", string(b))
			prev = cur
		}
	}
}

type publisher struct {
	cli   *clientv3.Client
	dirty bool
	value string
	flag  atomic.Bool
}

// flush writes only when something marked the value dirty.
func (p *publisher) flush(ctx context.Context) {
	for range time.Tick(time.Second) {
		if p.dirty {
			p.cli.Put(ctx, "/publisher/value", p.value)
			p.dirty = false
		}
		if p.flag.Swap(false) {
			p.cli.Put(ctx, "/publisher/flag", p.value)
		}
	}
}

// Latest writes each event as it arrives.
func Latest(ctx context.Context, cli *clientv3.Client, events <-chan string) {
	for ev := range events {
		cli.Put(ctx, "/latest", ev)
	}
}

// Updates writes on each update received.
func Updates(ctx context.Context, cli *clientv3.Client, updates <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-updates:
			cli.Put(ctx, "/status/latest", v)
		}
	}
}

// Reregister writes its leased key again only after the keep-alive stream ends.
func Reregister(ctx context.Context, cli *clientv3.Client) {
	for {
		lease, err := cli.Grant(ctx, 10)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		cli.Put(ctx, "/registry/worker-2", "10.0.0.2:8080", clientv3.WithLease(lease.ID))
		ka, err := cli.KeepAlive(ctx, lease.ID)
		if err != nil {
			continue
		}
		for range ka {
		}
		if ctx.Err() != nil {
			return
		}
		time.Sleep(time.Second)
	}
}

// Ensure re-registers only when the keep-alive fails.
func Ensure(ctx context.Context, cli *clientv3.Client, lease clientv3.LeaseID) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for range t.C {
		if _, err := cli.KeepAliveOnce(ctx, lease); err != nil {
			g, err := cli.Grant(ctx, 15)
			if err != nil {
				continue
			}
			lease = g.ID
			cli.Put(ctx, "/registry/worker-3", "10.0.0.3:8080", clientv3.WithLease(lease))
		}
	}
}

// Reconcile creates its key only when a read finds it missing.
func Reconcile(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(10 * time.Second) {
		resp, err := cli.Get(ctx, "/config/defaults")
		if err != nil {
			continue
		}
		if len(resp.Kvs) == 0 {
			cli.Put(ctx, "/config/defaults", "{}")
		}
	}
}

// Leader writes only for the member that matches.
func Leader(ctx context.Context, cli *clientv3.Client, members []string, self string) { // want Leader:`rewrites\("/leader"\) params\(\)`
	for _, m := range members {
		if m == self {
			cli.Put(ctx, "/leader", m)
			break
		}
	}
}

// Batched writes progress every hundred items.
func Batched(ctx context.Context, cli *clientv3.Client, items []string, process func(string)) {
	for i, it := range items {
		process(it)
		if i%100 == 0 {
			cli.Put(ctx, "/batch/progress", strconv.Itoa(i))
		}
	}
}

// Poll reads on a timer and never writes.
func Poll(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(time.Second) {
		cli.Get(ctx, "/config")
	}
}

// Waits blocks on a helper the pass cannot see into.
func Waits(ctx context.Context, cli *clientv3.Client, next func() string) {
	for {
		cli.Put(ctx, "/work/current", next())
	}
}

// Suppressed is a heartbeat its author accepts.
func Suppressed(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(time.Hour) {
		//etcdlint:ignore hotkey one write an hour is fine here
		cli.Put(ctx, "/hourly", "1")
	}
}
