package a

import (
	"context"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// announcer re-registers its address whenever the key it put with a lease
// has disappeared.
type announcer struct {
	cli  *clientv3.Client
	ttl  int64
	quit chan struct{}
}

func (a *announcer) newLease() (clientv3.LeaseID, error) { // want newLease:`grants\(result=0\)`
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	g, err := a.cli.Grant(ctx, a.ttl)
	if err != nil {
		return 0, err
	}
	return g.ID, nil
}

// watchdog grants only when the key is gone, that is once the lease it was
// put with has expired, and writes it back on a live context: one lease at
// a time.
func (a *announcer) watchdog(key, addr string) {
	for {
		select {
		case <-a.quit:
			return
		case <-time.After(5 * time.Second):
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		resp, err := a.cli.Get(ctx, key)
		if err != nil {
			cancel()
			continue
		}
		if len(resp.Kvs) == 0 {
			id, err := a.newLease()
			if err != nil {
				cancel()
				continue
			}
			a.cli.Put(ctx, key, addr, clientv3.WithLease(id))
		}
		cancel()
	}
}

// heal does the same with the check written the other way round, the Get
// run by a goroutine the loop waits for, on the loop's own context.
func heal(ctx context.Context, cli *clientv3.Client, addr string) {
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for range tick.C {
		var resp *clientv3.GetResponse
		var err error
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err = cli.Get(ctx, "/members/self", clientv3.WithCountOnly())
		}()
		wg.Wait()
		if err != nil || resp.Count > 0 {
			continue
		}
		g, err := cli.Grant(ctx, 15)
		if err != nil {
			continue
		}
		cli.Put(ctx, "/members/self", addr, clientv3.WithLease(g.ID))
	}
}

// rejoin checks the key inside a goroutine that makes the context, and
// cancels it when it returns; the Put then runs on that cancelled context,
// fails, the key never comes back and every tick grants another lease.
func (a *announcer) rejoin(key, addr string) {
	var (
		ctx    context.Context
		cancel context.CancelFunc
		resp   *clientv3.GetResponse
		err    error
		wg     sync.WaitGroup
	)
	for {
		select {
		case <-a.quit:
			return
		case <-time.After(3 * time.Second):
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel = context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			resp, err = a.cli.Get(ctx, key)
		}()
		wg.Wait()
		if err != nil || len(resp.Kvs) != 0 {
			continue
		}
		id, err := a.newLease() // want `announcer.newLease grants a new lease on every call and this call runs on every iteration of this loop`
		if err != nil {
			continue
		}
		a.cli.Put(ctx, key, addr, clientv3.WithLease(id))
	}
}

// recheck grants whenever another key is missing: the key it writes is
// never checked, so every pass that finds the flag key absent grants again.
func recheck(ctx context.Context, cli *clientv3.Client, addr string) {
	for {
		time.Sleep(5 * time.Second)
		resp, err := cli.Get(ctx, "/flags/maintenance")
		if err != nil || len(resp.Kvs) > 0 {
			continue
		}
		g, err := cli.Grant(ctx, 30) // want `a new lease is granted on every iteration of this loop, writing the same key\(s\) with it each time`
		if err != nil {
			continue
		}
		cli.Put(ctx, "/nodes/"+addr, "up", clientv3.WithLease(g.ID))
	}
}
