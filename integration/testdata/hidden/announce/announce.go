// Package announce keeps the service registered.
package announce

import (
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/hidden/wire"
)

// Forever registers the API server again every thirty seconds.
func Forever(cli *clientv3.Client, addr string) {
	reg := wire.Registry(cli)
	for range time.Tick(30 * time.Second) {
		_ = reg.Register("api", addr)
	}
}
