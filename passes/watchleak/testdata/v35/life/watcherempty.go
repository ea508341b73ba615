package life

import (
	"context"
	"errors"
	"log"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// A Watcher holds no stream before its first Watch, and none once every
// watch on it has ended.

type feedStore struct {
	cli *clientv3.Client
}

// Clean: the error path leaves before any Watch; the goroutine that
// watches closes the Watcher.
func (s *feedStore) follow(key string, out chan<- []byte) error {
	w := clientv3.NewWatcher(s.cli)
	first, err := s.cli.Get(context.TODO(), key)
	if err != nil {
		return err
	}
	go func() {
		defer w.Close()
		for _, kv := range first.Kvs {
			out <- kv.Value
		}
		for resp := range w.Watch(context.Background(), key) {
			for _, ev := range resp.Events {
				out <- ev.Kv.Value
			}
		}
	}()
	return nil
}

// Clean: a check that fails before the first Watch.
func watchNamed(cli *clientv3.Client, key string) error {
	w := clientv3.NewWatcher(cli)
	if key == "" {
		return errors.New("empty key")
	}
	defer w.Close()
	<-w.Watch(context.TODO(), key)
	return nil
}

// Still reported: the return comes after the first Watch, whose stream
// stays open on context.TODO().
func watchChecked(cli *clientv3.Client, key string) error {
	w := clientv3.NewWatcher(cli)
	wch := w.Watch(context.TODO(), key)
	if key == "" {
		return errors.New("empty key") // want `watcher from clientv3.NewWatcher \(line \d+\) is neither closed nor handed off on this return path`
	}
	defer w.Close()
	<-wch
	return nil
}

// Clean: never closed, but its one watch runs on a context cancelled when
// the function returns, and the stream shuts down with it.
func waitMember(ctx context.Context, cli *clientv3.Client, key string, out chan<- string) {
	w := clientv3.NewWatcher(cli)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for resp := range w.Watch(wctx, key, clientv3.WithPrefix()) {
		for _, ev := range resp.Events {
			select {
			case out <- string(ev.Kv.Key):
			case <-ctx.Done():
				return
			}
		}
	}
}

// Clean: a watch with a deadline, read once.
func nextChange(cli *clientv3.Client, key string) (int64, error) {
	w := clientv3.NewWatcher(cli)
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, ok := <-w.Watch(tctx, key)
	if !ok {
		return 0, errors.New("watch ended")
	}
	return resp.Header.Revision, resp.Err()
}

// Clean: two watches, each on a context the function cancels.
func watchEither(cli *clientv3.Client, primary bool) {
	w := clientv3.NewWatcher(cli)
	var wctx context.Context
	var cancel context.CancelFunc
	if primary {
		wctx, cancel = context.WithCancel(context.Background())
	} else {
		wctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	}
	defer cancel()
	log.Print(<-w.Watch(wctx, "a"))
}

// Still reported: one of its contexts is context.Background(), whose watch
// keeps the stream open.
func watchEitherForever(cli *clientv3.Client, primary bool) {
	w := clientv3.NewWatcher(cli) // want `watcher from clientv3.NewWatcher is never closed and not handed off`
	wctx := context.Background()
	if primary {
		c, cancel := context.WithCancel(context.Background())
		defer cancel()
		wctx = c
	}
	log.Print(<-w.Watch(wctx, "a"))
}

// Still reported: the second watch runs on context.Background().
func watchTwo(cli *clientv3.Client, key string) {
	w := clientv3.NewWatcher(cli) // want `watcher from clientv3.NewWatcher is never closed and not handed off`
	wctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log.Print(<-w.Watch(wctx, key))
	log.Print(<-w.Watch(context.Background(), key+"/next"))
}

// Still reported: the watch runs on the caller's context, which the
// function does not end.
func watchCallers(ctx context.Context, cli *clientv3.Client, key string) {
	w := clientv3.NewWatcher(cli) // want `watcher from clientv3.NewWatcher is never closed and not handed off`
	for resp := range w.Watch(ctx, key) {
		log.Print(resp.Events)
	}
}
