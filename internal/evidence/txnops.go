package main

import (
	"context"
	"strconv"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// measureTxnOps sends transactions around etcd's default --max-txn-ops and
// records what etcd answers.
func measureTxnOps(ctx context.Context, e *env) (section, error) {
	s := section{
		pass:  "txnops",
		title: "what etcd answers a transaction over --max-txn-ops",
		setup: "One server with embed.NewConfig's defaults (MaxTxnOps 128). Each row is one Txn; \"chunked\" " +
			"commits the same 129 puts as two transactions of at most 128.",
		header: []string{"transaction", "result"},
	}
	srv, err := startServer(e.dir, serverOptions{})
	if err != nil {
		return s, err
	}
	defer srv.close()
	puts := func(n int) []clientv3.Op {
		ops := make([]clientv3.Op, n)
		for i := range ops {
			ops[i] = clientv3.OpPut("/item/"+strconv.Itoa(i), "v")
		}
		return ops
	}
	cmps := func(n int) []clientv3.Cmp {
		cs := make([]clientv3.Cmp, n)
		for i := range cs {
			cs[i] = clientv3.Compare(clientv3.Version("/item/"+strconv.Itoa(i)), ">", -1)
		}
		return cs
	}
	outcome := func(err error) string {
		if err != nil {
			return "rejected: `" + err.Error() + "`"
		}
		return "committed"
	}
	cases := []struct {
		name string
		run  func() error
	}{
		{"128 puts in Then", func() error { _, err := srv.cli.Txn(ctx).Then(puts(128)...).Commit(); return err }},
		{"129 puts in Then", func() error { _, err := srv.cli.Txn(ctx).Then(puts(129)...).Commit(); return err }},
		{"129 compares in If, 1 put", func() error {
			_, err := srv.cli.Txn(ctx).If(cmps(129)...).Then(puts(1)...).Commit()
			return err
		}},
		{"100 compares, 100 puts, 100 else puts", func() error {
			_, err := srv.cli.Txn(ctx).If(cmps(100)...).Then(puts(100)...).Else(puts(100)...).Commit()
			return err
		}},
		{"129 puts, chunked 128 + 1", func() error {
			ops := puts(129)
			for len(ops) > 0 {
				n := min(len(ops), 128)
				if _, err := srv.cli.Txn(ctx).Then(ops[:n]...).Commit(); err != nil {
					return err
				}
				ops = ops[n:]
			}
			return nil
		}},
	}
	for _, c := range cases {
		s.rows = append(s.rows, []string{c.name, outcome(c.run())})
	}
	s.notes = append(s.notes, "etcd checks If, Then and Else against the limit each on its own: 300 entries in "+
		"three lists of 100 are accepted, 129 in one list are not.")
	return s, nil
}
