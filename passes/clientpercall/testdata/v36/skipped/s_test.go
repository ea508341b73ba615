//fixture:handwritten TestTestsSkipped runs the default (tests not checked) in v36 only; the other eras check withtests with -include-tests.

package skipped

import (
	"context"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestKeys(t *testing.T) {
	for _, k := range Keys() {
		cli, err := clientv3.New(Config)
		if err != nil {
			t.Skip(err)
		}
		cli.Put(context.Background(), k, "")
	}
}
