package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// measureClientPerCall serves N requests by dialling a client for each
// (closed after it, the best case of the misuse) and by one shared client,
// without and with auth, where each dial is also an Authenticate request.
func measureClientPerCall(ctx context.Context, e *env) (section, error) {
	requests := 200
	if e.quick {
		requests = 20
	}
	s := section{
		pass:  "clientpercall",
		title: "a client dialled per request against one shared client",
		setup: fmt.Sprintf("%d Get requests, one after another. Per call: clientv3.New, Get, Close for each request "+
			"(the misuse at its best: every client is closed). Shared: one client for all. With auth: a root user, "+
			"auth enabled, and every client created with Username/Password.", requests),
		header: []string{"form", "auth", "time a request (ms)", "raft entries a request", "goroutines left"},
	}
	for _, auth := range []bool{false, true} {
		srv, err := startServer(e.dir, serverOptions{})
		if err != nil {
			return s, err
		}
		dial := func() (*clientv3.Client, error) { return srv.dial(nil) }
		if auth {
			if err := enableAuth(ctx, srv.cli); err != nil {
				srv.close()
				return s, err
			}
			dial = func() (*clientv3.Client, error) {
				return clientv3.New(clientv3.Config{Endpoints: []string{srv.endpoint}, DialTimeout: 10 * time.Second,
					Username: "root", Password: "evidence"})
			}
		}
		shared, err := dial()
		if err != nil {
			srv.close()
			return s, err
		}
		for _, form := range []string{"per call", "shared"} {
			settle()
			g0 := goroutines()
			idx0 := srv.etcd.Server.AppliedIndex()
			t0 := time.Now()
			for i := 0; i < requests; i++ {
				cli := shared
				if form == "per call" {
					if cli, err = dial(); err != nil {
						srv.close()
						return s, err
					}
				}
				if _, err := cli.Get(ctx, "/config/"+strconv.Itoa(i)); err != nil {
					srv.close()
					return s, err
				}
				if form == "per call" {
					cli.Close()
				}
			}
			took := time.Since(t0)
			idx1 := srv.etcd.Server.AppliedIndex()
			settle()
			s.rows = append(s.rows, []string{form, onOff(auth),
				fmt.Sprintf("%.2f", float64(took.Microseconds())/1000/float64(requests)),
				fmt.Sprintf("%.2f", float64(idx1-idx0)/float64(requests)),
				strconv.Itoa(goroutines() - g0)})
		}
		shared.Close()
		srv.close()
	}
	s.notes = append(s.notes,
		"A Get is served from the leader without a raft entry; the entries counted under auth are the "+
			"Authenticate requests, one per dialled client (each also makes etcd keep a simple token, 300 s by default). The time of a dial under auth is "+
			"mostly the server checking the password's bcrypt hash, once per client.",
		"Clients that are not closed keep their connection and goroutines: watchleak's client row shows what each holds.")
	return s, nil
}

func enableAuth(ctx context.Context, cli *clientv3.Client) error {
	if _, err := cli.UserAdd(ctx, "root", "evidence"); err != nil {
		return err
	}
	if _, err := cli.UserGrantRole(ctx, "root", "root"); err != nil {
		return err
	}
	_, err := cli.AuthEnable(ctx)
	return err
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
