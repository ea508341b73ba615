// Package sched checks the cluster from functions Kubernetes' wait package
// runs once per period.
package sched

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"k8s.io/apimachinery/pkg/util/wait"
)

// Probe dials, reads and closes on every tick: one connection per period
// for the life of the program, to the same endpoints.
func Probe(cfg clientv3.Config, stop <-chan struct{}) {
	wait.Until(func() {
		cli, err := clientv3.New(cfg) // want `a new etcd client is dialled every time wait.Until runs this function with the same configuration`
		if err != nil {
			return
		}
		defer cli.Close()
		cli.Get(context.TODO(), "health")
	}, 10*time.Second, stop)
}

// Reporter reports the cluster's status.
type Reporter struct {
	cfg clientv3.Config
	cli *clientv3.Client
}

// report dials a client it never closes.
func (r *Reporter) report(ctx context.Context) { // want report:`dials\(leaks params=-1\)`
	cli, err := clientv3.New(r.cfg) // want `a new etcd client is dialled every time wait.UntilWithContext runs this function and never closed`
	if err != nil {
		return
	}
	cli.Status(ctx, r.cfg.Endpoints[0])
}

// Run reports every 30 s through a method value.
func (r *Reporter) Run(ctx context.Context) {
	wait.UntilWithContext(ctx, r.report, 30*time.Second)
}

// reuse reads with the client dialled once.
func (r *Reporter) reuse(ctx context.Context) {
	r.cli.Status(ctx, r.cfg.Endpoints[0])
}

// Keep dials once and reuses the client every period.
func (r *Reporter) Keep(ctx context.Context) error { // want Keep:`dials\(releases params=-1\)`
	cli, err := clientv3.New(r.cfg)
	if err != nil {
		return err
	}
	r.cli = cli
	wait.UntilWithContext(ctx, r.reuse, 30*time.Second)
	return cli.Close()
}
