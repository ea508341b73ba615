// Package wire builds the application's parts; its API names only their
// interfaces.
package wire

import (
	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/hidden/registry/api"
	"example.com/hidden/registry/etcdreg"
)

// Registry returns the registry the application uses.
func Registry(cli *clientv3.Client) api.Registry {
	if cli == nil {
		return nil
	}
	reg := etcdreg.New(cli)
	for i := 0; i < 2; i++ {
		if reg == nil {
			reg = etcdreg.New(cli)
		}
	}
	return reg
}
