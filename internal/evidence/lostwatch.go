package main

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// measureLostWatch resumes a watch from a revision that was compacted, as a
// component restarting from its last applied revision does, and measures the
// loop that reads it without checking for the channel's end against one
// that checks.
func measureLostWatch(ctx context.Context, e *env) (section, error) {
	window := 2 * time.Second
	s := section{
		pass:  "lostwatch",
		title: "a watch loop after etcd cancels the watch",
		setup: fmt.Sprintf("Ten writes, a compaction at the last revision, then Watch WithRev(2) (compacted). "+
			"Spinning: `for { resp := <-wch; ... }` with no `, ok` and no Err() check. Checking: `resp, ok := <-wch` "+
			"and `resp.Err()`. CPU is the process's user+system time over %.0f s with the loop running, minus the "+
			"same window idle.", window.Seconds()),
		header: []string{"loop", "what the first response said", "receives in the window", "CPU (core-seconds)",
			"events seen after the cancel"},
	}
	srv, err := startServer(e.dir, serverOptions{})
	if err != nil {
		return s, err
	}
	defer srv.close()
	var last int64
	for i := 0; i < 10; i++ {
		r, err := srv.cli.Put(ctx, "/cfg/"+strconv.Itoa(i), "v")
		if err != nil {
			return s, err
		}
		last = r.Header.Revision
	}
	if _, err := srv.cli.Compact(ctx, last); err != nil {
		return s, err
	}
	idle := cpuDuring(window, func(stop *atomic.Bool) {})
	for _, spin := range []bool{true, false} {
		wctx, cancel := context.WithCancel(ctx)
		wch := srv.cli.Watch(wctx, "/cfg/", clientv3.WithPrefix(), clientv3.WithRev(2))
		var receives, events atomic.Int64
		var first atomic.Value
		used := cpuDuring(window, func(stop *atomic.Bool) {
			for !stop.Load() {
				var resp clientv3.WatchResponse
				if spin {
					resp = <-wch
				} else {
					var ok bool
					resp, ok = <-wch
					if !ok {
						return
					}
				}
				n := receives.Add(1)
				if n == 1 {
					first.Store(describe(resp))
				}
				events.Add(int64(len(resp.Events)))
				if !spin && resp.Err() != nil {
					return
				}
			}
		})
		cancel()
		name := "checking"
		if spin {
			name = "spinning"
		}
		said, _ := first.Load().(string)
		s.rows = append(s.rows, []string{name, said, strconv.FormatInt(receives.Load(), 10),
			fmt.Sprintf("%.2f", (used - idle).Seconds()), strconv.FormatInt(events.Load(), 10)})
	}
	s.notes = append(s.notes,
		"etcd cancels a watch whose start revision was compacted (ErrCompacted, with CompactRevision set) and the "+
			"client closes its channel; every later receive returns at once with an empty response, so the spinning loop "+
			"burns a core and never sees another change.")
	return s, nil
}

func describe(resp clientv3.WatchResponse) string {
	if err := resp.Err(); err != nil {
		return fmt.Sprintf("canceled=%v, compact revision %d: `%v`", resp.Canceled, resp.CompactRevision, err)
	}
	return fmt.Sprintf("%d events", len(resp.Events))
}

// cpuDuring runs body in a goroutine for window and returns the process's
// CPU time over the window. body must return once stop is set.
func cpuDuring(window time.Duration, body func(stop *atomic.Bool)) time.Duration {
	var stop atomic.Bool
	done := make(chan struct{})
	before := cpuTime()
	go func() {
		defer close(done)
		body(&stop)
	}()
	time.Sleep(window)
	stop.Store(true)
	after := cpuTime()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return after - before
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
