package corpus

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// A key-value store whose Put keeps a TTL'd key alive by starting a
// keep-alive and dropping its channel on purpose.
type kvStore struct {
	cli *clientv3.Client
}

func (s *kvStore) Put(key, val string, ttl time.Duration, keep bool) error {
	l := clientv3.NewLease(s.cli)
	g, err := l.Grant(context.Background(), int64(ttl/time.Second))
	if err != nil {
		return err
	}
	if keep {
		_, err = l.KeepAlive(context.Background(), g.ID) // want `keep-alive channel from Lease.KeepAlive on context.Background\(\) is never received from`
		if err != nil {
			return err
		}
	}
	_, err = s.cli.Put(context.Background(), key, val, clientv3.WithLease(g.ID))
	return err
}

// The corrected Put consumes the channel in a goroutine.
func (s *kvStore) PutDrained(key, val string, ttl time.Duration, keep bool) error {
	l := clientv3.NewLease(s.cli)
	g, err := l.Grant(context.Background(), int64(ttl/time.Second))
	if err != nil {
		return err
	}
	if keep {
		ch, err := l.KeepAlive(context.Background(), g.ID)
		if err != nil {
			return err
		}
		go func() {
			for resp := range ch {
				_ = resp
			}
		}()
	}
	_, err = s.cli.Put(context.Background(), key, val, clientv3.WithLease(g.ID))
	return err
}
