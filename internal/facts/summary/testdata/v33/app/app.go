package app

import (
	"context"

	"example.com/fixture/wrap"
	clientv3 "github.com/coreos/etcd/clientv3"
)

type status struct{ Pipelines map[string]int }

// Publish goes through the interface in another package.
func Publish(st wrap.Store, name string, s status) error { // want Publish:`key\(0,1\) value\(2\)`
	return st.Save("/status/"+name, s)
}

// Closer hands its release on to wrap.Stop through a closure.
func KeepAlive(cli *clientv3.Client, id clientv3.LeaseID) { // want KeepAlive:`releases\(0\)`
	ch, _ := cli.KeepAlive(context.Background(), id)
	go wrap.Drain(ch)
	defer cli.Close()
}

type local struct{}

// Put on a look-alike type is not etcd.
func (local) Put(key, val string) {}

func UseLocal(l local, k, v string) { l.Put(k, v) }

// WatchPair returns a watch with the Watcher it is made on: closing that
// result ends the watch.
func WatchPair(cli *clientv3.Client, key string) (clientv3.Watcher, clientv3.WatchChan) { // want WatchPair:`returns\(0:watcher\) returns\(1:watch@forever on 0\)`
	w := clientv3.NewWatcher(cli)
	return w, w.Watch(context.Background(), key)
}
