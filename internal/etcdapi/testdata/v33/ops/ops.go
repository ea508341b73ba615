package ops

import (
	"context"

	"example.com/fixture/lookalike"
	pb "github.com/coreos/etcd/etcdserver/etcdserverpb"
	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
	"github.com/coreos/etcd/clientv3/namespace"
	"github.com/coreos/etcd/embed"
)

func client(ctx context.Context) error {
	cli, err := clientv3.New(clientv3.Config{}) // want `etcd New`
	if err != nil {
		return err
	}
	defer cli.Close() // want `etcd Client.Close`

	cli.Put(ctx, "k", "v")    // want `etcd KV.Put key=1 val=2`
	cli.KV.Put(ctx, "k", "v") // want `etcd KV.Put key=1 val=2`
	cli.Get(ctx, "k")         // want `etcd KV.Get key=1`
	cli.Delete(ctx, "k")      // want `etcd KV.Delete key=1`
	cli.Compact(ctx, 10)      // want `etcd KV.Compact`
	cli.Do(ctx, clientv3.OpPut("k", "v")) // want `etcd KV.Do` `etcd OpPut key=0 val=1`
	cli.Txn(ctx). // want `etcd KV.Txn`
			If(clientv3.Compare(clientv3.Version("k"), "=", 0)). // want `etcd Txn.If`
			Then(clientv3.OpPut("k", "v"), clientv3.OpGet("k")). // want `etcd Txn.Then` `etcd OpPut key=0 val=1` `etcd OpGet key=0`
			Else(clientv3.OpDelete("k")).                        // want `etcd Txn.Else` `etcd OpDelete key=0`
			Commit()                                             // want `etcd Txn.Commit`

	kv := clientv3.NewKV(cli) // want `etcd NewKV`
	kv.Put(ctx, "k", "v")     // want `etcd KV.Put key=1 val=2`
	nkv := namespace.NewKV(cli.KV, "/app/") // want `etcd namespace.NewKV`
	nkv.Put(ctx, "k", "v")                  // want `etcd KV.Put key=1 val=2`

	wch := cli.Watch(ctx, "k") // want `etcd Watcher.Watch key=1 result=watch`
	_ = wch
	w := clientv3.NewWatcher(cli) // want `etcd NewWatcher result=watcher`
	w.Close()                     // want `etcd Watcher.Close recv=watcher`

	lease, _ := cli.Grant(ctx, 10) // want `etcd Lease.Grant`
	ka, _ := cli.KeepAlive(ctx, lease.ID) // want `etcd Lease.KeepAlive result=keepalive`
	_ = ka
	cli.KeepAliveOnce(ctx, lease.ID) // want `etcd Lease.KeepAliveOnce`
	cli.Revoke(ctx, lease.ID)        // want `etcd Lease.Revoke`
	cli.Defragment(ctx, "127.0.0.1:2379") // want `etcd Maintenance.Defragment`
	return nil
}

func sessions(cli *clientv3.Client, ctx context.Context) {
	s, _ := concurrency.NewSession(cli) // want `etcd concurrency.NewSession result=session`
	defer s.Close()                     // want `etcd concurrency.Session.Close recv=session`
	m := concurrency.NewMutex(s, "/lock") // want `etcd concurrency.NewMutex`
	m.Lock(ctx)   // want `etcd concurrency.Mutex.Lock`
	m.Unlock(ctx) // want `etcd concurrency.Mutex.Unlock`
	e := concurrency.NewElection(s, "/elect") // want `etcd concurrency.NewElection`
	e.Campaign(ctx, "me") // want `etcd concurrency.Election.Campaign val=1`
	e.Proclaim(ctx, "me") // want `etcd concurrency.Election.Proclaim val=1`
	_ = e.Observe(ctx)    // want `etcd concurrency.Election.Observe result=observe`
	concurrency.NewSTM(cli, func(stm concurrency.STM) error { // want `etcd concurrency.NewSTM`
		stm.Put("k", "v") // want `etcd concurrency.STM.Put key=0 val=1`
		return nil
	})
}

func raw(ctx context.Context, kvc pb.KVClient) {
	kvc.Put(ctx, &pb.PutRequest{Key: []byte("k"), Value: []byte("v")}) // want `etcd KVClient.Put` `etcd field key` `etcd field value`
}

func server() {
	cfg := embed.NewConfig()                 // want `etcd embed.NewConfig`
	cfg.AutoCompactionMode = "periodic"      // want `etcd config AutoCompactionMode`
	cfg.AutoCompactionRetention = "1h"       // want `etcd config AutoCompactionRetention`
	cfg.SnapCount = 5000                     // want `etcd config SnapshotCount`
	e, _ := embed.StartEtcd(cfg)             // want `etcd embed.StartEtcd result=server`
	e.Close()                                // want `etcd embed.Etcd.Close recv=server`
}

// Look-alikes: same names, other packages. None is etcd.
func lookalikes(ctx context.Context) {
	c, _ := lookalike.New()
	c.Put(ctx, "k", "v")
	c.KV.Put(ctx, "k", "v")
	c.Close()
	_ = &lookalike.PutRequest{Key: []byte("k"), Value: []byte("v")}
	var l localClient
	l.Put(ctx, "k", "v")
	l.Close()
}

type localClient struct{}

func (localClient) Put(ctx context.Context, k, v string) {}
func (localClient) Close()                                 {}
