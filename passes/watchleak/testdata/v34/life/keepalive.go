package life

import (
	"context"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// A registration that keeps its lease alive on the caller's context and
// throws the channel away.
type registration struct {
	cli *clientv3.Client
}

func (r *registration) Register(ctx context.Context, key, val string) error {
	g, err := r.cli.Grant(ctx, 10)
	if err != nil {
		return err
	}
	if _, err := r.cli.Put(ctx, key, val, clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	_, err = r.cli.KeepAlive(ctx, g.ID) // want `keep-alive channel from Lease.KeepAlive on the caller's context \(ctx\) is never received from`
	return err
}

// Clean: the function revokes the lease before it returns.
func (r *registration) Probe(ctx context.Context, key string) error {
	g, err := r.cli.Grant(ctx, 5)
	if err != nil {
		return err
	}
	defer r.cli.Revoke(context.Background(), g.ID)
	if _, err := r.cli.KeepAlive(ctx, g.ID); err != nil {
		return err
	}
	_, err = r.cli.Put(ctx, key, "probe", clientv3.WithLease(g.ID))
	return err
}

// Clean: the function cancels the keep-alive's context before it returns.
func (r *registration) Hold(ctx context.Context, id clientv3.LeaseID, work func() error) error {
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := r.cli.KeepAlive(kctx, id); err != nil {
		return err
	}
	return work()
}

// Clean: the channel is handed to the caller.
func (r *registration) Start(ctx context.Context, id clientv3.LeaseID) (<-chan *clientv3.LeaseKeepAliveResponse, error) {
	return r.cli.KeepAlive(ctx, id)
}
