package a

import (
	"context"
	"log"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// table is kept current by a goroutine its constructor starts.
type table struct {
	rows map[string]string
}

// newTable follows the prefix from rev in a goroutine. Once etcd compacts
// rev the watch is cancelled and the goroutine ends without a word: the
// table is stale from then on.
func newTable(ctx context.Context, cli *clientv3.Client, rev int64) *table {
	t := &table{rows: map[string]string{}}
	go func() {
		for resp := range cli.Watch(ctx, "/rows/", clientv3.WithPrefix(), clientv3.WithRev(rev)) { // want `WithRev once that revision is compacted`
			for _, ev := range resp.Events {
				t.rows[string(ev.Kv.Key)] = string(ev.Kv.Value)
			}
		}
	}()
	return t
}

// logChanges logs the prefix's changes until ctx ends.
func logChanges(ctx context.Context, cli *clientv3.Client) { // want logChanges:`watches\(until\)`
	for resp := range cli.Watch(ctx, "/rows/", clientv3.WithPrefix()) {
		log.Print(len(resp.Events))
	}
}

// startLogging re-opens the watch in a goroutine as soon as it ends.
func startLogging(ctx context.Context, cli *clientv3.Client) {
	go func() {
		for {
			logChanges(ctx, cli) // want `re-opens the watch as soon as it ends, without a pause`
			if ctx.Err() != nil {
				return
			}
		}
	}()
}

// CleanGoroutine watches without a revision in a goroutine: the watch ends
// with ctx, and so does the goroutine.
func CleanGoroutine(ctx context.Context, cli *clientv3.Client) {
	go func() {
		for resp := range cli.Watch(ctx, "/rows/", clientv3.WithPrefix()) {
			log.Print(len(resp.Events))
		}
	}()
}

// CleanLiteralInLoop runs a literal that follows from rev in a loop that
// reads a fresh revision after a pause: the loop is the retry.
func CleanLiteralInLoop(ctx context.Context, cli *clientv3.Client) {
	rev := resync(ctx, cli)
	for ctx.Err() == nil {
		func() {
			for resp := range cli.Watch(ctx, "/rows/", clientv3.WithPrefix(), clientv3.WithRev(rev)) {
				log.Print(len(resp.Events))
			}
		}()
		time.Sleep(time.Second)
		rev = resync(ctx, cli)
	}
}
