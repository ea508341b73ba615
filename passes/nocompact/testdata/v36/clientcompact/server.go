// Package clientcompact runs etcd without auto-compaction because it
// compacts from a client.
package clientcompact

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"

	"example.com/fixture/compactor"
)

func Serve(ctx context.Context, dir string) error {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}})
	if err != nil {
		return err
	}
	defer cli.Close()
	go compactor.Run(ctx, cli, time.Hour)
	<-ctx.Done()
	return nil
}
