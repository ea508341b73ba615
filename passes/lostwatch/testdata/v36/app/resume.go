package app

import (
	"context"
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/wrap"
)

// ResumeThroughHelper follows a watch a helper opened from rev: once etcd
// compacts rev the helper's watch is cancelled, and this returns as if
// ctx had ended.
func ResumeThroughHelper(ctx context.Context, cli *clientv3.Client, rev int64) { // want ResumeThroughHelper:`watches\(until rev\(2\)\)`
	for resp := range wrap.OpenAt(ctx, cli, "/svc", rev) { // want `WithRev once that revision is compacted`
		log.Print(len(resp.Events))
	}
}

// ResumeFeed does the same through an interface another package declares
// and implements.
func ResumeFeed(ctx context.Context, f wrap.Feed, rev int64) { // want ResumeFeed:`watches\(until rev\(2\)\)`
	for resp := range f.From(ctx, rev) { // want `WithRev once that revision is compacted`
		log.Print(len(resp.Events))
	}
}

// CleanResumeFeed returns etcd's error to its caller.
func CleanResumeFeed(ctx context.Context, f wrap.Feed, rev int64) error { // want CleanResumeFeed:`watches\(until rev\(2\)\)`
	for resp := range f.From(ctx, rev) {
		if err := resp.Err(); err != nil {
			return err
		}
		log.Print(len(resp.Events))
	}
	return ctx.Err()
}
