//fixture:handwritten 3.3's keep-alive drops responses on a full channel without logging, so the message differs.

// Package a opens etcd watches, keep-alives, watchers, sessions and clients
// in one package, leaked and released.
package a

import (
	"context"
	"log"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
	"github.com/coreos/etcd/clientv3/concurrency"
	"github.com/coreos/etcd/clientv3/namespace"
)

// Watches.

// latest reads one event and leaves the watch open.
func latest(cli *clientv3.Client, key string) string {
	wch := cli.Watch(context.Background(), key) // want `watch opened by Watcher.Watch on context.Background\(\) is read once and then abandoned without being cancelled: the watch stays open and the client buffers every later event for it without bound \(etcd-io/etcd#9103\)`
	resp := <-wch
	if len(resp.Events) == 0 {
		return ""
	}
	return string(resp.Events[0].Kv.Value)
}

func discardWatch(cli *clientv3.Client) {
	cli.Watch(context.TODO(), "k") // want `watch opened by Watcher.Watch on context.TODO\(\) is never cancelled and its channel is abandoned`
}

func waitLoop(cli *clientv3.Client, stop <-chan struct{}) {
	for {
		wch := cli.Watch(context.Background(), "cfg", clientv3.WithPrefix()) // want `watch opened by Watcher.Watch on context.Background\(\) in a loop is never cancelled: every iteration opens another watch`
		select {
		case <-wch:
		case <-stop:
			return
		}
	}
}

func unusedCancel(cli *clientv3.Client) {
	ctx, _ := context.WithCancel(context.Background())
	wch := cli.Watch(ctx, "k") // want `on a context from context.WithCancel whose cancel func is never used is read once`
	<-wch
}

func leaderOnly(cli *clientv3.Client) {
	ctx := clientv3.WithRequireLeader(context.Background())
	<-cli.Watch(ctx, "k") // want `watch opened by Watcher.Watch on context.Background\(\) is read once`
}

func watchCancelled(cli *clientv3.Client) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	<-cli.Watch(ctx, "k")
}

func watchCancelledLater(cli *clientv3.Client, stop <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-stop
		cancel()
	}()
	<-cli.Watch(ctx, "k")
}

func watchCallerCtx(ctx context.Context, cli *clientv3.Client) {
	<-cli.Watch(clientv3.WithRequireLeader(ctx), "k")
}

func watchTimeout(cli *clientv3.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	<-cli.Watch(ctx, "k")
}

func watchRanged(cli *clientv3.Client) {
	for resp := range cli.Watch(context.Background(), "k") {
		log.Print(resp.Events)
	}
}

func watchRewatch(cli *clientv3.Client) {
	for {
		for resp := range cli.Watch(context.Background(), "k") {
			log.Print(resp.Events)
		}
	}
}

func watchInGoroutine(cli *clientv3.Client) {
	wch := cli.Watch(context.Background(), "k")
	go func() { // want `goroutine receives from a watch opened by Watcher.Watch on context.Background\(\) until the watch closes, which it never does: every call of watchInGoroutine leaves one more goroutine and one more watch open on the server`
		for resp := range wch {
			log.Print(resp.Events)
		}
	}()
}

func watchReturned(cli *clientv3.Client) clientv3.WatchChan {
	return cli.Watch(context.Background(), "k")
}

func watchSent(cli *clientv3.Client, out chan<- clientv3.WatchChan) {
	out <- cli.Watch(context.Background(), "k")
}

type feed struct {
	ch clientv3.WatchChan
}

func (f *feed) start(cli *clientv3.Client) {
	f.ch = cli.Watch(context.Background(), "k")
}

func (f *feed) next() clientv3.WatchResponse { return <-f.ch }

func watchOnClosedWatcher(cli *clientv3.Client) {
	w := clientv3.NewWatcher(cli)
	defer w.Close()
	<-w.Watch(context.Background(), "k")
}

type service struct {
	cli *clientv3.Client
	ctx context.Context
}

func (s *service) once() {
	<-s.cli.Watch(s.ctx, "k") // want `watch opened by Watcher.Watch on a long-lived context held in a struct field is read once and then abandoned`
}

// Keep-alives.

func keepForever(cli *clientv3.Client, id clientv3.LeaseID) error {
	_, err := cli.KeepAlive(context.Background(), id) // want `keep-alive channel from Lease.KeepAlive on context.Background\(\) is never received from: the client keeps renewing the lease and, once the channel's 16-slot buffer is full, drops every response silently \(wasted work, not lease expiry\)`
	return err
}

func keepReadOnce(cli *clientv3.Client, id clientv3.LeaseID) {
	ch, err := cli.KeepAlive(context.Background(), id) // want `keep-alive channel from Lease.KeepAlive on context.Background\(\) is received from only once and then abandoned`
	if err != nil {
		log.Print(err)
		return
	}
	select {
	case <-ch:
	case <-time.After(time.Second):
	}
}

