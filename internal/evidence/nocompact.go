package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// measureNoCompact writes the same keys over and over to an etcd without
// auto-compaction (embed's default) and to one with a short periodic
// retention, and reads what each keeps.
func measureNoCompact(ctx context.Context, e *env) (section, error) {
	const keys, valueSize = 100, 256
	writes := 20000
	if e.quick {
		writes = 2000
	}
	s := section{
		pass:  "nocompact",
		title: "revisions kept with and without auto-compaction",
		setup: fmt.Sprintf("%d writes of %d-byte values, round-robin over %d keys. Without: embed.NewConfig's "+
			"defaults (no AutoCompactionRetention). With: AutoCompactionMode \"periodic\", retention \"2s\" (a short "+
			"retention so that the run sees several compactions; production retentions are hours). Measured 3 s "+
			"after the last write.", writes, valueSize, keys),
		header: []string{"auto-compaction", "revision", "oldest readable revision", "revisions kept",
			"heap (MiB)", "db size (MiB)", "db in use (MiB)"},
	}
	for _, with := range []bool{false, true} {
		o := serverOptions{}
		name := "off (default)"
		if with {
			o.compactionMode, o.compactionRetain = "periodic", "2s"
			name = "periodic, 2s"
		}
		srv, err := startServer(e.dir, o)
		if err != nil {
			return s, err
		}
		base := heapInUse()
		value := strings.Repeat("v", valueSize)
		for i := 0; i < writes; i++ {
			if _, err := srv.cli.Put(ctx, "/config/"+strconv.Itoa(i%keys), value); err != nil {
				srv.close()
				return s, err
			}
		}
		time.Sleep(3 * time.Second)
		st, err := srv.status(ctx)
		if err != nil {
			srv.close()
			return s, err
		}
		oldest, err := oldestRevision(ctx, srv.cli)
		if err != nil {
			srv.close()
			return s, err
		}
		h := delta(base, heapInUse())
		s.rows = append(s.rows, []string{name, strconv.FormatInt(st.revision, 10), strconv.FormatInt(oldest, 10),
			strconv.FormatInt(st.revision-oldest+1, 10), fmt.Sprintf("%.1f", float64(h)/(1<<20)),
			mibI(st.dbSize), mibI(st.dbSizeInUse)})
		srv.close()
	}
	s.notes = append(s.notes,
		"Without compaction every revision of every key stays in the in-memory index and in bbolt: both grow with the "+
			"number of writes, not with the number of keys, until the backend quota (2 GiB by default, "+
			"DefaultQuotaBytes in etcd's storage/quota.go) is full and etcd refuses writes with \"database space exceeded\".",
		"With compaction the db stops growing once freed pages are reused; its file keeps its size until a defragment.")
	return s, nil
}

// oldestRevision is the oldest revision etcd can still serve: a watch from
// revision 1 is cancelled with the compaction revision when history was
// compacted, and otherwise starts at revision 1.
func oldestRevision(ctx context.Context, cli *clientv3.Client) (int64, error) {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for resp := range cli.Watch(wctx, "\x00", clientv3.WithRev(1), clientv3.WithFromKey()) {
		if resp.CompactRevision > 0 {
			return resp.CompactRevision, nil
		}
		if len(resp.Events) > 0 {
			return 1, nil
		}
		if err := resp.Err(); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("watch from revision 1 ended without an answer")
}
