// Package wrap is an application's own store over etcd.
package wrap

import (
	"context"
	"encoding/json"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
)

// Store is the application's view of etcd.
type Store interface {
	Put(key, val string) error      // want Put:`key\(-1,0\) value\(1\)`
	Save(key string, obj any) error // want Save:`key\(-1,0\) value\(1\)`
}

type etcdStore struct {
	cli    *clientv3.Client
	prefix string
}

func (s *etcdStore) Put(key, val string) error { // want Put:`key\(-1,0\) value\(1\)`
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := s.cli.Put(ctx, s.prefix+key, val)
	return err
}

func (s *etcdStore) Save(key string, obj any) error { // want Save:`key\(-1,0\) value\(1\)`
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return s.Put(key, string(b))
}

func New(cli *clientv3.Client) Store { return &etcdStore{cli: cli, prefix: "/app/"} }

// Heartbeat writes one fixed key.
func Heartbeat(cli *clientv3.Client, now string) { // want Heartbeat:`value\(1\) constkey\("/app/heartbeat"\)`
	cli.Put(context.Background(), "/app/"+"heartbeat", now)
}

// Dial opens a client the caller must close.
func Dial(endpoints []string) (*clientv3.Client, error) { // want Dial:`returns\(0:client\)`
	return clientv3.New(clientv3.Config{Endpoints: endpoints})
}

// Stop closes what it is given.
func Stop(s *concurrency.Session, cancel context.CancelFunc) { // want Stop:`releases\(0,1\)`
	cancel()
	s.Close()
}

// Drain consumes a keep-alive channel.
func Drain(ch <-chan *clientv3.LeaseKeepAliveResponse) { // want Drain:`releases\(0\)`
	for range ch {
	}
}

// NotEtcd has nothing to do with etcd.
func NotEtcd(a, b string) string { return a + b }

// Cache hands out one shared client that it owns and closes itself.
type Cache struct{ cli *clientv3.Client }

func (c *Cache) Client() (*clientv3.Client, error) {
	if c.cli != nil {
		return c.cli, nil
	}
	cli, err := clientv3.New(clientv3.Config{})
	if err != nil {
		return nil, err
	}
	c.cli = cli
	return cli, nil
}

func (c *Cache) Close() { // want Close:`releases\(-1\)`
	if c.cli != nil {
		c.cli.Close()
	}
}

// Feed watches on the context of its own lifetime.
type Feed struct {
	cli *clientv3.Client
	ctx context.Context
}

func (f *Feed) Follow(key string) clientv3.WatchChan { // want Follow:`returns\(0:watch@field\)`
	return f.cli.Watch(f.ctx, key)
}

// FollowAll watches through Follow: the context is still the feed's.
func (f *Feed) FollowAll(keys []string) []clientv3.WatchChan {
	var out []clientv3.WatchChan
	for _, k := range keys {
		out = append(out, f.Follow(k))
	}
	return out
}

// Tail watches until the process ends.
func Tail(cli *clientv3.Client, key string) clientv3.WatchChan { // want Tail:`returns\(0:watch@forever\)`
	return cli.Watch(context.Background(), key)
}

// WatchOn watches on the caller's context, also through another helper.
func WatchOn(ctx context.Context, cli *clientv3.Client, key string) clientv3.WatchChan { // want WatchOn:`returns\(0:watch@param:0\)`
	return watchOn(cli, ctx, key)
}

func watchOn(cli *clientv3.Client, ctx context.Context, key string) clientv3.WatchChan { // want watchOn:`returns\(0:watch@param:1\)`
	return cli.Watch(clientv3.WithRequireLeader(ctx), key)
}

// Bounded watches on a context with a deadline: the fact says nothing of it.
func Bounded(cli *clientv3.Client, key string) clientv3.WatchChan { // want Bounded:`returns\(0:watch\)`
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	_ = cancel
	return cli.Watch(ctx, key)
}
