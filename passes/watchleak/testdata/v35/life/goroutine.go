package life

import (
	"context"
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// A goroutine per subscription that can only end when a watch on
// context.TODO() closes, which it never does.
type hub struct {
	cli *clientv3.Client
	ctx context.Context
}

func (h *hub) Subscribe(key string, fn func(clientv3.WatchResponse)) {
	go func() { // want `goroutine receives from a watch opened by Watcher.Watch on context.TODO\(\) until the watch closes, which it never does: every call of Subscribe leaves one more goroutine`
		for resp := range h.cli.Watch(context.TODO(), key) {
			fn(resp)
		}
	}()
}

// Clean: the goroutine's watch ends with the hub's context.
func (h *hub) SubscribeOwned(key string, fn func(clientv3.WatchResponse)) {
	go func() {
		for resp := range h.cli.Watch(h.ctx, key) {
			fn(resp)
		}
	}()
}

// Clean: the goroutine's watch ends with the caller's context.
func (h *hub) SubscribeCaller(ctx context.Context, key string) {
	wch := h.cli.Watch(ctx, key)
	go func() {
		for resp := range wch {
			log.Print(resp.Events)
		}
	}()
}

// Clean: a function whose own loop never ends is the body its caller runs
// as a goroutine; the caller decides how often.
func (h *hub) run(key string) {
	for resp := range h.cli.Watch(context.Background(), key) {
		log.Print(resp.Events)
	}
}
