// Package monitor probes backends on a timer through probe.Prober; the
// probes it is given dial etcd (package etcdprobe).
package monitor

import (
	"context"
	"log"
	"time"

	"example.com/fixture/etcdprobe"
	"example.com/fixture/probe"
)

// Every probes p on every tick.
func Every(ctx context.Context, p probe.Prober, d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := p.Probe(ctx); err != nil { // want `Prober.Probe dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
			log.Print(err)
		}
	}
}

// Each probes p once for each of names.
func Each(ctx context.Context, p probe.Prober, names []string) {
	for _, n := range names {
		if err := p.Probe(ctx); err != nil { // want `Prober.Probe dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
			log.Print(n, err)
		}
	}
}

// All probes each backend once, in a goroutine per backend.
func All(ctx context.Context, ps []probe.Prober) {
	for _, p := range ps {
		go func() {
			p.Probe(ctx)
		}()
	}
}

// Start wires the etcd probes.
func Start(ctx context.Context, endpoints []string) {
	go Every(ctx, &etcdprobe.Reader{Endpoints: endpoints, Key: "health"}, 10*time.Second)
	go Every(ctx, etcdprobe.Status{Endpoint: endpoints[0]}, time.Minute)
}

// Negatives.

// Kept probes through an implementation that keeps its client.
func Kept(ctx context.Context, c etcdprobe.Checker, d time.Duration) {
	for range time.Tick(d) {
		c.Check(ctx)
	}
}

// Once probes once.
func Once(ctx context.Context, p probe.Prober) error { // want Once:`dials\(releases params=1\)`
	return p.Probe(ctx)
}
