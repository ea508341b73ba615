package monitor

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Health checks the cluster on a timer it re-arms after every check.
type Health struct {
	cfg   clientv3.Config
	timer *time.Timer
	cli   *clientv3.Client
}

func (h *Health) check() { // want check:`dials\(releases params=-1\)`
	cli, err := clientv3.New(h.cfg) // want `a new etcd client is dialled every time time.AfterFunc runs this function \(it re-arms its own timer\) with the same configuration`
	if err == nil {
		cli.Get(context.TODO(), "health")
		cli.Close()
	}
	h.timer.Reset(10 * time.Second)
}

// Start runs check now and then every 10 s.
func (h *Health) Start() {
	h.timer = time.AfterFunc(0, h.check)
}

func (h *Health) warm() { // want warm:`dials\(releases params=-1\)`
	cli, err := clientv3.New(h.cfg)
	if err == nil {
		h.cli = cli
	}
}

// Warm dials once, a little after start: nothing re-arms the timer.
func (h *Health) Warm() {
	h.timer = time.AfterFunc(time.Second, h.warm)
}

func (h *Health) lazy() {
	if h.cli == nil {
		cli, err := clientv3.New(h.cfg)
		if err != nil {
			return
		}
		h.cli = cli
	}
	h.cli.Get(context.TODO(), "health")
	h.timer.Reset(10 * time.Second)
}

// Lazy re-arms a check that dials only while it holds no client.
func (h *Health) Lazy() {
	h.timer = time.AfterFunc(0, h.lazy)
}
