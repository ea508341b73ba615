// Package wrap is the application's own layer over etcd watches.
package wrap

import (
	"context"
	"errors"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// ErrClosed is returned when a watch channel closes.
var ErrClosed = errors.New("watch closed")

// OpenAt opens a watch of prefix from rev.
func OpenAt(ctx context.Context, cli *clientv3.Client, prefix string, rev int64) clientv3.WatchChan { // want OpenAt:`watches\(opens rev\(3\) ctx\(0\)\)`
	opts := []clientv3.OpOption{clientv3.WithPrefix()}
	if rev != 0 {
		opts = append(opts, clientv3.WithRev(rev+1))
	}
	return cli.Watch(clientv3.WithRequireLeader(ctx), prefix, opts...)
}

// Follow follows prefix from rev until the watch ends, and says why.
func Follow(ctx context.Context, cli *clientv3.Client, prefix string, rev int64, h func(*clientv3.Event)) error { // want Follow:`watches\(until rev\(3\)\)`
	wch := OpenAt(ctx, cli, prefix, rev)
	for {
		select {
		case resp, ok := <-wch:
			if !ok {
				return ErrClosed
			}
			if err := resp.Err(); err != nil {
				return err
			}
			for _, ev := range resp.Events {
				h(ev)
			}
		case <-ctx.Done():
			return nil
		}
	}
}

// Source is something that can be followed.
type Source interface {
	Follow(ctx context.Context, rev int64) bool // want Follow:`watches\(until rev\(1\)\)`
}

// Etcd is the etcd Source.
type Etcd struct {
	Cli    *clientv3.Client
	Prefix string
}

// Follow reports whether the context ended.
func (e *Etcd) Follow(ctx context.Context, rev int64) bool { // want Follow:`watches\(until rev\(1\)\)`
	for resp := range e.Cli.Watch(ctx, e.Prefix, clientv3.WithRev(rev)) {
		if resp.Err() != nil {
			return false
		}
	}
	return ctx.Err() != nil
}

// Cooldown waits d or until ctx ends.
func Cooldown(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// Quick waits too little to count only when d is below a millisecond; it
// is a pause by its constant-free argument.
func Quick(d time.Duration) {
	time.Sleep(d)
}

// Settle waits d, then reads the prefix's current revision.
func Settle(ctx context.Context, cli *clientv3.Client, prefix string, d time.Duration) int64 { // want Settle:`watches\(pauses\)`
	time.Sleep(d)
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix())
	if err != nil {
		return 0
	}
	return resp.Header.Revision
}

// Nap sleeps 50 µs, then reads the prefix's current revision: no pause.
func Nap(ctx context.Context, cli *clientv3.Client, prefix string) int64 {
	time.Sleep(50 * time.Microsecond)
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix())
	if err != nil {
		return 0
	}
	return resp.Header.Revision
}

// EtcdPacer spaces out retries by a pause it reads from etcd: it reads, it
// writes nothing, and it always waits.
type EtcdPacer struct{ Cli *clientv3.Client }

// Pace waits the configured pause, a second by default.
func (p EtcdPacer) Pace(ctx context.Context) { // want Pace:`watches\(pauses\)`
	d := time.Second
	if resp, err := p.Cli.Get(ctx, "/config/pace"); err == nil && len(resp.Kvs) == 1 {
		if v, err := time.ParseDuration(string(resp.Kvs[0].Value)); err == nil && v > d {
			d = v
		}
	}
	time.Sleep(d)
}

// Space is Pace under another interface's name.
func (p EtcdPacer) Space(ctx context.Context) { p.Pace(ctx) } // want Space:`watches\(pauses\)`

// Feed is a prefix's changes from a revision on.
type Feed interface {
	From(ctx context.Context, rev int64) clientv3.WatchChan // want From:`watches\(opens rev\(1\) ctx\(0\)\)`
}

// EtcdFeed is the etcd Feed.
type EtcdFeed struct {
	Cli    *clientv3.Client
	Prefix string
}

// From watches the prefix from rev on.
func (f EtcdFeed) From(ctx context.Context, rev int64) clientv3.WatchChan { // want From:`watches\(opens rev\(1\) ctx\(0\)\)`
	return OpenAt(ctx, f.Cli, f.Prefix, rev)
}
