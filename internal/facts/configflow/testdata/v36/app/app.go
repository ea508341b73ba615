package app // want package:"compacts etcd"

// The package builds on wrap: its own functions get flows through wrap's facts.

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"

	"example.com/fixture/wrap"
)

// Launch hands the config to wrap.Start.
func Launch(cfg *embed.Config) error { // want Launch:`param\(0:starts\)`
	_, err := wrap.Start(cfg)
	return err
}

// Prepare compacts through wrap and hands the config back.
func Prepare(cfg *embed.Config) *embed.Config { // want Prepare:`param\(0:sets\(mode="periodic",retention\)\) result\(0:param 0\)`
	wrap.EnableCompaction(cfg, "6h")
	return cfg
}

// Tuned returns wrap's defaults, tuned by t.
func Tuned(t wrap.Tuner) *embed.Config { // want Tuned:`result\(0:fresh sets\(mode="periodic",retention\)\)`
	cfg := wrap.DefaultConfig("/data")
	t.Tune(cfg)
	return cfg
}

// Decoded hands the config to a decoder: anything may be set.
func Decoded(cfg *embed.Config, into func(any) error) error { // want Decoded:`param\(0:sets\(opaque\)\)`
	return into(cfg)
}

// Big raises the request limit.
func Big(cfg *embed.Config) { // want Big:`param\(0:sets\(snapshot-count="5000",max-request-bytes="10485760"\)\)`
	cfg.MaxRequestBytes = 10 << 20
	cfg.SnapshotCount = 5000
}

// Compact makes the package a compacting one.
func Compact(ctx context.Context, cli *clientv3.Client, rev int64) error {
	_, err := cli.Compact(ctx, rev)
	return err
}
