package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime"
	"time"

	"go.etcd.io/etcd/api/v3/version"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// server is one embedded etcd on the loopback, with a client of its own.
type server struct {
	etcd     *embed.Etcd
	cli      *clientv3.Client
	endpoint string
	dir      string
}

// serverOptions are the settings an experiment changes; the rest are
// embed.NewConfig's defaults.
type serverOptions struct {
	snapshotCount      uint64 // 0: etcd's default
	compactionMode     string // "" : no auto-compaction (the default)
	compactionRetain   string
	electionMs, tickMs uint  // 0: etcd's defaults
	quotaBytes         int64 // 0: etcd's default (2 GiB)
	authTokenTTL       uint  // seconds; 0: etcd's default (300)
}

// startServer starts a single-member etcd in a new data directory under
// parent, listening on loopback ports the kernel picks.
func startServer(parent string, o serverOptions) (*server, error) {
	dir, err := os.MkdirTemp(parent, "etcd-")
	if err != nil {
		return nil, err
	}
	cfg := embed.NewConfig()
	cfg.Dir = dir
	// The server's own log stays quiet: Close logs its listeners' shutdown as errors.
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	client, peer, err := loopbackURLs()
	if err != nil {
		return nil, err
	}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	if o.snapshotCount > 0 {
		cfg.SnapshotCount = o.snapshotCount
	}
	if o.compactionMode != "" {
		cfg.AutoCompactionMode = o.compactionMode
		cfg.AutoCompactionRetention = o.compactionRetain
	}
	if o.quotaBytes > 0 {
		cfg.QuotaBackendBytes = o.quotaBytes
	}
	if o.authTokenTTL > 0 {
		cfg.AuthTokenTTL = o.authTokenTTL
	}
	if o.electionMs > 0 {
		cfg.ElectionMs, cfg.TickMs = o.electionMs, o.tickMs
	}
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, fmt.Errorf("etcd did not become ready in 60 s")
	}
	s := &server{etcd: e, endpoint: client.Host, dir: dir}
	s.cli, err = s.dial(nil)
	if err != nil {
		e.Close()
		return nil, err
	}
	return s, nil
}

// dial opens a new client to the server; lg nil logs nothing.
func (s *server) dial(lg *zap.Logger) (*clientv3.Client, error) {
	if lg == nil {
		lg = zap.NewNop()
	}
	return clientv3.New(clientv3.Config{
		Endpoints:   []string{s.endpoint},
		DialTimeout: 10 * time.Second,
		Logger:      lg,
	})
}

func (s *server) close() {
	s.cli.Close()
	s.etcd.Close()
	os.RemoveAll(s.dir)
}

// status is what etcd itself says of its store.
type status struct {
	revision    int64
	dbSize      int64
	dbSizeInUse int64
	raftIndex   uint64
}

func (s *server) status(ctx context.Context) (status, error) {
	st, err := s.cli.Status(ctx, s.endpoint)
	if err != nil {
		return status{}, err
	}
	return status{
		revision:    st.Header.Revision,
		dbSize:      st.DbSize,
		dbSizeInUse: st.DbSizeInUse,
		raftIndex:   s.etcd.Server.AppliedIndex(),
	}, nil
}

func loopbackURLs() (client, peer url.URL, err error) {
	ports := make([]int, 2)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return url.URL{}, url.URL{}, err
		}
		ports[i] = l.Addr().(*net.TCPAddr).Port
		defer l.Close()
	}
	client = url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[0])}
	peer = url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[1])}
	return client, peer, nil
}

// heapInUse is the live heap of the process after a full collection. The
// server and its clients share the process, so an experiment reads it
// before and after and reports the difference.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// openFDs counts the process's open file descriptors (sockets included).
func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// settle gives goroutines that are ending a moment to end before a count.
func settle() { time.Sleep(300 * time.Millisecond) }

func mibI(n int64) string     { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }
func kib(n float64) string    { return fmt.Sprintf("%.1f", n/(1<<10)) }
func delta(a, b uint64) int64 { return int64(b) - int64(a) }

func goroutines() int { return runtime.NumGoroutine() }

func etcdVersion() string { return version.Version }
