package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// measureRequestLimits writes single values around etcd's request limits.
func measureRequestLimits(ctx context.Context, e *env) (section, error) {
	s := section{
		pass:  "largevalue",
		title: "what etcd answers a value over its request limits",
		setup: "One Put of one value, with embed.NewConfig's defaults (MaxRequestBytes 1.5 MiB) and the " +
			"client's default send limit (2 MiB).",
		header: []string{"value size", "result"},
	}
	srv, err := startServer(e.dir, serverOptions{})
	if err != nil {
		return s, err
	}
	defer srv.close()
	for _, n := range []int{1 << 20, 3<<19 + 1, 2<<20 + 1} {
		_, err := srv.cli.Put(ctx, "/big", strings.Repeat("x", n))
		res := "written"
		if err != nil {
			res = "rejected: `" + err.Error() + "`"
		}
		s.rows = append(s.rows, []string{fmt.Sprintf("%d bytes (%.2f MiB)", n, float64(n)/(1<<20)), res})
	}
	return s, nil
}

// measureQuota writes new revisions to an etcd without compaction and with a
// small backend quota until etcd refuses, the 2 GiB default scaled down.
func measureQuota(ctx context.Context, e *env) (section, error) {
	quota := int64(32 << 20)
	if e.quick {
		quota = 8 << 20
	}
	const valueSize = 16 << 10
	s := section{
		pass:  "nocompact",
		title: "what etcd does when the backend quota fills",
		setup: fmt.Sprintf("No auto-compaction (embed's default), QuotaBackendBytes %d MiB (2 GiB by default), "+
			"%d KiB values rewritten under 10 keys until etcd refuses a write.", quota>>20, valueSize>>10),
		header: []string{"writes accepted", "revision", "db size (MiB)", "error", "a Get after it", "a Put after compaction"},
	}
	srv, err := startServer(e.dir, serverOptions{quotaBytes: quota})
	if err != nil {
		return s, err
	}
	defer srv.close()
	value := strings.Repeat("q", valueSize)
	limit := int(4 * quota / valueSize) // bounded: well past the quota
	deadline := time.Now().Add(3 * time.Minute)
	var accepted int
	var werr error
	for ; accepted < limit && time.Now().Before(deadline); accepted++ {
		if _, werr = srv.cli.Put(ctx, fmt.Sprintf("/q/%d", accepted%10), value); werr != nil {
			break
		}
	}
	if werr == nil {
		return s, fmt.Errorf("%d writes of %d bytes did not fill a %d-byte quota", accepted, valueSize, quota)
	}
	st, err := srv.status(ctx)
	if err != nil {
		return s, err
	}
	get := "served"
	if _, err := srv.cli.Get(ctx, "/q/0"); err != nil {
		get = "failed: `" + err.Error() + "`"
	}
	// Compaction alone frees pages but leaves the NOSPACE alarm raised.
	after := "written"
	if _, err := srv.cli.Compact(ctx, st.revision); err != nil {
		after = "compaction failed: `" + err.Error() + "`"
	} else if _, err := srv.cli.Put(ctx, "/q/0", "small"); err != nil {
		after = "rejected: `" + err.Error() + "`"
	}
	s.rows = append(s.rows, []string{fmt.Sprint(accepted), fmt.Sprint(st.revision), mibI(st.dbSize),
		"`" + werr.Error() + "`", get, after})
	s.notes = append(s.notes, "Once the quota is exceeded etcd raises the NOSPACE alarm and refuses every write "+
		"until an operator compacts, defragments and disarms the alarm; reads go on.")
	return s, nil
}
