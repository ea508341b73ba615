package a

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/lifecycle"
)

// resync reads the prefix again and returns the revision to watch from.
func resync(ctx context.Context, cli *clientv3.Client) int64 {
	resp, err := cli.Get(ctx, "/cfg", clientv3.WithPrefix())
	if err != nil {
		return -1
	}
	return resp.Header.Revision
}

// CleanCloserRewatch follows the prefix from a revision. After a
// compaction it reads the prefix again and re-watches; it returns only
// when its closer is closed, which is the component stopping, not the
// watch lost.
func CleanCloserRewatch(cl *lifecycle.Closer, cli *clientv3.Client, rev int64) { // want CleanCloserRewatch:`watches\(until rev\(2\)\)`
outer:
	for {
		select {
		case <-cl.CloseNotify():
			return
		default:
		}
		if rev < 0 {
			rev = resync(cl.Ctx(), cli)
			continue
		}
		for resp := range cli.Watch(cl.Ctx(), "/cfg", clientv3.WithPrefix(), clientv3.WithRev(rev+1)) {
			if resp.Err() != nil {
				rev = -1
				continue outer
			}
			rev = resp.Header.Revision
			apply(resp.Events)
		}
		rev = -1
	}
}

// follower follows the prefix until stop is closed.
type follower struct {
	cli  *clientv3.Client
	rev  int64
	stop chan struct{}
}

// CleanStopChan returns when stop is closed; a compaction ends the watch,
// which is read again from a fresh revision after a pause.
func (f *follower) CleanStopChan(ctx context.Context) { // want CleanStopChan:`watches\(until rev\(-1\)\)`
	for {
		wch := f.cli.Watch(ctx, "/cfg", clientv3.WithPrefix(), clientv3.WithRev(f.rev+1))
	watch:
		for {
			select {
			case <-f.stop:
				return
			case resp, ok := <-wch:
				if !ok || resp.Err() != nil {
					select {
					case <-f.stop:
						return
					case <-time.After(time.Second):
					}
					f.rev = resync(ctx, f.cli)
					break watch
				}
				f.rev = resp.Header.Revision
				apply(resp.Events)
			}
		}
	}
}

// StopChanSilent has a stop channel too, but when etcd cancels the watch
// (a compacted revision) it returns as if stopped: nothing follows the
// keys any more.
func (f *follower) StopChanSilent(ctx context.Context) { // want StopChanSilent:`watches\(until rev\(-1\)\)`
	wch := f.cli.Watch(ctx, "/cfg", clientv3.WithPrefix(), clientv3.WithRev(f.rev+1))
	for {
		select {
		case <-f.stop:
			return
		case resp, ok := <-wch:
			if !ok {
				return // want `WithRev once that revision is compacted`
			}
			apply(resp.Events)
		}
	}
}
