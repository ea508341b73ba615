// Package fix holds leaks with a safe fix: defer Close after the error check.
package fix

import (
	"context"
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

func put(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints}) // want `etcd client from clientv3.New is never closed`
	if err != nil {
		return err
	}
	_, err = cli.Put(context.TODO(), "k", "v")
	return err
}

func campaign(cli *clientv3.Client, id string) error {
	s, err := concurrency.NewSession(cli, concurrency.WithTTL(10)) // want `session from concurrency.NewSession is never closed`
	if err != nil {
		log.Printf("session: %v", err)
		return err
	}
	return concurrency.NewElection(s, "/leader").Campaign(context.TODO(), id)
}

func watchAll(ctx context.Context, cli *clientv3.Client) {
	w := clientv3.NewWatcher(cli) // want `watcher from clientv3.NewWatcher is never closed`
	for resp := range w.Watch(ctx, "/", clientv3.WithPrefix()) {
		log.Print(resp.Events)
	}
}

func inClosure(endpoints []string) func() error {
	return func() error {
		cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints}) // want `etcd client from clientv3.New is never closed`
		if err != nil {
			return err
		}
		_, err = cli.Get(context.TODO(), "k")
		return err
	}
}

// No fix: no error check right after the creation.
func noCheck(endpoints []string) {
	cli, _ := clientv3.New(clientv3.Config{Endpoints: endpoints}) // want `etcd client from clientv3.New is never closed`
	cli.Get(context.TODO(), "k")
}

// No fix: the error is handled without returning.
func fatalCheck(endpoints []string) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints}) // want `etcd client from clientv3.New is never closed`
	if err != nil {
		log.Print(err)
	}
	cli.Get(context.TODO(), "k")
}

// No fix: created in a loop, where a defer would pile up.
func eachEndpoint(endpoints []string) {
	for _, ep := range endpoints {
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}}) // want `etcd client from clientv3.New is never closed`
		if err != nil {
			continue
		}
		cli.Get(context.TODO(), "k")
	}
}
