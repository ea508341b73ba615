package life

import (
	"context"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// A reconciler that dials a client per member removal through its own
// helper and passes it to another helper that only uses it.
type reconciler struct {
	endpoints []string
}

func (r *reconciler) dial() (*clientv3.Client, error) {
	return clientv3.New(clientv3.Config{Endpoints: r.endpoints})
}

func (r *reconciler) removeWith(ctx context.Context, cli *clientv3.Client, id uint64) error {
	_, err := cli.MemberRemove(ctx, id)
	return err
}

func (r *reconciler) removeMember(ctx context.Context, id uint64) error {
	cli, err := r.dial() // want `etcd client from reconciler.dial is never closed and not handed off`
	if err != nil {
		return err
	}
	return r.removeWith(ctx, cli, id)
}

// Clean: the client is closed after the helper has used it.
func (r *reconciler) removeMemberClosed(ctx context.Context, id uint64) error {
	cli, err := r.dial()
	if err != nil {
		return err
	}
	defer cli.Close()
	return r.removeWith(ctx, cli, id)
}

// Clean: a helper that keeps the client takes it.
type keeper struct {
	reconciler
	kept []*clientv3.Client
}

func (k *keeper) adopt(cli *clientv3.Client) { k.kept = append(k.kept, cli) }

func (k *keeper) add() error {
	cli, err := k.dial()
	if err != nil {
		return err
	}
	k.adopt(cli)
	return nil
}
