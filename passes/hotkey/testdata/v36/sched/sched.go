// Package sched writes etcd keys from work that Kubernetes' wait package
// runs once per period.
package sched

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"k8s.io/apimachinery/pkg/util/wait"
)

// Heartbeat rewrites the node's status key every 10 s.
func Heartbeat(cli *clientv3.Client, stop <-chan struct{}) {
	wait.Until(func() {
		cli.Put(context.TODO(), "/status/node", time.Now().String()) // want `etcd key "/status/node" is rewritten every 10s by this callback, which wait.Until runs once per period`
	}, 10*time.Second, stop)
}

// Reporter publishes its member's load.
type Reporter struct {
	cli  *clientv3.Client
	name string
	load func() string
}

func (r *Reporter) publish(ctx context.Context) { // want publish:`rewrites\("/load/…"\) params\(-1\)`
	r.cli.Put(ctx, "/load/"+r.name, r.load())
}

// Run hands the method value to the scheduler: the receiver is bound once,
// so every run writes the same key.
func (r *Reporter) Run(ctx context.Context) {
	wait.UntilWithContext(ctx, r.publish, 5*time.Second) // want `etcd key "/load/…" is rewritten every 5s by this wait.UntilWithContext \(through Reporter.publish\)`
}

func touch() { // want touch:`rewrites\("/alive"\) params\(\)`
	cli.Put(context.Background(), "/alive", "1")
}

var cli *clientv3.Client

// Forever runs a named function with jitter.
func Forever(stop <-chan struct{}) {
	wait.JitterUntil(touch, time.Minute, 0.1, true, stop) // want `etcd key "/alive" is rewritten every 1m0s by this wait.JitterUntil \(through sched.touch\)`
}

// OnChange writes only when the value changed since the last run.
func OnChange(cli *clientv3.Client, stop <-chan struct{}, current func() string) {
	last := ""
	wait.Until(func() {
		v := current()
		if v == last {
			return
		}
		last = v
		cli.Put(context.TODO(), "/config/current", v)
	}, 10*time.Second, stop)
}

// PerRun writes a new key on every run.
func PerRun(cli *clientv3.Client, stop <-chan struct{}) {
	wait.Until(func() {
		cli.Put(context.TODO(), "/events/"+time.Now().Format(time.RFC3339Nano), "tick")
	}, 10*time.Second, stop)
}

// WaitReady polls until the key is there: wait's Poll functions stop once
// the condition holds, a retry rather than a period.
func WaitReady(ctx context.Context, cli *clientv3.Client) error {
	return wait.PollUntilContextCancel(ctx, time.Second, true, func(ctx context.Context) (bool, error) {
		resp, err := cli.Get(ctx, "/ready")
		return err == nil && resp.Count > 0, nil
	})
}
