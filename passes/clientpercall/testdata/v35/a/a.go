// Package a dials etcd clients directly.
package a

import (
	"context"
	"net/http"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

var cfg = clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}, DialTimeout: 5 * time.Second}

// Get dials for every request and never closes the client.
func Get(w http.ResponseWriter, r *http.Request) { // want Get:`dials\(leaks\)`
	cli, err := clientv3.New(cfg) // want `a new etcd client is dialled on every request of this HTTP handler and never closed: each client keeps its gRPC connection and goroutines until the process exits; with auth enabled each dial is also an Authenticate raft entry and a token etcd keeps for 300 s`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp, err := cli.Get(r.Context(), r.URL.Query().Get("key"))
	if err != nil || len(resp.Kvs) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Write(resp.Kvs[0].Value)
}

// API serves keys.
type API struct{ endpoints []string }

// ServeHTTP dials for every request and closes: the same client each time.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`dials\(releases params=-1\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: a.endpoints}) // want `a new etcd client is dialled on every request of this HTTP handler with the same configuration`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer cli.Close()
	if _, err := cli.Put(r.Context(), r.URL.Path, r.FormValue("v")); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// EchoRequest is a protobuf request message.
type EchoRequest struct{ Key string }

func (*EchoRequest) ProtoMessage()  {}
func (*EchoRequest) Reset()         {}
func (*EchoRequest) String() string { return "" }

// EchoResponse is a protobuf response message.
type EchoResponse struct{ Value string }

func (*EchoResponse) ProtoMessage()  {}
func (*EchoResponse) Reset()         {}
func (*EchoResponse) String() string { return "" }

// EchoServer is a gRPC service.
type EchoServer struct{ endpoints []string }

// Echo dials on every call and never closes.
func (s *EchoServer) Echo(ctx context.Context, req *EchoRequest) (*EchoResponse, error) { // want Echo:`dials\(leaks params=-1\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.endpoints}) // want `a new etcd client is dialled on every call of this gRPC method and never closed`
	if err != nil {
		return nil, err
	}
	resp, err := cli.Get(ctx, req.Key)
	if err != nil || len(resp.Kvs) == 0 {
		return nil, err
	}
	return &EchoResponse{Value: string(resp.Kvs[0].Value)}, nil
}

// SyncAll dials once per item, closing each client.
func SyncAll(ctx context.Context, items []string) error {
	for _, it := range items {
		cli, err := clientv3.New(cfg) // want `a new etcd client is dialled on every iteration of this loop with the same configuration`
		if err != nil {
			return err
		}
		_, err = cli.Put(ctx, "/items/"+it, "")
		cli.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// Poll dials on every tick and never closes.
func Poll(ctx context.Context, endpoint string) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for range t.C {
		cli, err := clientv3.NewFromURL(endpoint) // want `a new etcd client is dialled on every iteration of this loop and never closed`
		if err != nil {
			continue
		}
		cli.Get(ctx, "/health")
	}
}

// Spawn starts a goroutine per key, each with its own client.
func Spawn(ctx context.Context, keys []string) {
	for _, k := range keys {
		go func() {
			cli, err := clientv3.New(cfg) // want `a new etcd client is dialled on every iteration of this loop and never closed`
			if err != nil {
				return
			}
			cli.Put(ctx, k, "")
		}()
	}
}

// Routes registers a handler literal that dials per request.
func Routes(mux *http.ServeMux) {
	mux.HandleFunc("/put", func(w http.ResponseWriter, r *http.Request) {
		cli, err := clientv3.NewFromURLs([]string{"http://127.0.0.1:2379"}) // want `a new etcd client is dialled on every request of this HTTP handler and never closed`
		if err != nil {
			return
		}
		cli.Put(r.Context(), r.URL.Path, "")
	})
}

// Negatives.

// Run dials once and closes on shutdown.
func Run(ctx context.Context) error { // want Run:`dials\(releases\)`
	cli, err := clientv3.New(cfg)
	if err != nil {
		return err
	}
	defer cli.Close()
	<-ctx.Done()
	return nil
}

// Health checks each member with a client pinned to it, closed in the
// iteration.
func Health(ctx context.Context, endpoints []string) map[string]bool {
	out := map[string]bool{}
	for _, ep := range endpoints {
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}, DialTimeout: time.Second})
		if err != nil {
			out[ep] = false
			continue
		}
		_, err = cli.Get(ctx, "health")
		out[ep] = err == nil
		cli.Close()
	}
	return out
}

