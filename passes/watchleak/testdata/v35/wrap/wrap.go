// Package wrap is an application's own layer over etcd: helpers that open
// resources for the caller and helpers that release them.
package wrap

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// Dial opens a client the caller must close.
func Dial(endpoints []string) (*clientv3.Client, error) {
	return clientv3.New(clientv3.Config{Endpoints: endpoints})
}

// CloseClient closes a client.
func CloseClient(cli *clientv3.Client) error { return cli.Close() }

// Store is the application's handle on etcd.
type Store struct {
	cli *clientv3.Client
}

// New wraps a client.
func New(cli *clientv3.Client) *Store { return &Store{cli: cli} }

// Session opens a session the caller must close.
func (s *Store) Session(ttl int) (*concurrency.Session, error) {
	return concurrency.NewSession(s.cli, concurrency.WithTTL(ttl))
}

// WatchKey watches one key on the caller's context.
func (s *Store) WatchKey(ctx context.Context, key string) clientv3.WatchChan {
	return s.cli.Watch(ctx, key)
}

// Renew keeps a lease alive on the caller's context.
func (s *Store) Renew(ctx context.Context, id clientv3.LeaseID) (<-chan *clientv3.LeaseKeepAliveResponse, error) {
	return s.cli.KeepAlive(ctx, id)
}

// Stop closes a session.
func Stop(s *concurrency.Session) error { return s.Close() }

// Drain consumes a keep-alive channel until it closes.
func Drain(ch <-chan *clientv3.LeaseKeepAliveResponse) {
	for range ch {
	}
}

// Opener opens clients.
type Opener interface {
	Open() (*clientv3.Client, error)
}

type dialer struct{ endpoints []string }

func (d dialer) Open() (*clientv3.Client, error) {
	return clientv3.New(clientv3.Config{Endpoints: d.endpoints})
}

// NewOpener returns an Opener for the endpoints.
func NewOpener(endpoints []string) Opener { return dialer{endpoints} }

// Releaser releases sessions.
type Releaser interface {
	Release(s *concurrency.Session)
}

type closer struct{}

func (closer) Release(s *concurrency.Session) { s.Close() }

// NewReleaser returns a Releaser that closes sessions.
func NewReleaser() Releaser { return closer{} }

// Conn holds a client and the context of its lifetime, which only Close
// cancels.
type Conn struct {
	cli    *clientv3.Client
	ctx    context.Context
	cancel context.CancelFunc
}

// NewConn wraps a client with a context of its own.
func NewConn(cli *clientv3.Client) *Conn {
	ctx, cancel := context.WithCancel(context.Background())
	return &Conn{cli: cli, ctx: ctx, cancel: cancel}
}

// Close ends every watch opened through the connection.
func (c *Conn) Close() { c.cancel() }

// Follow watches a key on the connection's lifetime context.
func (c *Conn) Follow(key string) (clientv3.WatchChan, error) {
	return c.cli.Watch(c.ctx, key), nil
}

// FollowPrefix watches a prefix on the connection's lifetime context.
func (c *Conn) FollowPrefix(prefix string) clientv3.WatchChan {
	return c.follow(prefix, clientv3.WithPrefix())
}

func (c *Conn) follow(key string, opts ...clientv3.OpOption) clientv3.WatchChan {
	return c.cli.Watch(c.ctx, key, opts...)
}

// Tail watches a key until the process ends.
func Tail(cli *clientv3.Client, key string) clientv3.WatchChan {
	return cli.Watch(context.Background(), key)
}

// Changes is a source of change notifications.
type Changes interface {
	Changes(key string) clientv3.WatchChan
}

type connChanges struct{ c *Conn }

func (cc connChanges) Changes(key string) clientv3.WatchChan { return cc.c.follow(key) }

// NewChanges returns the change source of a connection.
func NewChanges(c *Conn) Changes { return connChanges{c} }

// Subscribe opens a Watcher and a watch on it that never ends on its own;
// closing the Watcher ends the watch.
func (s *Store) Subscribe(prefix string) (clientv3.WatchChan, clientv3.Watcher) {
	w := clientv3.NewWatcher(s.cli)
	return w.Watch(context.Background(), prefix, clientv3.WithPrefix()), w
}
