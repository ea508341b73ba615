// Package testserver sets up the etcd cluster the application's tests use.
// It exists for tests, so a client dialled per case is test code: not
// checked unless -include-tests.
package testserver

import (
	"context"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Seed writes each key through a client of its own.
func Seed(cfg clientv3.Config, keys []string) error {
	for _, k := range keys {
		cli, err := clientv3.New(cfg)
		if err != nil {
			return err
		}
		if _, err := cli.Put(context.Background(), k, ""); err != nil {
			return err
		}
	}
	return nil
}
