package life

import (
	"context"
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/wrap"
)

// A helper returns a Watcher and a watch made on it: the caller's Close of
// the Watcher ends the watch.

type feedTail struct {
	cli  *clientv3.Client
	stop chan struct{}
}

func (t *feedTail) open(key string) (clientv3.Watcher, clientv3.WatchChan) {
	w := clientv3.NewWatcher(t.cli)
	return w, w.Watch(context.Background(), key)
}

// Clean: the Watcher is closed when the loop is left.
func (t *feedTail) run(key string) {
	w, wch := t.open(key)
	defer w.Close()
	for {
		select {
		case <-t.stop:
			return
		case resp := <-wch:
			log.Print(resp.Events)
		}
	}
}

// Clean: a helper in another package, results in the other order.
func follow(s *wrap.Store, stop <-chan struct{}) {
	wch, w := s.Subscribe("jobs/")
	defer w.Close()
	for {
		select {
		case <-stop:
			return
		case resp := <-wch:
			log.Print(resp.Events)
		}
	}
}

// Still reported: the Watcher opened again after etcd cancels the watch is
// not the one the deferred Close holds, and is left open on return.
func (t *feedTail) runAgain(key string) {
	w, wch := t.open(key)
	defer w.Close()
	for {
		select {
		case <-t.stop:
			return
		case resp := <-wch:
			if resp.Canceled {
				w.Close()
				w, wch = t.open(key) // want `watch opened by feedTail.open on context.Background\(\) inside feedTail.open is abandoned`
				continue
			}
			log.Print(resp.Events)
		}
	}
}

// Still reported: the Watcher is never closed, so the watch on
// context.Background() inside it stays open.
func (t *feedTail) runUnclosed(key string) {
	_, wch := t.open(key) // want `watcher from feedTail.open is never closed and not handed off`
	for {
		select {
		case <-t.stop:
			return
		case resp := <-wch:
			log.Print(resp.Events)
		}
	}
}
