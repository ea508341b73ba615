package app

import (
	"context"

	"example.com/fixture/cluster"
)

// Announce registers one endpoint per request.
func Announce(ctx context.Context, eps *cluster.Endpoints, addr string) error {
	return eps.Apply(ctx, []*cluster.Change{{Key: "/svc/api/" + addr, Endpoint: cluster.Endpoint{Addr: addr}}})
}

// Instance is a running instance with its labels.
type Instance struct {
	Name   string
	Addr   string
	Labels map[string]string
}

// AnnounceAll registers every instance in one request.
func AnnounceAll(ctx context.Context, eps *cluster.Endpoints, instances []Instance) error {
	var changes []*cluster.Change
	for _, in := range instances {
		changes = append(changes, &cluster.Change{Key: "/svc/api/" + in.Name, Endpoint: cluster.Endpoint{Addr: in.Addr, Meta: in.Labels}})
	}
	return eps.Apply(ctx, changes) // want `all values written in one etcd request grow with instances \(a slice filled in a loop, with documents\)`
}

// AnnounceChunked registers the instances 64 at a time.
func AnnounceChunked(ctx context.Context, eps *cluster.Endpoints, instances []Instance) error {
	var changes []*cluster.Change
	for _, in := range instances {
		changes = append(changes, &cluster.Change{Key: "/svc/api/" + in.Name, Endpoint: cluster.Endpoint{Addr: in.Addr, Meta: in.Labels}})
		if len(changes) == 64 {
			if err := eps.Apply(ctx, changes); err != nil {
				return err
			}
			changes = nil
		}
	}
	return eps.Apply(ctx, changes)
}
