package life

import (
	"context"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

var errLeaseLost = errors.New("lease lost")

// heartbeat keeps one lease alive through the Lease interface, never
// asking why the channel closed.
func heartbeat(lease clientv3.Lease, id clientv3.LeaseID) error {
	for {
		ka, err := lease.KeepAlive(context.Background(), id) // want `keep-alive from Lease.KeepAlive is opened again on the same lease`
		if err != nil {
			return err
		}
		for resp := range ka {
			_ = resp.TTL
		}
	}
}

// pinger waits on its context and the channel; when the channel closes it
// goes round and opens another keep-alive for the same lease.
func pinger(ctx context.Context, cli *clientv3.Client, id clientv3.LeaseID) error {
	for ctx.Err() == nil {
		ka, err := cli.KeepAlive(ctx, id) // want `keep-alive from Lease.KeepAlive is opened again on the same lease`
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
	recv:
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case _, ok := <-ka:
				if !ok {
					break recv
				}
			}
		}
	}
	return ctx.Err()
}

// guard renews on a fresh deadline each round and cancels it, yet comes
// round to the same lease whatever closed the channel.
type guard struct {
	cli  *clientv3.Client
	stop chan struct{}
}

func (g *guard) run(grant *clientv3.LeaseGrantResponse) {
	go func() {
		for {
			select {
			case <-g.stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			ka, err := g.cli.KeepAlive(ctx, grant.ID) // want `keep-alive from Lease.KeepAlive is opened again on the same lease`
			if err != nil {
				cancel()
				return
			}
			for range ka {
			}
			cancel()
		}
	}()
}

// Clean: a closed channel means a new lease: the loop grants one.
func regrant(ctx context.Context, cli *clientv3.Client, key string) error {
	for ctx.Err() == nil {
		g, err := cli.Grant(ctx, 10)
		if err != nil {
			return err
		}
		if _, err := cli.Put(ctx, key, "up", clientv3.WithLease(g.ID)); err != nil {
			return err
		}
		ka, err := cli.KeepAlive(ctx, g.ID)
		if err != nil {
			return err
		}
		for range ka {
		}
	}
	return ctx.Err()
}

// Clean: after the channel closes the loop asks etcd whether the lease
// still lives and stops when it does not.
func checked(ctx context.Context, cli *clientv3.Client, id clientv3.LeaseID) error {
	for ctx.Err() == nil {
		ka, err := cli.KeepAlive(ctx, id)
		if err != nil {
			return err
		}
		for range ka {
		}
		ttl, err := cli.TimeToLive(ctx, id)
		if err != nil {
			return err
		}
		if ttl.TTL <= 0 {
			return errLeaseLost
		}
	}
	return ctx.Err()
}

// Clean: a keep-alive that closed without a single response was on a lease
// already gone; the loop stops there.
func lastSeen(ctx context.Context, cli *clientv3.Client, id clientv3.LeaseID) error {
	for ctx.Err() == nil {
		ka, err := cli.KeepAlive(ctx, id)
		if err != nil {
			return err
		}
		var last *clientv3.LeaseKeepAliveResponse
		for resp := range ka {
			last = resp
		}
		if last == nil {
			return errLeaseLost
		}
	}
	return ctx.Err()
}

// Clean: the channel's close ends the function.
func untilLost(ctx context.Context, cli *clientv3.Client, id clientv3.LeaseID) error {
	ka, err := cli.KeepAlive(ctx, id)
	if err != nil {
		return err
	}
	for range ka {
	}
	return errLeaseLost
}

// Clean: the lease the loop renews is replaced by a helper that grants
// anew; the loop reads it from the owner each time.
type owner struct {
	cli *clientv3.Client
	id  clientv3.LeaseID
}

func (o *owner) regrant(ctx context.Context) error {
	g, err := o.cli.Grant(ctx, 10)
	if err != nil {
		return err
	}
	o.id = g.ID
	return nil
}

func (o *owner) keep(ctx context.Context) error {
	for ctx.Err() == nil {
		ka, err := o.cli.KeepAlive(ctx, o.id)
		if err != nil {
			return err
		}
		for range ka {
		}
		if err := o.regrant(ctx); err != nil {
			return err
		}
	}
	return ctx.Err()
}
