// Package wholeimpl is a probe.Prober that dials a client on every probe
// and only reads.
package wholeimpl

import (
	"context"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Lister lists a prefix through a client dialled for the call.
type Lister struct {
	Config clientv3.Config
	Prefix string
}

// Probe dials, lists and closes.
func (l *Lister) Probe(ctx context.Context) error {
	cli, err := clientv3.New(l.Config)
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.Get(ctx, l.Prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	return err
}
