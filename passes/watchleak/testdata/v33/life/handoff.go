package life

import (
	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
)

// Resources stored in a struct that is appended to a returned slice, put
// in a map or sent on a channel are handed off.

// No code of this package reads worker.cli, but the workers go to the
// caller.
type worker struct {
	cli *clientv3.Client
}

func dialAll(cfgs []clientv3.Config) ([]*worker, error) {
	var out []*worker
	for _, cfg := range cfgs {
		cli, err := clientv3.New(cfg)
		if err != nil {
			return out, err
		}
		out = append(out, &worker{cli: cli})
	}
	return out, nil
}

type member struct {
	cli *clientv3.Client
}

func (m *member) Close() error { return m.cli.Close() }

type pool struct {
	byName map[string]*member
}

func (p *pool) add(name string, cfg clientv3.Config) error {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return err
	}
	p.byName[name] = &member{cli: cli}
	return nil
}

type lease struct {
	s *concurrency.Session
}

func (l lease) release() error { return l.s.Close() }

func sessions(cli *clientv3.Client, n int, out chan<- lease) error {
	for range n {
		s, err := concurrency.NewSession(cli)
		if err != nil {
			return err
		}
		out <- lease{s: s}
	}
	return nil
}
