// Package app re-watches through wrap.
package app

import (
	"context"
	"errors"
	"log"
	"time"

	"example.com/fixture/wrap"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func load(ctx context.Context, cli *clientv3.Client, prefix string) int64 {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix())
	if err != nil {
		return 0
	}
	return resp.Header.Revision
}

// SameRevNoPause retries from the same revision without a pause.
func SameRevNoPause(ctx context.Context, cli *clientv3.Client, prefix string, rev int64) {
	for {
		if err := wrap.Follow(ctx, cli, prefix, rev, nil); err == nil { // want `re-opens the watch from the same revision as soon as it ends, without a pause`
			return
		}
	}
}

// ReloadNoPause reloads after a compaction but never pauses.
func ReloadNoPause(ctx context.Context, cli *clientv3.Client, prefix string, rev int64) {
	for {
		err := wrap.Follow(ctx, cli, prefix, rev, nil) // want `re-opens the watch as soon as it ends, without a pause`
		if err == nil {
			return
		}
		if errors.Is(err, rpctypes.ErrCompacted) {
			rev = load(ctx, cli, prefix)
		}
		log.Print(err)
	}
}

// CleanReloadCooldown reloads after a compaction and cools down.
func CleanReloadCooldown(ctx context.Context, cli *clientv3.Client, prefix string, rev int64) {
	for {
		err := wrap.Follow(ctx, cli, prefix, rev, nil)
		if err == nil {
			return
		}
		if errors.Is(err, rpctypes.ErrCompacted) {
			rev = load(ctx, cli, prefix)
		}
		wrap.Cooldown(ctx, time.Second)
	}
}

// ThroughInterface retries through an interface, without a pause.
func ThroughInterface(ctx context.Context, src wrap.Source) {
	var rev int64
	for !src.Follow(ctx, rev) { // want `re-opens the watch as soon as it ends, without a pause`
		rev = time.Now().Unix()
	}
}

// CleanThroughInterface waits between attempts.
func CleanThroughInterface(ctx context.Context, src wrap.Source, rev int64) {
	for !src.Follow(ctx, rev) {
		if errors.Is(ctx.Err(), context.Canceled) {
			return
		}
		wrap.Quick(time.Second)
		rev = time.Now().Unix()
	}
}

// SpinHelperChan reads a helper's watch without ok.
func SpinHelperChan(ctx context.Context, cli *clientv3.Client, stop <-chan struct{}) {
	wch := wrap.OpenAt(ctx, cli, "/svc", 0)
	for {
		select {
		case resp := <-wch: // want `receive from a watch channel without the ", ok" form`
			log.Print(len(resp.Events))
		case <-stop:
			return
		}
	}
}

// CleanSettle re-watches from a fresh revision after Settle's pause.
func CleanSettle(ctx context.Context, cli *clientv3.Client, prefix string) {
	var rev int64
	for ctx.Err() == nil {
		_ = wrap.Follow(ctx, cli, prefix, rev, nil)
		rev = wrap.Settle(ctx, cli, prefix, time.Second)
	}
}

// NapOnly re-watches from a fresh revision after a nap too short to count.
func NapOnly(ctx context.Context, cli *clientv3.Client, prefix string) {
	var rev int64
	for ctx.Err() == nil {
		_ = wrap.Follow(ctx, cli, prefix, rev, nil) // want `re-opens the watch as soon as it ends, without a pause`
		rev = wrap.Nap(ctx, cli, prefix)
	}
}

// Pacer spaces out the app's retries; the one it is given is another
// package's (wrap.EtcdPacer).
type Pacer interface {
	Pace(ctx context.Context) // want Pace:`watches\(pauses\)`
}

// CleanPaced re-watches after a pause: every Pacer the app sees pauses.
func CleanPaced(ctx context.Context, cli *clientv3.Client, p Pacer, prefix string) {
	for ctx.Err() == nil {
		_ = wrap.Follow(ctx, cli, prefix, 0, nil)
		p.Pace(ctx)
	}
}

// Spacer spaces out retries too: wrap.EtcdPacer is one, and the app's
// own noSpace, which does not wait, is another.
type Spacer interface {
	Space(ctx context.Context)
}

type noSpace struct{}

func (noSpace) Space(context.Context) {}

// SpinSpaced re-watches at once when it is given noSpace.
func SpinSpaced(ctx context.Context, cli *clientv3.Client, s Spacer, prefix string) {
	for ctx.Err() == nil {
		_ = wrap.Follow(ctx, cli, prefix, 0, nil) // want `re-opens the watch as soon as it ends, without a pause`
		s.Space(ctx)
	}
}