// Pool keeps one client per endpoint.
func Pool(endpoints []string) map[string]*clientv3.Client {
	pool := map[string]*clientv3.Client{}
	for _, ep := range endpoints {
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}})
		if err == nil {
			pool[ep] = cli
		}
	}
	return pool
}

// Connect retries until the dial succeeds.
func Connect() (*clientv3.Client, error) { // want Connect:`dials\(result=0\)`
	for {
		cli, err := clientv3.New(cfg)
		if err == nil {
			return cli, nil
		}
		time.Sleep(time.Second)
	}
}

// UntilCanceled dials on every run until a dial is cancelled: a dial that
// fails one way is not one that worked, and every run that dials a client
// goes on to the next.
func UntilCanceled(ctx context.Context) {
	for {
		cli, err := clientv3.New(cfg) // want `a new etcd client is dialled on every iteration of this loop and never closed`
		if err == context.Canceled {
			return
		}
		if err == nil {
			cli.Get(ctx, "/health")
		}
		time.Sleep(time.Second)
	}
}

// Failover tries each endpoint until one answers.
func Failover(endpoints []string) (*clientv3.Client, error) { // want Failover:`dials\(result=0 params=0\)`
	var last error
	for _, ep := range endpoints {
		cli, err := clientv3.NewFromURL(ep)
		if err != nil {
			last = err
			continue
		}
		return cli, nil
	}
	return nil, last
}

// Mirror dials a constant number of clients.
func Mirror() []*clientv3.Client { // want Mirror:`dials\(releases\)`
	var clients []*clientv3.Client
	for i := 0; i < 2; i++ {
		if c, err := clientv3.New(cfg); err == nil {
			clients = append(clients, c)
		}
	}
	return clients
}

// Lazy creates its client on first use and keeps it.
type Lazy struct {
	mu  sync.Mutex
	cli *clientv3.Client
}

// Client returns the kept client, dialling it the first time.
func (l *Lazy) Client() (*clientv3.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cli == nil {
		cli, err := clientv3.New(cfg)
		if err != nil {
			return nil, err
		}
		l.cli = cli
	}
	return l.cli, nil
}

// ServeHTTP uses the kept client.
func (l *Lazy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cli, err := l.Client()
	if err != nil {
		return
	}
	cli.Get(r.Context(), r.URL.Path)
}

var (
	once   sync.Once
	shared *clientv3.Client
)

// Shared dials once for the whole process.
func Shared() *clientv3.Client {
	once.Do(func() {
		shared, _ = clientv3.New(cfg)
	})
	return shared
}

// Read uses the shared client per request.
func Read(w http.ResponseWriter, r *http.Request) {
	Shared().Get(r.Context(), r.URL.Path)
}

// Proxy dials the cluster the request names and closes it.
func Proxy(w http.ResponseWriter, r *http.Request) { // want Proxy:`dials\(releases\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{r.FormValue("endpoint")}})
	if err != nil {
		return
	}
	defer cli.Close()
	cli.Get(r.Context(), r.URL.Path)
}

// LocalRequest is not a protobuf message.
type LocalRequest struct{ Key string }

// LocalResponse is not a protobuf message.
type LocalResponse struct{ Value string }

// Local has a service-like signature but is not a gRPC method.
func (s *EchoServer) Local(ctx context.Context, req *LocalRequest) (*LocalResponse, error) { // want Local:`dials\(releases params=-1\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: s.endpoints})
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	return &LocalResponse{}, nil
}

type conn struct{}

func newConn(string) (*conn, error) { return &conn{}, nil }

// Conns dials the application's own connections in a loop.
func Conns(cli *clientv3.Client, addrs []string) []*conn {
	var out []*conn
	for _, a := range addrs {
		c, _ := newConn(a)
		out = append(out, c)
	}
	_ = cli
	return out
}
