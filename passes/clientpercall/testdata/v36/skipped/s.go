//fixture:handwritten TestTestsSkipped runs the default (tests not checked) in v36 only; the other eras check withtests with -include-tests.

// Package skipped has a per-iteration dial in a test file, not reported by default.
package skipped

import clientv3 "go.etcd.io/etcd/client/v3"

// Config is the test cluster's configuration.
var Config = clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}}

// Keys lists the keys the tests write.
func Keys() []string { return []string{"a", "b", "c", "d"} }