type registrar struct {
	cli *clientv3.Client
	ctx context.Context
	hb  <-chan *clientv3.LeaseKeepAliveResponse
}

func (r *registrar) register(id clientv3.LeaseID) error {
	var err error
	r.hb, err = r.cli.KeepAlive(r.ctx, id) // want `keep-alive channel from Lease.KeepAlive on a long-lived context held in a struct field is never received from`
	return err
}

func keepInLoop(cli *clientv3.Client, ids []clientv3.LeaseID) {
	for _, id := range ids {
		cli.KeepAlive(cli.Ctx(), id) // want `on the client's own context \(Client.Ctx, ended only by Close\) is never received from in a loop`
	}
}

func keepDrained(cli *clientv3.Client, id clientv3.LeaseID) error {
	ch, err := cli.KeepAlive(context.Background(), id)
	if err != nil {
		return err
	}
	go func() {
		for range ch {
		}
	}()
	return nil
}

func drain(ch <-chan *clientv3.LeaseKeepAliveResponse) {
	for range ch {
	}
}

func keepHelper(cli *clientv3.Client, id clientv3.LeaseID) error {
	ch, err := cli.KeepAlive(context.Background(), id)
	if err != nil {
		return err
	}
	go drain(ch)
	return nil
}

func keepSelectLoop(cli *clientv3.Client, id clientv3.LeaseID, stop <-chan struct{}) {
	ch, _ := cli.KeepAlive(context.Background(), id)
	for {
		select {
		case <-ch:
		case <-stop:
			return
		}
	}
}

func keepCallerCtx(ctx context.Context, cli *clientv3.Client, id clientv3.LeaseID) {
	cli.KeepAlive(ctx, id) // want `keep-alive channel from Lease.KeepAlive on the caller's context \(ctx\) is never received from`
}

func keepCancelled(cli *clientv3.Client, id clientv3.LeaseID) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cli.KeepAlive(ctx, id)
}

func keepOnce(cli *clientv3.Client, id clientv3.LeaseID) {
	cli.KeepAliveOnce(context.Background(), id)
}

func keepReturned(cli *clientv3.Client, id clientv3.LeaseID) (<-chan *clientv3.LeaseKeepAliveResponse, error) {
	return cli.KeepAlive(context.Background(), id)
}

func keepOnClosedLease(cli *clientv3.Client, id clientv3.LeaseID) {
	l := clientv3.NewLease(cli)
	defer l.Close()
	l.KeepAlive(context.Background(), id)
}

type heart struct {
	cli *clientv3.Client
	ctx context.Context
	hb  <-chan *clientv3.LeaseKeepAliveResponse
}

func (h *heart) beat(id clientv3.LeaseID) error {
	var err error
	h.hb, err = h.cli.KeepAlive(h.ctx, id)
	if err != nil {
		return err
	}
	go func() {
		for {
			select {
			case <-h.hb:
			case <-h.ctx.Done():
				return
			}
		}
	}()
	return nil
}

// Watchers.

func watcherLeak(ctx context.Context, cli *clientv3.Client) {
	w := clientv3.NewWatcher(cli) // want `watcher from clientv3.NewWatcher is never closed and not handed off`
	for resp := range w.Watch(ctx, "k") {
		log.Print(resp.Events)
	}
}

func watcherClosed(ctx context.Context, cli *clientv3.Client, ns string) {
	var w clientv3.Watcher
	if ns != "" {
		w = namespace.NewWatcher(clientv3.NewWatcher(cli), ns)
	} else {
		w = clientv3.NewWatcher(cli)
	}
	defer w.Close()
	<-w.Watch(ctx, "k")
}

func watcherReturned(cli *clientv3.Client) clientv3.Watcher {
	return clientv3.NewWatcher(cli)
}

func watcherOwnedByGoroutine(cli *clientv3.Client) {
	w := clientv3.NewWatcher(cli)
	go func() { // want `goroutine receives from a watch opened by Watcher.Watch on context.Background\(\) until the watch closes`
		for resp := range w.Watch(context.Background(), "k") {
			log.Print(resp.Events)
		}
	}()
}

// Sessions.

func lockOnce(cli *clientv3.Client, key string) error {
	s, err := concurrency.NewSession(cli) // want `session from concurrency.NewSession is never closed and not handed off: it holds an etcd lease \(TTL 60 s unless WithTTL\)`
	if err != nil {
		return err
	}
	m := concurrency.NewMutex(s, key)
	if err := m.Lock(context.TODO()); err != nil {
		return err
	}
	return m.Unlock(context.TODO())
}

func sessionClosed(cli *clientv3.Client) error {
	s, err := concurrency.NewSession(cli, concurrency.WithTTL(10))
	if err != nil {
		return err
	}
	defer s.Close()
	return concurrency.NewElection(s, "/e").Campaign(context.TODO(), "me")
}

