package app

import (
	"example.com/fixture/wrap"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Retries beats fifteen times, counting its attempts down: fifteen writes
// of one key through the application's wrapper.
func Retries(cli *clientv3.Client) {
	for left := 15; left > 0; left-- {
		wrap.Beat(cli, "self") // want `etcd key "/members/.*/heartbeat" is rewritten once per element of this loop \(through wrap.Beat\)`
	}
}

// Drain touches its key from a goroutine until a countdown of twelve runs
// out.
func Drain(cli *clientv3.Client) {
	go func() {
		for i := 12; i >= 1; i-- {
			wrap.Touch(cli) // want `etcd key "/app/last-seen" is rewritten once per element of this loop \(through wrap.Touch\)`
		}
	}()
}

// Settle touches its key three times, counting down: a small constant
// bound, one write per call as far as a caller's loop is concerned.
func Settle(cli *clientv3.Client) { // want Settle:`rewrites\("/app/last-seen"\) params\(\)`
	for left := 3; left > 0; left-- {
		wrap.Touch(cli)
	}
}
