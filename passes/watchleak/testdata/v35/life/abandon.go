package life

import (
	"context"
	"log"
	"sync"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Leaving a loop over a watch on context.Background() once the value
// shows up: the watch stays open after the function returns.
func waitFor(cli *clientv3.Client, key, want string) {
	for resp := range cli.Watch(context.Background(), key) { // want `watch opened by Watcher.Watch on context.Background\(\) is abandoned when the loop receiving from it is left: it is never cancelled`
		for _, ev := range resp.Events {
			if string(ev.Kv.Value) == want {
				return
			}
		}
	}
}

// The same on a struct's long-lived context, left with break.
type follower struct {
	cli *clientv3.Client
	ctx context.Context
}

func (f *follower) firstDelete(prefix string) string {
	var key string
	for resp := range f.cli.Watch(f.ctx, prefix, clientv3.WithPrefix()) { // want `watch opened by Watcher.Watch on a long-lived context held in a struct field is abandoned when the loop receiving from it is left`
		if len(resp.Events) > 0 && resp.Events[0].Type == clientv3.EventTypeDelete {
			key = string(resp.Events[0].Kv.Key)
			break
		}
	}
	return key
}

// A watch on the caller's context whose loop stops on a context the
// function made for it: stopping the loop leaves the watch open for as
// long as the caller's context lives.
type subscriptions struct {
	cli   *clientv3.Client
	mu    sync.Mutex
	stops map[string]context.CancelFunc
}

func (s *subscriptions) Subscribe(ctx context.Context, key string, fn func([]byte)) {
	loopCtx, stop := context.WithCancel(context.Background())
	s.mu.Lock()
	s.stops[key] = stop
	s.mu.Unlock()
	wch := s.cli.Watch(ctx, key) // want `watch opened by Watcher.Watch on the caller's context \(ctx\) is abandoned when the loop stops on another context's Done`
	go func() {
		for {
			select {
			case <-loopCtx.Done():
				return
			case resp, ok := <-wch:
				if !ok {
					return
				}
				for _, ev := range resp.Events {
					fn(ev.Kv.Value)
				}
			}
		}
	}()
}

func (s *subscriptions) Unsubscribe(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stops[key]()
	delete(s.stops, key)
}

// Leaving on a stop channel abandons a watch on context.Background().
func mirror(cli *clientv3.Client, key string, stop <-chan struct{}, out chan<- []byte) {
	wch := cli.Watch(context.Background(), key) // want `watch opened by Watcher.Watch on context.Background\(\) is abandoned when the loop receiving from it is left`
	for {
		select {
		case <-stop:
			return
		case resp := <-wch:
			for _, ev := range resp.Events {
				out <- ev.Kv.Value
			}
		}
	}
}

// Clean: the watch's context is derived from the one that stops the loop.
func (s *subscriptions) SubscribeDerived(ctx context.Context, key string, fn func([]byte)) {
	loopCtx, stop := context.WithCancel(ctx)
	s.mu.Lock()
	s.stops[key] = stop
	s.mu.Unlock()
	wch := s.cli.Watch(loopCtx, key)
	go func() {
		for {
			select {
			case <-loopCtx.Done():
				return
			case resp, ok := <-wch:
				if !ok {
					return
				}
				for _, ev := range resp.Events {
					fn(ev.Kv.Value)
				}
			}
		}
	}()
}

// Clean: the function cancels the watch when it leaves the loop.
func waitForCancelled(cli *clientv3.Client, key, want string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for resp := range cli.Watch(ctx, key) {
		for _, ev := range resp.Events {
			if string(ev.Kv.Value) == want {
				return
			}
		}
	}
}

// Clean: the loop is left only once etcd has ended the watch (an error
// response, such as a compaction, is followed by the channel closing).
func followUntilError(cli *clientv3.Client, key string) error {
	for resp := range cli.Watch(context.Background(), key) {
		if err := resp.Err(); err != nil {
			return err
		}
		if resp.Canceled {
			return nil
		}
		log.Print(resp.Events)
	}
	return nil
}

// Clean: the caller's context, left on the caller's own Done.
func followCaller(ctx context.Context, cli *clientv3.Client, key string) {
	wch := cli.Watch(ctx, key)
	for {
		select {
		case <-ctx.Done():
			return
		case resp := <-wch:
			log.Print(resp.Events)
		}
	}
}
