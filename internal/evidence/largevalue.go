package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// measureLargeValue scales the post-mortem down: N statuses of S bytes merged
// into one value and rewritten every tick (what largevalue and hotkey report),
// against one key per status written when that status changes (one status a
// tick here).
func measureLargeValue(ctx context.Context, e *env) (section, error) {
	const statuses = 64
	statusSize := 1024
	checkpoints := []int{0, 1000, 2000, 4000, 6000, 8000}
	const snapshotCount = 1000
	if e.quick {
		statusSize = 256
		checkpoints = []int{0, 200, 400}
	}
	merged := statuses * statusSize
	s := section{
		pass:  "largevalue, hotkey",
		title: "one merged value rewritten every tick against one key per status",
		setup: fmt.Sprintf("%d statuses of %d bytes. Merged: all of them marshalled into one %d KiB value under one key, "+
			"written every tick. Split: one key per status, written when it changes (one status a tick). SnapshotCount is "+
			"%d (etcd's default is 10000) so that the run passes the first snapshots; SnapshotCatchUpEntries is etcd's "+
			"default. Heap is the process's live heap above its level before the first write.",
			statuses, statusSize, merged/1024, snapshotCount),
		header: []string{"form", "ticks", "bytes written a tick", "heap (MiB)", "raft index", "revision", "db size (MiB)"},
	}
	e.curve = &curve{xLabel: "ticks", yLabel: "heap above start (MiB)"}
	for _, form := range []string{"merged", "split"} {
		srv, err := startServer(e.dir, serverOptions{snapshotCount: snapshotCount})
		if err != nil {
			return s, err
		}
		base := heapInUse()
		value := strings.Repeat("s", merged)
		status := strings.Repeat("s", statusSize)
		written := merged
		if form == "split" {
			written = statusSize
		}
		var points []point
		tick := 0
		for _, k := range checkpoints {
			for ; tick < k; tick++ {
				var err error
				if form == "merged" {
					_, err = srv.cli.Put(ctx, "/status/all", value)
				} else {
					_, err = srv.cli.Put(ctx, "/status/"+strconv.Itoa(tick%statuses), status)
				}
				if err != nil {
					srv.close()
					return s, err
				}
			}
			st, err := srv.status(ctx)
			if err != nil {
				srv.close()
				return s, err
			}
			h := delta(base, heapInUse())
			points = append(points, point{float64(k), float64(h) / (1 << 20)})
			s.rows = append(s.rows, []string{form, strconv.Itoa(k), strconv.Itoa(written),
				fmt.Sprintf("%.1f", float64(h)/(1<<20)), strconv.FormatUint(st.raftIndex, 10),
				strconv.FormatInt(st.revision, 10), mibI(st.dbSize)})
		}
		e.curve.series = append(e.curve.series, series{name: form, points: points})
		srv.close()
	}
	last := e.curve.series[0].points[len(checkpoints)-1].y
	s.notes = append(s.notes,
		fmt.Sprintf("etcd compacts its in-memory raft log at each snapshot but keeps the last SnapshotCatchUpEntries "+
			"(5000) entries for slow followers: once past SnapshotCount + 5000 writes, the merged form holds about "+
			"5000 × %d KiB = %.0f MiB of raft entries (heap measured: %.0f MiB above start at %d ticks); with the default "+
			"SnapshotCount of 10000 it climbs to about 15000 entries before the first snapshot. The post-mortem's 2 MB value gives 5000 × 2 MB = 10 GB.",
			merged/1024, 5000*float64(merged)/(1<<20), last, checkpoints[len(checkpoints)-1]),
		"Every write is a new revision kept in the db until compaction, so the merged form also grows the db by its "+
			"value size a tick (nocompact's row shows what compaction changes).")
	return s, nil
}
