// Package restart keeps a component alive across lost etcd sessions and
// clients: loops that wait on a Done channel etcd closes for good.
package restart

import (
	"context"
	"log"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
)

// Conn holds an etcd client and the context it lives on; losing the
// client cancels the context.
type Conn struct {
	cli    *clientv3.Client
	ctx    context.Context
	cancel context.CancelFunc
}

// Context is the context the connection lives on.
func (c *Conn) Context() context.Context { return c.ctx }

// Owner hands out the connection and restarts it when it is lost.
type Owner interface {
	Conn() *Conn
	Reconnect() error
	Closing() <-chan struct{}
}

// keepUp reconnects whenever the connection's context ends, with a pause
// too short to be one: a reconnect that fails leaves the context
// cancelled and the loop comes straight back.
func keepUp(o Owner) {
	for {
		select {
		case <-o.Conn().Context().Done(): // want `this loop waits on the Done channel of the lifetime context of an etcd client wrapper, which stays closed once it is closed`
			if err := o.Reconnect(); err != nil {
				log.Printf("reconnect: %v", err)
			}
			time.Sleep(20 * time.Microsecond)
		case <-o.Closing():
			return
		}
	}
}

// campaignAgain re-runs an election on the same session whenever the
// session ends: the session stays done, so the loop never waits again.
func campaignAgain(ctx context.Context, s *concurrency.Session, run func() error, stop <-chan struct{}) { // want campaignAgain:`watches\(pauses\)`
	for {
		select {
		case <-s.Done(): // want `Done channel of an etcd session`
			if err := run(); err != nil {
				log.Print(err)
			}
		case <-stop:
			return
		}
	}
}

// watchClient logs the end of the client in a goroutine and keeps going.
func watchClient(cli *clientv3.Client, events <-chan string) {
	go func() {
		for {
			select {
			case <-cli.Ctx().Done(): // want `Done channel of the etcd client's context`
				log.Print("etcd client closed")
			case e := <-events:
				log.Print(e)
			}
		}
	}()
}

// renewSession replaces the session when it ends: the next pass waits on
// the new session's channel.
func renewSession(cli *clientv3.Client, s *concurrency.Session, stop <-chan struct{}) { // want renewSession:`watches\(pauses\)`
	for {
		select {
		case <-s.Done():
			ns, err := concurrency.NewSession(cli, concurrency.WithTTL(10))
			if err != nil {
				time.Sleep(time.Second)
				continue
			}
			s = ns
		case <-stop:
			return
		}
	}
}

// reconnectSlowly waits a second between attempts.
func reconnectSlowly(o Owner) {
	for {
		select {
		case <-o.Conn().Context().Done():
			if err := o.Reconnect(); err != nil {
				log.Print(err)
			}
			time.Sleep(time.Second)
		case <-o.Closing():
			return
		}
	}
}

// untilClosed leaves once the client is gone.
func untilClosed(cli *clientv3.Client, tick <-chan time.Time) { // want untilClosed:`watches\(pauses\)`
	for {
		select {
		case <-cli.Ctx().Done():
			return
		case <-tick:
			log.Print("alive")
		}
	}
}
