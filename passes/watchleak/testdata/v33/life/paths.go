package life

import (
	"context"
	"errors"

	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
)

// A session closed on the success path only: every failed Put leaks it.
func publish(cli *clientv3.Client, key, val string) error {
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	if _, err := cli.Put(context.TODO(), key, val, clientv3.WithLease(s.Lease())); err != nil {
		return err // want `session from concurrency.NewSession \(line \d+\) is neither closed nor handed off on this return path`
	}
	return s.Close()
}

// A client handed to the caller on one path and dropped on another.
func dialIfHealthy(cfg clientv3.Config) (*clientv3.Client, error) {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := cli.Get(context.TODO(), "health"); err != nil {
		return nil, err // want `etcd client from clientv3.New \(line \d+\) is neither closed nor handed off on this return path`
	}
	return cli, nil
}

// A watcher whose deferred Close comes after an early return that follows
// its first Watch.
func watchOne(cli *clientv3.Client, key string) error {
	w := clientv3.NewWatcher(cli)
	resp := <-w.Watch(context.TODO(), key)
	if len(resp.Events) == 0 {
		return errors.New("no event") // want `watcher from clientv3.NewWatcher \(line \d+\) is neither closed nor handed off on this return path`
	}
	defer w.Close()
	return nil
}

// Clean: closed on every path, once through a nil check in a deferred
// literal.
func publishClosed(cli *clientv3.Client, key, val string) (err error) {
	var s *concurrency.Session
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	s, err = concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	_, err = cli.Put(context.TODO(), key, val, clientv3.WithLease(s.Lease()))
	return err
}

// Clean: closed on the failure path, returned on the other.
func dialIfHealthyClosed(cfg clientv3.Config) (*clientv3.Client, error) {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := cli.Get(context.TODO(), "health"); err != nil {
		cli.Close()
		return nil, err
	}
	return cli, nil
}

// Clean: a client that may not have been opened is closed when it was.
func maybeDial(cfg clientv3.Config, remote bool) error {
	var cli *clientv3.Client
	if remote {
		var err error
		cli, err = clientv3.New(cfg)
		if err != nil {
			return err
		}
	}
	if cli == nil {
		return nil
	}
	defer cli.Close()
	_, err := cli.Get(context.TODO(), "k")
	return err
}

// Clean: err, assigned again by the deferred Close, still says the client
// was never opened on the first return.
func fetch(cfg clientv3.Config) (v string, err error) {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return "", err
	}
	defer func() {
		err = cli.Close()
	}()
	resp, err := cli.Get(context.TODO(), "k")
	if err != nil || len(resp.Kvs) == 0 {
		return "", err
	}
	return string(resp.Kvs[0].Value), nil
}
