package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// measureWatchLeak opens each resource watchleak reports N times without
// releasing it and reads what the process holds per resource, then checks
// that releasing them returns it; and it counts the client's warnings for a
// keep-alive channel nobody reads.
func measureWatchLeak(ctx context.Context, e *env) (section, error) {
	n := map[string]int{"watch": 1000, "session": 100, "client": 50}
	kaWait := 30 * time.Second
	if e.quick {
		n = map[string]int{"watch": 100, "session": 10, "client": 5}
		kaWait = 15 * time.Second
	}
	s := section{
		pass:  "watchleak",
		title: "what each leaked watch, session and client holds",
		setup: "Each resource is opened N times on one server and never released (watches on " +
			"context.Background(), one client for all of them; sessions with concurrency.NewSession on the shared " +
			"client; clients with clientv3.New). Figures per resource are the difference before and after, divided by N; " +
			"\"after release\" is what is left once the watches' contexts are cancelled, the sessions and clients closed.",
		header: []string{"resource", "N", "goroutines each", "heap each (KiB)", "open fds each",
			"server-side state", "left after release (goroutines)"},
	}
	srv, err := startServer(e.dir, serverOptions{})
	if err != nil {
		return s, err
	}
	defer srv.close()

	open := map[string]func(i int) (func(), error){
		"watch": func(i int) (func(), error) {
			wctx, cancel := context.WithCancel(context.Background())
			srv.cli.Watch(wctx, "/leak/"+strconv.Itoa(i))
			return cancel, nil
		},
		"session": func(i int) (func(), error) {
			sess, err := concurrency.NewSession(srv.cli)
			if err != nil {
				return nil, err
			}
			return func() { sess.Close() }, nil
		},
		"client": func(i int) (func(), error) {
			c, err := srv.dial(nil)
			if err != nil {
				return nil, err
			}
			// A client connects lazily; one request makes the connection real.
			if _, err := c.Get(ctx, "/probe"); err != nil {
				return nil, err
			}
			return func() { c.Close() }, nil
		},
	}
	for _, kind := range []string{"watch", "session", "client"} {
		count := n[kind]
		settle()
		g0, h0, f0 := goroutines(), heapInUse(), openFDs()
		leases0, err := leaseCount(ctx, srv.cli)
		if err != nil {
			return s, err
		}
		var releases []func()
		for i := 0; i < count; i++ {
			r, err := open[kind](i)
			if err != nil {
				return s, err
			}
			releases = append(releases, r)
		}
		settle()
		g1, h1, f1 := goroutines(), heapInUse(), openFDs()
		serverSide := "-"
		switch kind {
		case "watch":
			serverSide = fmt.Sprintf("%d watchers", count)
		case "session":
			leases1, err := leaseCount(ctx, srv.cli)
			if err != nil {
				return s, err
			}
			serverSide = fmt.Sprintf("%d leases kept alive", leases1-leases0)
		case "client":
			// Both ends of each loopback connection are this process's fds.
			serverSide = fmt.Sprintf("%d connections", (f1-f0)/2)
		}
		for _, r := range releases {
			r()
		}
		settle()
		g2 := goroutines()
		s.rows = append(s.rows, []string{kind, strconv.Itoa(count),
			fmt.Sprintf("%.1f", float64(g1-g0)/float64(count)),
			kib(float64(delta(h0, h1)) / float64(count)),
			fmt.Sprintf("%.1f", float64(f1-f0)/float64(count)),
			serverSide, strconv.Itoa(g2 - g0)})
	}

	warnings, ttl, err := undrainedKeepAlive(ctx, e, kaWait)
	if err != nil {
		return s, err
	}
	s.notes = append(s.notes,
		fmt.Sprintf("Undrained keep-alive: a lease of TTL %d s kept alive with KeepAlive and its channel never read "+
			"logged %q %d times in %.0f s. The client renews a lease every TTL/3 (its send loop wakes every 500 ms, "+
			"so no faster than that) and the channel holds 16 responses; once it is full, every renewal's response is "+
			"dropped with that warning (etcd's client/v3/lease.go). With TTL 60 s that starts after about 5 minutes and "+
			"goes on at 3 lines a minute for as long as the process runs.",
			ttl, keepAliveWarning, warnings, kaWait.Seconds()),
		"Server and clients share the process, so a client's open fds count both ends of its connection.",
		"Goroutines left after closing the sessions belong to the shared client's lease keep-alive streams, which "+
			"its first KeepAlive starts and only the client's Close ends.")
	return s, nil
}

const keepAliveWarning = "lease keepalive response queue is full; dropping response send"

// undrainedKeepAlive keeps a lease alive without reading the channel and
// counts the client's warnings. A short election timeout lets etcd grant the
// shortest TTL (1 s), so the 16-slot channel fills within seconds.
func undrainedKeepAlive(ctx context.Context, e *env, wait time.Duration) (int, int64, error) {
	srv, err := startServer(e.dir, serverOptions{electionMs: 100, tickMs: 10})
	if err != nil {
		return 0, 0, err
	}
	defer srv.close()
	core, logs := observer.New(zapcore.WarnLevel)
	cli, err := srv.dial(zap.New(core))
	if err != nil {
		return 0, 0, err
	}
	defer cli.Close()
	lease, err := cli.Grant(ctx, 1)
	if err != nil {
		return 0, 0, err
	}
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := cli.KeepAlive(kctx, lease.ID); err != nil {
		return 0, 0, err
	}
	time.Sleep(wait)
	n := 0
	for _, l := range logs.All() {
		if strings.Contains(l.Message, keepAliveWarning) {
			n++
		}
	}
	return n, lease.TTL, nil
}

func leaseCount(ctx context.Context, cli *clientv3.Client) (int, error) {
	ls, err := cli.Leases(ctx)
	if err != nil {
		return 0, err
	}
	return len(ls.Leases), nil
}
