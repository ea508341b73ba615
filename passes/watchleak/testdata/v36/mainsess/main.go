// Command mainsess holds a lock for the life of the process. Its client
// and watcher end with the process; its session's lease does not: it
// outlives the process by its TTL.
package main

import (
	"context"
	"log"
	"os"
	"os/signal"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

func main() {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}})
	if err != nil {
		log.Fatal(err)
	}
	s, err := concurrency.NewSession(cli, concurrency.WithTTL(30)) // want `session from concurrency.NewSession is never closed and the key of Mutex.Lock can still be held when this function returns: the process ends, but etcd keeps the session.s lease`
	if err != nil {
		log.Fatal(err)
	}
	m := concurrency.NewMutex(s, "/singleton")
	if err := m.Lock(context.TODO()); err != nil {
		log.Fatal(err)
	}
	w := clientv3.NewWatcher(cli)
	go func() {
		for resp := range w.Watch(context.Background(), "/config") {
			log.Print(resp.Events)
		}
	}()
	for _, k := range os.Args[1:] {
		<-cli.Watch(context.Background(), k) // want `watch opened by Watcher.Watch on context.Background\(\) in a loop is never cancelled`
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}
