// Package life opens etcd resources whose scope is one iteration of a
// loop, one path of a function, or one goroutine, and ends them, or not,
// within it.
package life

import (
	"context"
	"log"
	"math"
	"time"

	"example.com/fixture/wrap"
	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
)

// A watch per iteration through a helper of another package that watches
// on its connection's lifetime context: after k changes, k watches.
func reloadLoop(c *wrap.Conn, key string, apply func([]byte)) {
	for {
		wch, err := c.Follow(key) // want `watch opened by Conn.Follow on the long-lived context Conn.Follow uses \(a struct field or the client's own\) in a loop is never cancelled: every iteration opens another watch`
		if err != nil {
			return
		}
		resp, ok := <-wch
		if !ok {
			return
		}
		for _, ev := range resp.Events {
			apply(ev.Kv.Value)
		}
	}
}

// The same through an interface whose implementation watches on a field.
func members(src wrap.Changes, prefix string, stop <-chan struct{}) {
	for {
		select {
		case resp := <-src.Changes(prefix): // want `watch opened by Changes.Changes on the long-lived context Changes.Changes uses .* in a loop is never cancelled`
			log.Print(len(resp.Events))
		case <-stop:
			return
		}
	}
}

// A retry loop on the caller's context: every retry opens a watch that
// lives as long as the caller's context.
func awaitValue(ctx context.Context, cli *clientv3.Client, key, want string) error {
	for {
		wch := cli.Watch(ctx, key) // want `watch opened by Watcher.Watch on the caller's context \(ctx\) in a loop is never cancelled`
		select {
		case resp := <-wch:
			for _, ev := range resp.Events {
				if string(ev.Kv.Value) == want {
					return nil
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// A helper of this package that watches on context.Background(), called
// per iteration.
func tail(cli *clientv3.Client, key string) clientv3.WatchChan {
	return cli.Watch(context.Background(), key)
}

func pollTail(cli *clientv3.Client, keys []string) {
	for _, k := range keys {
		<-tail(cli, k) // want `watch opened by life.tail on context.Background\(\) inside life.tail in a loop is never cancelled`
	}
}

// A keep-alive per iteration on the caller's context, read once.
func touchAll(ctx context.Context, cli *clientv3.Client, ids []clientv3.LeaseID) {
	for _, id := range ids {
		ch, err := cli.KeepAlive(ctx, id) // want `keep-alive channel from Lease.KeepAlive on the caller's context \(ctx\) is received from only once and then abandoned in a loop`
		if err != nil {
			continue
		}
		<-ch
	}
}

// A WithCancel made once outside the loop ends the watches only when the
// function returns.
func awaitOuterCancel(ctx context.Context, cli *clientv3.Client, keys []string) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, k := range keys {
		<-cli.Watch(wctx, k) // want `watch opened by Watcher.Watch on a context cancelled only after the loop in a loop is never cancelled`
	}
}

// A session per iteration whose Close is deferred: every session lives
// until the function returns.
func lockEach(cli *clientv3.Client, keys []string, work func(string)) error {
	for _, k := range keys {
		s, err := concurrency.NewSession(cli) // want `session from concurrency.NewSession is opened on every iteration of a loop and not closed before the next iteration opens another \(a deferred Close runs only when the function returns\)`
		if err != nil {
			return err
		}
		defer s.Close()
		m := concurrency.NewMutex(s, k)
		if err := m.Lock(context.TODO()); err != nil {
			return err
		}
		work(k)
		m.Unlock(context.TODO())
	}
	return nil
}

// A client dialled per retry and dropped when its first request fails.
func dialHealthy(cfg clientv3.Config) *clientv3.Client {
	for {
		cli, err := clientv3.New(cfg) // want `etcd client from clientv3.New is opened on every iteration of a loop and not closed before the next iteration opens another`
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err = cli.Get(ctx, "health")
		cancel()
		if err != nil {
			continue
		}
		return cli
	}
}

// Clean: a context made and cancelled in each iteration.
func awaitEach(ctx context.Context, cli *clientv3.Client, keys []string) {
	for _, k := range keys {
		wctx, cancel := context.WithCancel(ctx)
		<-cli.Watch(wctx, k)
		cancel()
	}
}

// Clean: a deadline per iteration.
func awaitEachTimeout(ctx context.Context, cli *clientv3.Client, keys []string) {
	for _, k := range keys {
		wctx, cancel := context.WithTimeout(ctx, time.Second)
		<-cli.Watch(wctx, k)
		cancel()
	}
}

// Clean: each iteration drains its watch until it closes, then re-opens.
func rewatch(ctx context.Context, cli *clientv3.Client, key string) {
	for ctx.Err() == nil {
		for resp := range cli.Watch(ctx, key) {
			log.Print(resp.Events)
		}
		time.Sleep(time.Second)
	}
}

// Clean: the watch is re-opened only once the old one has closed.
func reopenOnClose(ctx context.Context, cli *clientv3.Client, key string) {
	wch := cli.Watch(ctx, key)
	for {
		resp, ok := <-wch
		if !ok {
			if ctx.Err() != nil {
				return
			}
			wch = cli.Watch(ctx, key)
			continue
		}
		log.Print(resp.Events)
	}
}

// Clean: a session closed at the end of each iteration.
func lockEachClosed(cli *clientv3.Client, keys []string, work func(string)) error {
	for _, k := range keys {
		s, err := concurrency.NewSession(cli)
		if err != nil {
			return err
		}
		m := concurrency.NewMutex(s, k)
		if err := m.Lock(context.TODO()); err != nil {
			s.Close()
			return err
		}
		work(k)
		m.Unlock(context.TODO())
		s.Close()
	}
	return nil
}

// Clean: a failed client is closed before the next attempt.
func dialHealthyClosed(cfg clientv3.Config) *clientv3.Client {
	for {
		cli, err := clientv3.New(cfg)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err = cli.Get(ctx, "health")
		cancel()
		if err != nil {
			cli.Close()
			continue
		}
		return cli
	}
}

// Clean: a watch from a revision no store reaches delivers no event; the
// second receive waits for the watch to end (the leader is lost), before
// the next iteration opens another.
func leaderLoop(ctx context.Context, w clientv3.Watcher, lost func()) {
	rev := int64(math.MaxInt64 - 2)
	for ctx.Err() == nil {
		wch := w.Watch(clientv3.WithRequireLeader(ctx), "__lost", clientv3.WithRev(rev), clientv3.WithCreatedNotify())
		if resp, ok := <-wch; !ok || resp.Err() != nil {
			lost()
			continue
		}
		<-wch
		lost()
	}
}
