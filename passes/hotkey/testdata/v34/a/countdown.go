package a

// Counted loops are bounded by how many times they run, whichever way
// they count: -max-bound (10) is a number of writes.

import (
	"context"
	"strconv"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Countdown writes the same key twenty times, counting down.
func Countdown(ctx context.Context, cli *clientv3.Client) {
	for i := 20; i > 0; i-- {
		cli.Put(ctx, "/countdown/step", strconv.Itoa(i)) // want `etcd key "/countdown/step" is rewritten once per element of this loop`
	}
}

// Inclusive writes the same key eleven times: 0 to 10 inclusive.
func Inclusive(ctx context.Context, cli *clientv3.Client) {
	for n := 0; n <= 10; n++ {
		cli.Put(ctx, "/inclusive/step", strconv.Itoa(n)) // want `etcd key "/inclusive/step" is rewritten once per element of this loop`
	}
}

// FewDown counts down from three: three writes, a small constant bound.
func FewDown(ctx context.Context, cli *clientv3.Client) { // want FewDown:`rewrites\("/countdown/few"\) params\(\)`
	for i := 3; i > 0; i-- {
		cli.Put(ctx, "/countdown/few", strconv.Itoa(i))
	}
}

// Offset counts from 5 to 11: seven writes, under the bound although the
// loop tests against 12.
func Offset(ctx context.Context, cli *clientv3.Client) { // want Offset:`rewrites\("/offset"\) params\(\)`
	for attempt := 5; attempt < 12; attempt++ {
		cli.Put(ctx, "/offset", strconv.Itoa(attempt))
	}
}
