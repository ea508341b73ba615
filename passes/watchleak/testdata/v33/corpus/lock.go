package corpus

import (
	"context"
	"errors"
	"sync"

	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
)

// A lock service that opens a session per lock and forgets it on unlock.
type heldLock struct {
	sess *concurrency.Session
	mu   *concurrency.Mutex
}

type lockService struct {
	cli   *clientv3.Client
	mtx   sync.Mutex
	locks map[string]*heldLock
}

func (l *lockService) Lock(id string, ttl int) error {
	var opts []concurrency.SessionOption
	if ttl > 0 {
		opts = append(opts, concurrency.WithTTL(ttl))
	}
	s, err := concurrency.NewSession(l.cli, opts...) // want `session from concurrency.NewSession is never closed and not handed off`
	if err != nil {
		return err
	}
	m := concurrency.NewMutex(s, "/locks/"+id)
	if err := m.Lock(context.Background()); err != nil {
		return err
	}
	l.mtx.Lock()
	l.locks[id] = &heldLock{sess: s, mu: m}
	l.mtx.Unlock()
	return nil
}

func (l *lockService) Unlock(id string) error {
	l.mtx.Lock()
	defer l.mtx.Unlock()
	h, ok := l.locks[id]
	if !ok {
		return errors.New("lock not found")
	}
	err := h.mu.Unlock(context.Background())
	delete(l.locks, id)
	return err
}

type leader struct {
	e  *concurrency.Election
	id string
}

// Leader campaigns on a session it never closes; the returned leader keeps
// only the election.
func (l *lockService) Leader(id string) (*leader, error) {
	s, err := concurrency.NewSession(l.cli) // want `session from concurrency.NewSession is never closed and not handed off`
	if err != nil {
		return nil, err
	}
	e := concurrency.NewElection(s, "/leader/"+id)
	if err := e.Campaign(context.TODO(), id); err != nil {
		return nil, err
	}
	return &leader{e: e, id: id}, nil
}

// The corrected lock service closes the session in Unlock: the session is
// kept in a map and released by another method. A failed Lock closes it
// at once.
type closedLock struct {
	sess *concurrency.Session
	mu   *concurrency.Mutex
}

type closingLockService struct {
	cli   *clientv3.Client
	mtx   sync.Mutex
	locks map[string]*closedLock
}

func (l *closingLockService) Lock(id string) error {
	s, err := concurrency.NewSession(l.cli)
	if err != nil {
		return err
	}
	m := concurrency.NewMutex(s, "/locks/"+id)
	if err := m.Lock(context.Background()); err != nil {
		s.Close()
		return err
	}
	l.mtx.Lock()
	l.locks[id] = &closedLock{sess: s, mu: m}
	l.mtx.Unlock()
	return nil
}

func (l *closingLockService) Unlock(id string) error {
	l.mtx.Lock()
	defer l.mtx.Unlock()
	h, ok := l.locks[id]
	if !ok {
		return errors.New("lock not found")
	}
	if err := h.mu.Unlock(context.Background()); err != nil {
		return err
	}
	delete(l.locks, id)
	return h.sess.Close()
}