func sessionOrphaned(cli *clientv3.Client) {
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return
	}
	s.Orphan()
}

func sessionClosedOnSignal(cli *clientv3.Client, done <-chan struct{}) error {
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	go func() {
		<-done
		s.Close()
	}()
	return nil
}

type locker struct {
	sessions map[string]*concurrency.Session
}

func (l *locker) lock(cli *clientv3.Client, key string) error {
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	l.sessions[key] = s
	return nil
}

func (l *locker) unlock(key string) error {
	return l.sessions[key].Close()
}

// Clients.

func putOnce(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints}) // want `etcd client from clientv3.New is never closed and not handed off: each call leaks a gRPC connection and the client's goroutines`
	if err != nil {
		return err
	}
	_, err = cli.Put(context.TODO(), "k", "v")
	return err
}

func getFromURL(url string) {
	cli, _ := clientv3.NewFromURL(url) // want `etcd client from clientv3.NewFromURL is never closed`
	cli.Get(context.TODO(), "k")
}

func clientClosed(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.Put(context.TODO(), "k", "v")
	return err
}

func clientErrorPathOnly(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return err
	}
	return cli.Close()
}

type store struct {
	cli *clientv3.Client
}

func newStore(endpoints []string) (*store, error) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return nil, err
	}
	return &store{cli: cli}, nil
}

func (s *store) close() error { return s.cli.Close() }

var shared *clientv3.Client

func initShared(endpoints []string) (err error) {
	shared, err = clientv3.New(clientv3.Config{Endpoints: endpoints})
	return err
}

var registered []*clientv3.Client

func register(cli *clientv3.Client) { registered = append(registered, cli) }

func clientPassedOn(endpoints []string) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return
	}
	register(cli)
}

func clientSuppressed(endpoints []string) {
	//etcdlint:ignore watchleak the process exits right after this call
	cli, _ := clientv3.New(clientv3.Config{Endpoints: endpoints})
	cli.Get(context.TODO(), "k")
}

// Ended by other means.

func watchThenCloseClient(cli *clientv3.Client) {
	<-cli.Watch(context.Background(), "k")
	cli.Close()
}

func keepThenRevoke(cli *clientv3.Client, ttl int64) error {
	g, err := cli.Grant(context.TODO(), ttl)
	if err != nil {
		return err
	}
	ch, err := cli.KeepAlive(context.Background(), g.ID)
	if err != nil {
		return err
	}
	<-ch
	_, err = cli.Revoke(context.TODO(), g.ID)
	return err
}

func keepRevokeOther(cli *clientv3.Client, a, b clientv3.LeaseID) {
	ch, _ := cli.KeepAlive(context.Background(), a) // want `keep-alive channel from Lease.KeepAlive on context.Background\(\) is received from only once`
	<-ch
	cli.Revoke(context.TODO(), b)
}

func sessionWithCallerCtx(ctx context.Context, cli *clientv3.Client) error {
	s, err := concurrency.NewSession(cli, concurrency.WithContext(ctx))
	if err != nil {
		return err
	}
	<-s.Done()
	return nil
}

func sessionWithBackground(cli *clientv3.Client) error {
	s, err := concurrency.NewSession(cli, concurrency.WithContext(context.Background())) // want `session from concurrency.NewSession is never closed`
	if err != nil {
		return err
	}
	_ = concurrency.NewMutex(s, "/m")
	return nil
}

func newSession(endpoints []string) (*concurrency.Session, error) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return nil, err
	}
	return concurrency.NewSession(cli)
}

func sessionOnLeakedClient(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints}) // want `etcd client from clientv3.New is never closed`
	if err != nil {
		return err
	}
	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	defer s.Close()
	return concurrency.NewMutex(s, "/m").Lock(context.TODO())
}

// Literals.

func watchInLiteral(cli *clientv3.Client) {
	ctx := context.Background()
	go func() {
		<-cli.Watch(ctx, "k") // want `watch opened by Watcher.Watch on context.Background\(\) is read once`
	}()
}

func keepReadOnceInGoroutine(cli *clientv3.Client, id clientv3.LeaseID) {
	ch, err := cli.KeepAlive(context.Background(), id) // want `keep-alive channel from Lease.KeepAlive on context.Background\(\) is received from only once`
	if err != nil {
		return
	}
	go func() {
		<-ch
	}()
}

func clientInDeferredLiteral(endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return err
	}
	defer func() {
		if err := cli.Close(); err != nil {
			log.Print(err)
		}
	}()
	_, err = cli.Get(context.TODO(), "k")
	return err
}

func clientAssignedInLiteral(endpoints []string) error {
	var cli *clientv3.Client
	connect := func() error {
		var err error
		cli, err = clientv3.New(clientv3.Config{Endpoints: endpoints})
		return err
	}
	if err := connect(); err != nil {
		return err
	}
	defer cli.Close()
	_, err := cli.Get(context.TODO(), "k")
	return err
}
