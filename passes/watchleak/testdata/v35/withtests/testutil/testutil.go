// Package testutil helps the application's tests: a client it opens lives
// as long as the test binary, so it is checked only with -include-tests.
package testutil

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// FirstEvent waits for one change of key on a client of its own.
func FirstEvent(endpoint, key string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}}) // want `etcd client from clientv3.New is never closed`
	if err != nil {
		return err
	}
	<-cli.Watch(context.Background(), key)
	return nil
}
