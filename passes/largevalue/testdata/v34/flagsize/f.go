// Package flagsize has values of constant size between 1 MiB and 4 MiB,
// reported by default and not with -max-bytes 4194304; and one above.
package flagsize

import (
	"context"
	"strings"

	clientv3 "go.etcd.io/etcd/clientv3"
)

func Write(ctx context.Context, cli *clientv3.Client) {
	cli.Put(ctx, "/blob", string(make([]byte, 2<<20)))
	cli.Put(ctx, "/pad", strings.Repeat("x", 3<<19))
	cli.Put(ctx, "/huge", strings.Repeat("x", 8<<20)) // want `value written to "/huge" is 8388608 bytes`
}
