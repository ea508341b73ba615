// Package setapp publishes the status of every component on a timer.
package setapp

import (
	"context"
	"strconv"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"

	"example.com/fixture/setwrap"
)

// Publisher writes each component's status under its own key.
type Publisher struct {
	reg    *setwrap.Registry
	store  setwrap.Store
	prefix string
	cli    *clientv3.Client
	cache  map[string]string
	dirty  map[string]string
	done   chan struct{}
}

func (p *Publisher) keyOf(name string) string { return p.prefix + name + "/status" }

func (p *Publisher) run() {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.publish() // want `the same set of etcd keys \(every key of a map filled from an unchanging collection\) is rewritten every 10s by this loop \(through Publisher.publish\)`
		case <-p.done:
			return
		}
	}
}

func (p *Publisher) publish() { // want publish:`rewrites\("…"\) params\(-1\) set`
	statuses := map[string]string{}
	p.reg.EachComponent(func(c *setwrap.Component) bool {
		statuses[c.Name()] = c.Status()
		return true
	})
	p.push(statuses)
}

func (p *Publisher) push(statuses map[string]string) { // want push:`rewrites\("…"\) params\(-1\) maps\(0\) set`
	batch := make(map[string]string, len(statuses))
	for name, st := range statuses {
		batch[p.keyOf(name)] = st
	}
	_ = p.store.PublishAll(batch)
}

// A direct range over a map the loop does not change.
func (p *Publisher) mirror(ctx context.Context) {
	for range time.Tick(time.Minute) {
		for k, v := range p.cache {
			p.cli.Put(ctx, k, v) // want `the same set of etcd keys .* is rewritten every 1m0s by this loop`
		}
	}
}

// Not reported: the keys change with every tick.
func (p *Publisher) stamped() {
	t := time.NewTicker(10 * time.Second)
	for now := range t.C {
		batch := map[string]string{}
		p.reg.EachComponent(func(c *setwrap.Component) bool {
			batch[c.Name()+"/"+strconv.FormatInt(now.Unix(), 10)] = c.Status()
			return true
		})
		_ = p.store.PublishAll(batch)
	}
}

// Not reported: the map holds the entries changed since the last tick and
// is drained as they are written.
func (p *Publisher) flush(ctx context.Context) {
	for range time.Tick(time.Second) {
		for k, v := range p.dirty {
			p.cli.Put(ctx, k, v)
			delete(p.dirty, k)
		}
	}
}

// Not reported: the keys come from events, not from a walk.
func (p *Publisher) onEvents(events <-chan string) {
	t := time.NewTicker(10 * time.Second)
	for range t.C {
		batch := map[string]string{}
		for len(events) > 0 {
			batch[<-events] = "seen"
		}
		_ = p.store.PublishAll(batch)
	}
}

// Not reported: only the entries whose value changed are written.
func (p *Publisher) changedOnly(last map[string]string) {
	t := time.NewTicker(10 * time.Second)
	for range t.C {
		statuses := map[string]string{}
		p.reg.EachComponent(func(c *setwrap.Component) bool {
			statuses[c.Name()] = c.Status()
			return true
		})
		_ = p.store.(interface {
			Changed(entries, last map[string]string) error
		}).Changed(statuses, last)
		last = statuses
	}
}
