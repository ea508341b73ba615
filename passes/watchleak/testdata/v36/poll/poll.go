// Package poll is an operator that polls etcd until a change took effect.
// A literal that only uses a client it captures cannot close it, whoever
// calls the literal: passing it to a poll helper does not hand the client
// off.
package poll

import (
	"context"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// Condition reports whether polling is done.
type Condition func() (bool, error)

// Until calls cond every interval until it is done or fails.
func Until(interval time.Duration, cond Condition) error {
	for {
		done, err := cond()
		if err != nil || done {
			return err
		}
		time.Sleep(interval)
	}
}

// retry calls f up to n times until it succeeds.
func retry(n int, f func() error) error {
	err := errors.New("not tried")
	for i := 0; i < n && err != nil; i++ {
		err = f()
	}
	return err
}

// Scaler adds and removes members on every reconcile.
type Scaler struct {
	Endpoints []string
	cli       *clientv3.Client
}

// AddMember runs on every reconcile: its client, used only by the
// condition it polls with, is never closed.
func (s *Scaler) AddMember(ctx context.Context, peer string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.Endpoints}) // want `etcd client from clientv3.New is never closed and not handed off`
	if err != nil {
		return err
	}
	return Until(time.Second, func() (bool, error) {
		_, err := cli.MemberAdd(ctx, []string{peer})
		return err == nil, nil
	})
}

// RemoveMember closes its client when it returns.
func (s *Scaler) RemoveMember(ctx context.Context, id uint64) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.Endpoints})
	if err != nil {
		return err
	}
	defer cli.Close()
	return retry(3, func() error {
		_, err := cli.MemberRemove(ctx, id)
		return err
	})
}

// Connect keeps the client it polls with: the literal stores it.
func (s *Scaler) Connect(ctx context.Context) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.Endpoints})
	if err != nil {
		return err
	}
	return Until(time.Second, func() (bool, error) {
		if _, err := cli.Status(ctx, s.Endpoints[0]); err != nil {
			return false, nil
		}
		s.cli = cli
		return true, nil
	})
}

// Claim retries taking a lock; the session the retried literal uses is
// never closed, so every call leaves a lease renewed until the process
// exits.
func (s *Scaler) Claim(ctx context.Context, name string) error {
	sess, err := concurrency.NewSession(s.cli) // want `session from concurrency.NewSession is never closed and not handed off`
	if err != nil {
		return err
	}
	return retry(3, func() error {
		m := concurrency.NewMutex(sess, name)
		if err := m.Lock(ctx); err != nil {
			return err
		}
		return m.Unlock(ctx)
	})
}

// Watched waits for one change through a watcher the condition uses and
// never closes.
func (s *Scaler) Watched(ctx context.Context, key string) error {
	w := clientv3.NewWatcher(s.cli) // want `watcher from clientv3.NewWatcher is never closed and not handed off`
	wch := w.Watch(ctx, key)
	return Until(time.Second, func() (bool, error) {
		select {
		case <-wch:
			return true, nil
		default:
			return false, nil
		}
	})
}
