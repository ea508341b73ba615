//fixture:handwritten TestTestsSkipped runs the default (tests not checked) in v36 only; the other eras check withtests with -include-tests.

package skipped

import (
	"context"
	"strings"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// TestBigValue writes every name in one value, to see etcd refuse it: a
// test does that on purpose, and it is reported only with -include-tests.
func TestBigValue(t *testing.T) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"localhost:2379"}})
	if err != nil {
		t.Skip(err)
	}
	defer cli.Close()
	var names []string
	for _, k := range strings.Fields(strings.Repeat("n ", 1<<20)) {
		names = append(names, k)
	}
	cli.Put(context.Background(), "/names", strings.Join(names, ","))
}
