package main

import (
	"context"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// measureSessionTTL reads the TTL etcd grants a session opened without
// WithTTL, and how long a key attached to its lease outlives the session in
// three forms: closed, renewed by a holder that never closes it, and left by
// a holder that stops renewing without closing it (a process that exits or a
// context cancelled before Close).
func measureSessionTTL(ctx context.Context, e *env) (section, error) {
	s := section{
		pass:  "watchleak",
		title: "how long a session's lease and its keys outlive their use",
		setup: "Three sessions from concurrency.NewSession without WithTTL on one server, each with one key put " +
			"under its lease. Closed: Session.Close right away. Stopped: the context given with WithContext is " +
			"cancelled, which stops the renewals without a Close. Renewed: left open. TTLs are what etcd's " +
			"TimeToLive reports; the key is polled once a second.",
		header: []string{"form", "granted TTL (s)", "TTL left at the start (s)", "key gone after (s)", "TTL left at the end (s)",
			"keep-alive at the end"},
	}
	srv, err := startServer(e.dir, serverOptions{})
	if err != nil {
		return s, err
	}
	defer srv.close()

	type held struct {
		form    string
		sess    *concurrency.Session
		stop    context.CancelFunc
		key     string
		granted int64
		left    int64
		gone    time.Duration
	}
	var all []*held
	for _, form := range []string{"closed", "stopped", "renewed"} {
		sctx, stop := context.WithCancel(ctx)
		sess, err := concurrency.NewSession(srv.cli, concurrency.WithContext(sctx))
		if err != nil {
			stop()
			return s, err
		}
		defer stop()
		defer sess.Close()
		h := &held{form: form, sess: sess, stop: stop, key: "/session/" + form, gone: -1}
		if _, err := srv.cli.Put(ctx, h.key, "holder", clientv3.WithLease(sess.Lease())); err != nil {
			return s, err
		}
		ttl, err := srv.cli.TimeToLive(ctx, sess.Lease())
		if err != nil {
			return s, err
		}
		h.granted, h.left = ttl.GrantedTTL, ttl.TTL
		all = append(all, h)
	}
	t0 := time.Now()
	all[0].sess.Close()
	all[1].stop()
	<-all[1].sess.Done()

	// Wait until the stopped session's key is gone, bounded well past the
	// default TTL; the renewed session's key must stay.
	limit := 90 * time.Second
	if e.quick {
		limit = 3 * time.Second
	}
	for time.Since(t0) < limit {
		pending := false
		for _, h := range all {
			if h.gone >= 0 {
				continue
			}
			r, err := srv.cli.Get(ctx, h.key)
			if err != nil {
				return s, err
			}
			if len(r.Kvs) == 0 {
				h.gone = time.Since(t0)
			} else if h.form != "renewed" {
				pending = true
			}
		}
		if !pending {
			break
		}
		time.Sleep(time.Second)
	}
	waited := time.Since(t0)
	for _, h := range all {
		gone := fmt.Sprintf("still there after %.0f", waited.Seconds())
		if h.gone >= 0 {
			gone = fmt.Sprintf("%.0f", h.gone.Seconds())
		}
		end := "-"
		if ttl, err := srv.cli.TimeToLive(ctx, h.sess.Lease()); err == nil {
			end = fmt.Sprint(ttl.TTL)
		}
		ka := "running"
		select {
		case <-h.sess.Done():
			ka = "ended"
		default:
		}
		s.rows = append(s.rows, []string{h.form, fmt.Sprint(h.granted), fmt.Sprint(h.left), gone, end, ka})
	}
	s.notes = append(s.notes,
		"A TTL left of -1 is etcd's answer for a lease that no longer exists; \"ended\" means the session's "+
			"keep-alive stopped (Session.Done is closed). A session nobody closes holds its "+
			"lease, and every key put under it (a lock's or an election's key), for as long as its client renews it; "+
			"once renewals stop without a Close, etcd keeps them for the rest of the TTL, 60 s by default "+
			"(client/v3/concurrency/session.go defaultSessionTTL).")
	return s, nil
}
