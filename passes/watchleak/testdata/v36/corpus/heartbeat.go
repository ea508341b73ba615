package corpus

import (
	"context"
	"log"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// A cron node's heartbeat that waits for the first keep-alive response and
// then forgets the channel while the lease keeps being renewed.
type node struct {
	cli *clientv3.Client
	ttl int64
}

func (n *node) grant(id string) (clientv3.LeaseID, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	g, err := n.cli.Grant(ctx, n.ttl)
	if err != nil {
		return 0, err
	}
	_, err = n.cli.Put(ctx, id, id, clientv3.WithLease(g.ID))
	return g.ID, err
}

func (n *node) Heartbeat(id string) {
	lease, err := n.grant(id)
	if err != nil {
		log.Printf("grant: %v", err)
		return
	}
	ch, err := n.cli.KeepAlive(context.Background(), lease) // want `keep-alive channel from Lease.KeepAlive on context.Background\(\) is received from only once and then abandoned`
	if err != nil {
		log.Printf("keepalive: %v", err)
		return
	}
	select {
	case resp := <-ch:
		if resp == nil {
			log.Print("keepalive closed")
		}
	case <-time.After(5 * time.Second):
		log.Print("keepalive timeout")
	}
}

// The corrected heartbeat keeps reading in a goroutine and starts over when
// the channel closes.
func (n *node) HeartbeatDrained(id string) {
	lease, err := n.grant(id)
	if err != nil {
		log.Printf("grant: %v", err)
		return
	}
	ch, err := n.cli.KeepAlive(context.Background(), lease)
	if err != nil {
		log.Printf("keepalive: %v", err)
		return
	}
	go func() {
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					n.HeartbeatDrained(id)
					return
				}
			case <-time.After(5 * time.Second):
				log.Print("keepalive timeout")
				return
			}
		}
	}()
}
