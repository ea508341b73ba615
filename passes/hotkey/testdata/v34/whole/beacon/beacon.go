// Package beacon announces this node's state on a timer, through an
// Announcer whose implementation it does not import.
package beacon

import (
	"strconv"
	"time"

	"example.com/fixture/whole/notify"
)

// Beacon announces one node's state.
type Beacon struct {
	out  notify.Announcer
	node string
	stop chan struct{}
}

// New returns a Beacon for node.
func New(out notify.Announcer, node string) *Beacon {
	return &Beacon{out: out, node: node, stop: make(chan struct{})}
}

func (b *Beacon) state() string { return "up" }

// Run announces the node's state every 3 s under the same name.
func (b *Beacon) Run() {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = b.out.Announce("/beacons/"+b.node, b.state())
		case <-b.stop:
			return
		}
	}
}

// Stamped is not reported: the name changes with every tick.
func (b *Beacon) Stamped() {
	for now := range time.Tick(3 * time.Second) {
		_ = b.out.Announce("/beacons/"+b.node+"/"+strconv.FormatInt(now.Unix(), 10), b.state())
	}
}

// Changed is not reported: the state is announced only when it differs
// from the last one announced.
func (b *Beacon) Changed() {
	last := ""
	for range time.Tick(3 * time.Second) {
		if s := b.state(); s != last {
			_ = b.out.Announce("/beacons/"+b.node, s)
			last = s
		}
	}
}
