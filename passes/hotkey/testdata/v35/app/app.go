// Package app drives etcd through its own wrappers in package wrap.
package app

import (
	"strconv"
	"time"

	"example.com/fixture/wrap"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Ticker is the application's own timer: it delivers time.Time values on C.
type Ticker struct {
	C    chan time.Time
	stop chan struct{}
}

// NewTicker starts a Ticker that fires after each next() interval.
func NewTicker(next func() time.Duration) *Ticker {
	t := &Ticker{C: make(chan time.Time), stop: make(chan struct{})}
	go func() {
		for {
			select {
			case <-t.stop:
				return
			case now := <-time.After(next()):
				select {
				case t.C <- now:
				default:
				}
			}
		}
	}()
	return t
}

// Controller publishes its status into the cluster.
type Controller struct {
	cluster wrap.Cluster
	ticker  *Ticker
	done    chan struct{}
	rec     *wrap.Recorder
}

// run is the shape of a status-sync loop: every tick rewrites the same key
// through an interface in another package.
func (c *Controller) run() {
	for {
		select {
		case now := <-c.ticker.C:
			c.syncStatus(now) // want `etcd key "/runtime/status/controller" is rewritten on every tick of this loop \(through Controller.syncStatus\)`
		case <-c.done:
			return
		}
	}
}

func (c *Controller) syncStatus(now time.Time) { // want syncStatus:`rewrites\("/runtime/status/controller"\) params\(\)`
	c.cluster.PutUnderLease(wrap.StatusPrefix+"controller", strconv.FormatInt(now.Unix(), 10))
}

// direct calls the interface method itself from a ticker loop.
func (c *Controller) direct() {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.cluster.PutUnderLease(wrap.StatusPrefix+"direct", "ok") // want `etcd key "/runtime/status/direct" is rewritten every 5s by this loop \(through Cluster.PutUnderLease\)`
		}
	}
}

// Members beats for one member from a sleep loop.
func Members(cli *clientv3.Client, self string) {
	for {
		wrap.Beat(cli, self) // want `etcd key "/members/…/heartbeat" is rewritten every 2s by this loop \(through wrap.Beat\)`
		time.Sleep(2 * time.Second)
	}
}

// Prefixed writes through a struct method.
func Prefixed(s *wrap.Store, jobs []string, run func(string)) {
	for _, j := range jobs {
		run(j)
		s.Set("progress", j) // want `etcd key "…progress" is rewritten once per element of this loop \(through Store.Set\)`
	}
}

// Seen re-arms a callback that touches a fixed key.
func Seen(cli *clientv3.Client) {
	time.AfterFunc(time.Minute, func() {
		wrap.Touch(cli) // want `etcd key "/app/last-seen" is rewritten every 1m0s by this time.AfterFunc callback`
		Seen(cli)
	})
}

// perObject writes one status key per object, the same objects on every
// tick: the same set of keys rewritten every 5 s.
func (c *Controller) perObject(names []string) {
	for range time.Tick(5 * time.Second) {
		for _, n := range names {
			c.cluster.PutUnderLease(wrap.StatusPrefix+n, "ok") // want `etcd keys "/runtime/status/…" \(one per element of a collection the loop does not change\) is rewritten every 5s by this loop \(through Cluster.PutUnderLease\)`
		}
	}
}

// ---- not reported ----

// recorded goes through a wrapper that writes only on change.
func (c *Controller) recorded(read func() string) {
	for range time.Tick(5 * time.Second) {
		c.rec.Record(read())
	}
}

// items goes through a wrapper whose key depends on the data.
func items(cli *clientv3.Client, read func() map[string]string) {
	for range time.Tick(5 * time.Second) {
		wrap.SaveAll(cli, read())
	}
}

// perMember beats for every member: the key changes with the element.
func perMember(cli *clientv3.Client, members []string) { // want perMember:`rewrites\("/members/…/heartbeat"\) params\(1\) set each`
	for _, m := range members {
		wrap.Beat(cli, m)
	}
}

// onChange guards the wrapper call itself.
func (c *Controller) onChange(read func() string) {
	last := ""
	for range time.Tick(5 * time.Second) {
		if v := read(); v != last {
			c.cluster.PutUnderLease(wrap.StatusPrefix+"guarded", v)
			last = v
		}
	}
}

// flushed goes through a wrapper that writes only when marked dirty.
func flushed(st *wrap.Status) {
	for range time.Tick(time.Second) {
		st.Flush()
	}
}
