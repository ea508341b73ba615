// Package impl implements writer.Saver over etcd without importing writer.
package impl

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

type EtcdSaver struct{ Cli *clientv3.Client }

func (s EtcdSaver) Save(key, val string) error {
	_, err := s.Cli.Put(context.Background(), key, val)
	return err
}

// Write makes EtcdSaver an io.Writer too.
func (s EtcdSaver) Write(b []byte) (int, error) {
	_, err := s.Cli.Put(context.Background(), "/log", string(b))
	return len(b), err
}
